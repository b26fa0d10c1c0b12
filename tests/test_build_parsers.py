"""The extraction layers on their own: shell variants, Makefile expansion and
target variables, CMake evaluation, TOML positions, build.rs, response files."""
from __future__ import annotations

import posixpath
from pathlib import Path

import pytest

from wasmlint.toolchain.build_rs import build_rs_facts
from wasmlint.toolchain.cargo import config_facts
from wasmlint.tomlsafe import loads
from wasmlint.toolchain.cmake import cmake_facts
from wasmlint.toolchain.makefile import makefile_facts
from wasmlint.toolchain.pstr import LineIndex, PStr
from wasmlint.toolchain.cargo_commands import CargoRun, RustBuild, cargo_run, rust_build
from wasmlint.toolchain.shell_argv import extract_build_facts, facts_from_shell
from wasmlint.toolchain.toml_pos import TomlLocator
from wasmlint.sources import SourceFile

INPUTS = Path(__file__).parent / "build_inputs"
FIXTURES = Path(__file__).parent / "fixtures"
MB = 1 << 20


def _src(path: Path, kind: str, root: Path | None = None) -> SourceFile:
    return SourceFile(path.name, kind, path.read_bytes(), abspath=str(path), root=str(root or path.parent))


def _inv(facts):
    return [f for f in facts if f.kind == "emcc-invocation"]


def test_shell_array_with_st_and_mt_variants():
    invs = {f.variant: f for f in _inv(extract_build_facts(_src(INPUTS / "ffmpeg-wasm.sh", "shell")))}
    assert set(invs) == {"FFMPEG_MT set", "FFMPEG_ST set"}
    mt, st = invs["FFMPEG_MT set"], invs["FFMPEG_ST set"]
    assert mt.settings["INITIAL_MEMORY"] == 1024 * MB and mt.settings["PTHREAD_POOL_SIZE"] == 32
    assert not mt.growth and st.growth and st.settings["INITIAL_MEMORY"] == 32 * MB
    assert st.settings["EXPORT_NAME"] == "createFFmpegCore"
    assert st.settings["EXPORTED_FUNCTIONS"] is None          # a command substitution: unknown
    assert (mt.initial_span.line, mt.initial_span.column) == (11, 17)


def test_shell_env_prefix_rustflags_and_exported_emcc_cflags():
    text = ('export EMCC_CFLAGS="-sINITIAL_MEMORY=800MB -sALLOW_MEMORY_GROWTH"\n'
            "RUSTFLAGS='-C target-feature=+atomics -Clink-arg=--max-memory=4294967296' "
            "cargo build --target wasm32-unknown-unknown -Z build-std=std,panic_abort\n")
    facts = facts_from_shell(PStr.source(text, 0), LineIndex(text, "web_build.sh"))
    inv = _inv(facts)[0]
    assert inv.variant == "EMCC_CFLAGS" and inv.settings["INITIAL_MEMORY"] == 800 * MB
    link = next(f for f in facts if f.kind == "rust-link")
    assert link.atomics and link.maximum_memory == 4 << 30 and link.shared and link.import_memory
    assert link.implicit_args == ["--shared-memory", "--max-memory=1073741824", "--import-memory"]


def test_makefile_target_specific_variables_on_a_pattern_rule():
    facts = makefile_facts((INPUTS / "squoosh.mk").read_text(), "Makefile")
    envs = {f.output: f.settings["ENVIRONMENT"] for f in _inv(facts)}
    assert envs == {"enc/mozjpeg_node_enc.js": ["node"], "dec/mozjpeg_node_dec.js": ["node"],
                    "enc/%.js": ["web"], "dec/%.js": ["web"]}
    # `$(basename $(@F))` is a Make function of the target: its value is not guessed
    assert all(f.settings["EXPORT_NAME"] is None for f in _inv(facts))


def test_makefile_flag_variable_reaching_no_command_and_conditional_variants():
    path = FIXTURES / "WL509" / "pyodide-flags-4gb" / "Makefile.envs"
    invs = _inv(makefile_facts(path.read_text(), "Makefile.envs"))
    labels = sorted(f.variant for f in invs)
    assert labels == ["flags in MAIN_MODULE_LDFLAGS", "ifdef PYODIDE_WASM64, flags in MAIN_MODULE_LDFLAGS"]
    wasm64 = next(f for f in invs if "WASM64" in f.variant)
    assert wasm64.memory64 and wasm64.settings["MAXIMUM_MEMORY"] == 16 << 30


@pytest.mark.parametrize("configure_first", [True, False])
def test_makefile_emmake_make_in_a_folder_another_recipe_configures(configure_first):
    """make runs a prerequisite's recipe first wherever it is written: the flags of
    ``emmake make LDFLAGS=…`` reach the links of the Makefile configure wrote."""
    fixture = FIXTURES / "WL101" / "emmake-make-ldflags-configured-by-prerequisite" / "Makefile"
    rules = fixture.read_text().split("\n\n")
    configure = next(r for r in rules if r.startswith("vendor/tool/Makefile:"))
    if not configure_first:
        rules.remove(configure)
        rules.append(configure)
    invs = _inv(makefile_facts("\n\n".join(rules), "Makefile"))
    assert [(f.flag_set, f.settings) for f in invs] == [
        (True, {"ALLOW_MEMORY_GROWTH": 1, "MODULARIZE": 1, "EXPORT_NAME": "tool"})]
    without = "\n\n".join(r for r in rules if r is not configure)
    assert _inv(makefile_facts(without, "Makefile")) == []      # nothing shows configure wrote that Makefile


@pytest.mark.parametrize("sign,linked", [
    (None, False),                                                     # a native project (mgba)
    (("build-web.sh", "emcmake cmake -B build-web .\n"), True),           # its configure line runs emcmake
    (("CMakeLists.txt", "if(EMSCRIPTEN)\n  set(CMAKE_EXECUTABLE_SUFFIX .html)\nendif()\n"), True),
    (("CMakePresets.json", '{"version": 3, "configurePresets": [{"name": "web", "toolchainFile":'
                           ' "$env{EMSDK}/upstream/emscripten/cmake/Modules/Platform/Emscripten.cmake"}]}'), True),
    (("CMakePresets.json", '{"version": 3, "configurePresets": [{"name": "linux", "generator": "Ninja"}]}'), False),
])
def test_cmake_links_are_emcc_links_only_where_something_shows_emscripten(tmp_path, sign, linked):
    (tmp_path / ".git").mkdir()
    text = ("cmake_minimum_required(VERSION 3.10)\nproject(emu C)\n"
            "set(CMAKE_C_FLAGS \"${CMAKE_C_FLAGS} -pthread\")\n"
            "add_executable(emu main.c)\n"
            "add_executable(emu-web web.c)\n"
            "target_link_options(emu-web PRIVATE \"SHELL:-s ALLOW_MEMORY_GROWTH=1\")\n")
    if sign is not None and sign[0] == "CMakeLists.txt":
        text += sign[1]
    elif sign is not None:
        (tmp_path / sign[0]).write_text(sign[1])
    (tmp_path / "CMakeLists.txt").write_text(text)
    src = _src(tmp_path / "CMakeLists.txt", "cmake", tmp_path)
    from wasmlint.toolchain.project_files import ProjectFiles
    invs = _inv(cmake_facts(text, "CMakeLists.txt", project=ProjectFiles(src)))
    # emcc's own settings make a link emcc's whatever else the project shows
    assert sorted(f.output for f in invs) == (["emu", "emu-web"] if linked else ["emu-web"])


def test_cmake_link_flags_string_and_variants():
    path = FIXTURES / "WL309" / "duckdb-thread-variants" / "CMakeLists.txt"
    invs = {f.variant: f for f in _inv(cmake_facts(path.read_text(), "CMakeLists.txt"))}
    assert set(invs) == {None, "if(WITH_WASM_THREADS)"}
    assert invs[None].pthreads is False and invs["if(WITH_WASM_THREADS)"].pthreads is True
    assert invs["if(WITH_WASM_THREADS)"].settings["PTHREAD_POOL_SIZE"] == 4


def test_cmake_multiline_list_in_link_flags():
    path = FIXTURES / "WL103" / "emcc-duckdb-max" / "CMakeLists.txt"
    inv = _inv(cmake_facts(path.read_text(), "CMakeLists.txt"))[0]
    assert inv.settings["EXPORTED_FUNCTIONS"] == ["_main", "_malloc", "_free"]
    assert inv.settings["EXPORTED_RUNTIME_METHODS"] == ["ccall"]
    assert inv.settings["ENVIRONMENT"] == ["web", "node", "worker"]
    assert inv.settings["MAXIMUM_MEMORY"] == 4 << 30 and inv.settings["STACK_SIZE"] == 16 * MB


def test_toml_locator_positions_of_array_strings():
    text = '[target."wasm32-unknown-unknown"]\nrustflags = [\n  "-C", \'link-arg=--max-memory=65536\',\n]\n'
    loc = TomlLocator(text).get("target", "wasm32-unknown-unknown", "rustflags")
    assert [s.text for s in loc.strings] == ["-C", "link-arg=--max-memory=65536"]
    assert text[loc.strings[1].starts[0]:loc.strings[1].ends[-1]] == "link-arg=--max-memory=65536"


def test_cargo_config_string_rustflags_for_wasi_threads():
    text = '[target.wasm32-wasip1-threads]\nrustflags = ["-C", "link-args=-z stack-size=1500000"]\n'
    facts = config_facts(text, loads(text), ".cargo/config.toml")
    assert facts[0].stack_size == 1500000 and facts[0].target == "wasm32-wasip1-threads"


def test_build_rs_reads_both_directive_forms_and_ignores_comments():
    text = ('fn main() {\n    // println!("cargo:rustc-link-arg=--max-memory=1");\n'
            '    println!("cargo:rustc-link-arg=--initial-memory=65536");\n'
            '    println!(r#"cargo::rustc-link-arg-cdylib=--max-memory=131072"#);\n}\n')
    link = build_rs_facts(text, "build.rs")[0]
    assert (link.initial_memory, link.maximum_memory) == (65536, 131072)
    assert link.link_args == ["--initial-memory=65536", "--max-memory=131072"]


def test_response_files_inside_the_project_only(tmp_path):
    (tmp_path / "flags.rsp").write_text("-sINITIAL_MEMORY=48MB\n-sALLOW_MEMORY_GROWTH=0\n")
    script = tmp_path / "build.sh"
    script.write_text("emcc @flags.rsp @../outside.rsp main.c -o app.js\n")
    facts = extract_build_facts(_src(script, "shell", tmp_path))
    inv = _inv(facts)[0]
    assert inv.settings["INITIAL_MEMORY"] == 48 * MB
    setting = next(f for f in facts if f.kind == "emcc-setting" and f.name == "INITIAL_MEMORY")
    assert setting.span.path == "flags.rsp" and setting.span.line == 1
    errors = [f.message for f in facts if f.kind == "parse-error"]
    assert errors == ["response file `@../outside.rsp` is outside the project; not read"]


# ---------------------------------------------------------------- Meson

MESON_SYNTAX = """project('demo', 'c', 'cpp',
  version : '1.0.0',   # a comment
  default_options : ['cpp_std=c++17'])

cc = meson.get_compiler('c')
deps = []
if cc.has_argument('-pthread') and not get_option('single_thread')
  deps += dependency('threads')
elif host_machine.system() == 'emscripten'
  message('emscripten')
else
  error('no')
endif
flags = {'a': 1, 'b': [1, 2]}
foreach name, value : flags
  if name not in ['x', 'y']
    continue
  endif
endforeach
doc = '''
multi'''
suffix = 'MB'
link = ['-sINITIAL_MEMORY=64' + suffix, '-s', 'EXPORT_NAME=\\'Mod\\''] + \\
  ['-pthread']
link += get_option('debug') ? ['-g'] : ['-O2']
exe = executable('app', 'main.c', link_args: link + [f'-sSTACK_SIZE=1@suffix@'],)
"""


def test_meson_build_values_keep_their_positions():
    from wasmlint.toolchain.meson import MesonEval
    ev = MesonEval(MESON_SYNTAX, "meson.build")
    [(name, span, argv)] = ev.run(None)
    assert name == "app" and span.line == 26
    assert [t.value for t in argv] == ["-sINITIAL_MEMORY=64MB", "-s", "EXPORT_NAME='Mod'", "-pthread", "-O2",
                                       "-sSTACK_SIZE=1MB"]
    first = argv[0].span()
    assert (first.line, first.column, first.end_line, first.end_column) == (23, 10, 23, 29)
    a, b = argv[2].text.source_range()
    assert MESON_SYNTAX[a:b] == "EXPORT_NAME=\\'Mod\\'"     # escapes decoded, source kept
    assert ev.switches() == ["if cc.has_argument('-pthread') and not get_option('single_thread')",
                             "elif host_machine.system() == 'emscripten'", "if name not in ['x', 'y']"]


def test_meson_extents_are_those_lark_propagates():
    # the reader parses without propagate_positions and finds a node's extent from its tokens
    from lark import Lark

    from wasmlint.resources import grammar_text
    from wasmlint.toolchain import meson
    text = MESON_SYNTAX + ("if (a) or b[0] == [] and (c).d() != {'k': (1)}\n  x = ((y))\nendif\n"
                           "e = executable('e', link_args: [(f), g(h,), [],])\n")
    with_positions = Lark(grammar_text("meson.lark"), parser="lalr", postlex=meson._Brackets(),
                          propagate_positions=True, maybe_placeholders=False)
    expected = [(n.data, n.meta.start_pos, n.meta.end_pos) for n in with_positions.parse(text).iter_subtrees()
                if n.data not in ("start", "args", "body", "if_block", "elif_part", "else_part", "foreach_block")]
    tree, tokens = meson._parse(text, "start")
    extents = meson._Extents(tokens)
    got = [(n.data, *extents.span(n)) for n in tree.iter_subtrees()
           if n.data not in ("start", "args", "body", "if_block", "elif_part", "else_part", "foreach_block")]
    assert got == expected and len(got) > 100


def test_meson_cross_file_constants_reach_the_link_args():
    from wasmlint.toolchain.meson import cross_file_facts
    text = ("[constants]\nmem = ['-s', 'ALLOW_MEMORY_GROWTH=1']\n\n[built-in options]\n"
            "c_link_args = ['-sINITIAL_MEMORY=32MB'] + mem\ncpp_link_args = c_link_args\n"
            "[binaries]\npkg-config = ['pkg-config', '--static']\n")
    [inv] = [f for f in cross_file_facts(text, "cross.ini") if f.kind == "emcc-invocation"]
    assert inv.settings["ALLOW_MEMORY_GROWTH"] == 1 and inv.settings["INITIAL_MEMORY"] == 32 << 20


def test_meson_files_the_grammar_rejects_are_skipped():
    from wasmlint.sources import SourceFile, load_extractor
    broken = SourceFile("meson.build", "meson", b"executable('app', link_args: [\n")
    assert load_extractor("meson")(broken) == []


def test_meson_nesting_past_what_meson_parses_is_skipped_at_once():
    # meson's own parser stops with a RecursionError between 80 and 90 nested brackets
    from wasmlint.toolchain.meson import MAX_NESTING, meson_facts

    def nested(depth: int) -> str:
        return ("project('p', 'c')\nexecutable('a', 'a.c', link_args: "
                + "[" * depth + "'-sALLOW_MEMORY_GROWTH=1'" + "]" * depth + ")\n")
    [inv] = [f for f in meson_facts(nested(80), "meson.build") if f.kind == "emcc-invocation"]
    assert inv.settings == {"ALLOW_MEMORY_GROWTH": 1}
    from wasmlint.sources import SourceFile, load_extractor
    deep = SourceFile("meson.build", "meson", nested(MAX_NESTING + 50).encode())
    assert load_extractor("meson")(deep) == []


def test_meson_arrays_built_past_the_expansion_budget_are_not_known(monkeypatch):
    # `v2 = v1 + [x]` keeps every array: a long chain holds the square of its length
    from wasmlint import budget
    from wasmlint.toolchain.meson import meson_facts
    text = "project('p', 'c')\nv0 = ['-sALLOW_MEMORY_GROWTH=1']\n" + "".join(
        f"v{i} = v{i - 1} + ['-sSTACK_SIZE={i}MB']\n" for i in range(1, 40)) + \
        "executable('a', 'a.c', link_args: v39)\n"
    [inv] = [f for f in meson_facts(text, "meson.build") if f.kind == "emcc-invocation"]
    assert inv.settings == {"ALLOW_MEMORY_GROWTH": 1, "STACK_SIZE": 39 << 20} and not inv.opaque_args
    monkeypatch.setattr(budget, "FLOOR", 200)      # 200 array items and string characters
    monkeypatch.setattr(budget, "FACTOR", 0)
    [inv] = [f for f in meson_facts(text, "meson.build") if f.kind == "emcc-invocation"]
    assert inv.settings == {} and inv.opaque_args


def test_meson_files_are_classified_by_name_and_machine_files_by_content():
    from wasmlint.classify import kind_by_content, kind_by_name, needs_sniff
    assert kind_by_name("sub/meson.build") == "meson"
    assert kind_by_name("build/emscripten.cross") == "meson-cross"
    assert needs_sniff("build/wasm32-emscripten.ini", None)
    assert kind_by_content("build/wasm32-emscripten.ini", b"[binaries]\nc = 'emcc'\n\n[host_machine]\n", None) \
        == "meson-cross"
    assert kind_by_content("setup.ini", b"[metadata]\nname = x\n", None) is None


def test_shell_fragments_without_a_build_word_are_not_evaluated(monkeypatch):
    from wasmlint.toolchain import shell_argv
    from wasmlint.toolchain.pstr import LineIndex
    from wasmlint.sources import SourceFile
    from wasmlint.textpos import MappedText
    calls = []
    monkeypatch.setattr(shell_argv, "facts_from_mapped", lambda *a, **k: calls.append(a) or [])
    src = SourceFile("ci.yml", "github-workflow", b"")
    for text in ("npm ci && npm test", "pip install -r requirements.txt"):
        shell_argv.build_facts_in(MappedText.verbatim(text, 0), LineIndex(text, "ci.yml"), src)
    assert calls == []
    for text in ("emcc a.c -o a.js", "cargo build --target wasm32-unknown-unknown", "$EMCC_CMD a.c"):
        shell_argv.build_facts_in(MappedText.verbatim(text, 0), LineIndex(text, "ci.yml"), src)
    assert len(calls) == 3


@pytest.mark.parametrize("argv,run", [
    (["cargo", "clippy", "--all-targets", "--", "-D", "warnings"], None),
    (["cargo", "publish", "--locked"], None),
    (["cargo", "doc", "--no-deps"], None),
    (["rustc", "--target", "wasm32-unknown-unknown", "lib.rs"], None),     # rustc reads no RUSTFLAGS
    (["cargo", "+nightly", "build", "--target", "wasm32-unknown-unknown"], CargoRun("cargo", "wasm32-unknown-unknown")),
    (["cargo", "-Z", "unstable-options", "b", "--target=wasm32-wasip1"], CargoRun("cargo", "wasm32-wasip1")),
    (["cargo", "build", "--config", 'build.target="wasm32-wasip2"'], CargoRun("cargo", "wasm32-wasip2")),
    (["cargo", "test", "--workspace"], CargoRun("cargo", None)),
    (["rustup", "run", "nightly", "wasm-pack", "build", "--target", "web"], CargoRun("wasm-pack", "wasm32-unknown-unknown")),
    (["wasm-pack", "login"], None),
    (["cargo", "component", "build", "--release"], CargoRun("cargo-component", "wasm32-wasip1")),
    (["trunk", "build", "--release"], CargoRun("trunk", "wasm32-unknown-unknown")),
])
def test_cargo_run_names_linking_builds_and_their_triple(argv, run):
    assert cargo_run(argv) == run


@pytest.mark.parametrize("argv,build", [
    (["wasm-pack", "build", "-t", "web", "-d", "pkg-parallel", ".", "--", "-Z", "build-std=std"],
     RustBuild("wasm-pack", crate=".", profile_dir="release", out_dir="pkg-parallel")),
    (["wasm-pack", "build", "--target", "nodejs", "--out-name", "photon-node", "./crate"],
     RustBuild("wasm-pack", crate="./crate", profile_dir="release", out_name="photon-node")),
    (["wasm-pack", "build", "--dev", "crates/app", "--out-dir=www/pkg"],
     RustBuild("wasm-pack", crate="crates/app", profile_dir="debug", out_dir="www/pkg")),
    (["cargo", "build", "--target", "wasm32-unknown-unknown", "-p", "css_node", "--release"],
     RustBuild("cargo", crate=None, package="css_node", profile_dir="release")),
    (["cargo", "build", "--release", "--target", "wasm32-wasip1", "--manifest-path", "guest/Cargo.toml"],
     RustBuild("cargo", crate="guest", manifest="guest/Cargo.toml", profile_dir="release")),
    (["cargo", "build", "--target=wasm32-unknown-unknown", "--profile", "bench", "-pengine", "--target-dir", "out"],
     RustBuild("cargo", crate=None, package="engine", profile_dir="release", target_dir="out")),
    (["cargo", "test", "--target", "wasm32-unknown-unknown"], None),
    (["trunk", "build", "--release"], None),
])
def test_rust_build_names_what_a_shipped_build_writes(argv, build):
    run = cargo_run(argv)
    assert (rust_build(run) if run.ships else None) == build


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "project"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_sourced_files_that_source_each_other_are_read_once_each(tmp_path):
    root = _project(tmp_path, {
        "env.sh": '. ./flags.sh\nEMCC_LINK="$LINK_FLAGS -sMODULARIZE=1"\n',
        "flags.sh": '. ./env.sh\nLINK_FLAGS="-O3 -sINITIAL_MEMORY=64MB"\n',
        "build.sh": '#!/bin/sh\n. ./env.sh\nemcc main.c $EMCC_LINK -o dist/app.js\n'})
    src = _src(root / "build.sh", "shell", root)
    inv = _inv(extract_build_facts(src))
    assert [(f.output, f.settings) for f in inv] == [("dist/app.js", {"INITIAL_MEMORY": 64 * MB, "MODULARIZE": 1})]
    assert src.read_others          # facts that depend on other files are not cached


def test_sourcing_stops_at_the_depth_limit(tmp_path):
    from wasmlint.bashcalls import MAX_DEPTH
    files = {f"step{k}.sh": f". ./step{k + 1}.sh\nemcc step{k}.c -sINITIAL_MEMORY={k + 1}MB -o out/step{k}.js\n"
             for k in range(MAX_DEPTH + 4)}
    root = _project(tmp_path, {**files, "build.sh": "#!/bin/sh\n. ./step0.sh\n"})
    outputs = {f.output for f in _inv(extract_build_facts(_src(root / "build.sh", "shell", root)))}
    assert outputs == {f"out/step{k}.js" for k in range(MAX_DEPTH)}


def test_files_outside_the_project_and_files_that_are_no_files_are_not_read(tmp_path):
    import os
    root = _project(tmp_path, {"build.sh": "#!/bin/sh\n. ../emsdk/emsdk_env.sh\n. ./fifo.sh\n. ./folder.sh\n"
                                           ". ./data.sh\nemcc main.c $FLAGS -o dist/app.js\n"})
    (tmp_path / "emsdk").mkdir()
    (tmp_path / "emsdk" / "emsdk_env.sh").write_text('FLAGS="-sINITIAL_MEMORY=64MB"\n')
    os.mkfifo(root / "fifo.sh")
    (root / "folder.sh").mkdir()
    (root / "data.sh").write_bytes(b"\x00\xff\xfe" * 100)
    inv = _inv(extract_build_facts(_src(root / "build.sh", "shell", root)))
    assert [(f.output, f.settings) for f in inv] == [("dist/app.js", {})]


def test_recursive_functions_and_scripts_that_run_themselves_end(tmp_path):
    root = _project(tmp_path, {"build.sh": '#!/bin/bash\nbuild() { emcc "$1.c" -o "dist/$1.js"; build "$1"x; }\n'
                                           'build app\nbash ./build.sh again\n'})
    outputs = [f.output for f in _inv(extract_build_facts(_src(root / "build.sh", "shell", root)))]
    assert outputs[:2] == ["dist/app.js", "dist/appx.js"] and len(outputs) <= 8


def _argvs(script: str) -> list[list[str]]:
    from wasmlint.toolchain.shell_eval import evaluate
    text = PStr.source(script, 0)
    return [[t.value for t in c.argv] for c in evaluate(text, LineIndex(script, "build.sh")).commands]


@pytest.mark.parametrize("script,argv", [
    # an append in one branch never reaches another; the script goes on in the else branch
    ('F="-sFORCE_FILESYSTEM"\nif [ -n "$DEBUG" ]; then F+=" -O0 -g"; F+=" -sASSERTIONS=2"\n'
     'elif [ "$1" = size ]; then F+=" -Oz"\nelse F+=" -O3"; fi\nemcc $F a.c\n',
     ["emcc", "-sFORCE_FILESYSTEM", "-O3", "a.c"]),
    # a lone then branch sets the default
    ('if [ -z "$OPT" ]; then OPT=-O2; fi\nemcc $OPT a.c\n', ["emcc", "-O2", "a.c"]),
    # case items are alternatives too, and `*)` is the fallback
    ('M=-sMODULARIZE\ncase "$1" in\n  debug|dev) M+=" -O0 -g" ;;\n  *) M+=" -O3" ;;\nesac\nemcc $M a.c\n',
     ["emcc", "-sMODULARIZE", "-O3", "a.c"]),
    # a branch that changes nothing keeps what another one set
    ('F=-O1\nif [ -n "$CI" ]; then F=-O3; else echo local; fi\nemcc $F a.c\n', ["emcc", "-O3", "a.c"]),
])
def test_branches_are_alternatives(script, argv):
    assert argv in _argvs(script)
    assert not any("-O0" in a and "-O3" in a for a in _argvs(script))


def test_commands_of_every_branch_and_test_are_read():
    script = ('if emcc --version; then emcc -O3 a.c -o a.js; else emcc -O0 a.c -o a.js; fi\n'
              'case "$(uname)" in Darwin) emcc -Oz b.c ;; esac\n')
    assert _argvs(script) == [["emcc", "--version"], ["emcc", "-O3", "a.c", "-o", "a.js"],
                              ["emcc", "-O0", "a.c", "-o", "a.js"], ["emcc", "-Oz", "b.c"]]


def test_shell_substitution_of_a_node_program_that_prints_a_constant(tmp_path):
    """ffmpeg.wasm's build/ffmpeg-wasm.sh: ``-sEXPORTED_FUNCTIONS=$(node src/bind/…/export.js)``,
    the program printing a constant list joined with commas (paths from the project folder)."""
    (tmp_path / "src" / "bind").mkdir(parents=True)
    (tmp_path / "build").mkdir()
    (tmp_path / "src" / "bind" / "exports.js").write_text(
        'const EXPORTS = ["_decode", "_malloc"];\n\nconsole.log(EXPORTS.join(","));\n')
    (tmp_path / "src" / "bind" / "runtime.js").write_text(
        'function show(list) {\n  console.log(list.join(","));\n}\nshow(["FS", "ccall"]);\n')
    (tmp_path / "build" / "methods.js").write_text('process.stdout.write("ccall," + "cwrap")\n')
    script = tmp_path / "build" / "wasm.sh"
    script.write_text("FLAGS=(\n  -sEXPORTED_FUNCTIONS=$(node src/bind/exports.js)  # exported\n"
                      "  -sEXPORTED_RUNTIME_METHODS=$(node src/bind/runtime.js)\n"
                      "  -sINCOMING_MODULE_JS_API=\"$(node methods.js)\"\n"
                      "  -sEXPORT_NAME=$(node ../../outside.js)\n)\nemcc \"${FLAGS[@]}\" -o dec.js\n")
    (tmp_path.parent / "outside.js").write_text('console.log("Escaped")\n')
    facts = extract_build_facts(SourceFile("build/wasm.sh", "shell", script.read_bytes(),
                                           abspath=str(script), root=str(tmp_path)))
    inv = _inv(facts)[0]
    assert inv.settings["EXPORTED_FUNCTIONS"] == ["_decode", "_malloc"]
    assert inv.settings["INCOMING_MODULE_JS_API"] == ["ccall", "cwrap"]   # beside the script
    assert inv.settings["EXPORTED_RUNTIME_METHODS"] is None    # printed inside a function: unknown
    assert inv.settings["EXPORT_NAME"] is None                 # outside the project: not read
    setting = next(f for f in facts if f.kind == "emcc-setting" and f.name == "EXPORTED_FUNCTIONS")
    assert (setting.span.path, setting.span.line) == ("build/wasm.sh", 2)


def test_shell_cd_moves_later_commands_until_a_subshell_ends():
    from wasmlint.toolchain.shell_eval import evaluate
    text = ("cd src && make clean && make ARCH=wasm build\n"
            "(cd ../tools && make)\n"
            "pushd web; make PLATFORM=web; popd\n"
            "make\n"
            'cd "$(dirname "$0")"\n'
            "make\n")
    cmds = evaluate(PStr.source(text, 0), LineIndex(text, "build.sh")).commands
    makes = [(c.cwd, " ".join(a.text.text for a in c.argv[1:])) for c in cmds if c.argv[0].text.text == "make"]
    assert makes == [("src", "clean"), ("src", "ARCH=wasm build"), ("tools", ""), ("src/web", "PLATFORM=web"),
                     ("src", ""), (None, "")]


def test_shell_cd_in_a_sourced_file_or_function_moves_the_caller_a_run_script_or_substitution_does_not():
    from wasmlint import bash
    files = {"env.sh": "cd engine\n", "sub.sh": "#!/bin/sh\ncd /opt\nmake\n"}

    def reader(name, base):
        name = posixpath.normpath(name)
        return bash.Loaded(name, name, files[name]) if name in files else None

    text = ("to_web() { cd web; }\n"
            "V=$(cd /tmp; pwd)\nmake A=1\n"
            ". ./env.sh\nmake A=2\n"
            "./sub.sh\nmake A=3\n"
            "if [ -n \"$X\" ]; then cd x; else cd y; fi\nmake A=4\n"
            "to_web; make A=5\n")
    run = bash.evaluate(PStr.source(text, 0), reader=reader)
    makes = [(c.cwd, " ".join(a.text for a in c.argv[1:])) for c in run.commands if c.argv[0].text == "make"]
    assert makes == [("", "A=1"), ("engine", "A=2"), (None, ""), ("engine", "A=3"), ("engine/y", "A=4"),
                     ("engine/y/web", "A=5")]


def test_a_workflow_is_evaluated_once_for_every_makefile_it_may_run(tmp_path, monkeypatch):
    """Each Makefile and CMakeLists.txt looks for the commands that run it in the same
    workflows and scripts: each file's text is evaluated once, and each Makefile still gets
    its own runs (a monorepo of 14,000 files had 123 shell texts read again per Makefile)."""
    from wasmlint.toolchain import shell_eval
    from wasmlint.toolchain.make_runs import project_runs
    from wasmlint.toolchain.project_files import ProjectFiles
    (tmp_path / ".git").mkdir()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "build.yml").write_text(
        "on: push\njobs:\n  wasm:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: emmake make -C engine ARCH=wasm\n      - run: cd codec && emmake make MODE=release\n")
    for d in ("engine", "codec"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "Makefile").write_text("all:\n\techo $(ARCH)\n")
    calls = []
    real = shell_eval.evaluate
    monkeypatch.setattr(shell_eval, "evaluate", lambda *a, **k: calls.append(1) or real(*a, **k))
    runs = {}
    for d in ("engine", "codec"):
        src = _src(tmp_path / d / "Makefile", "makefile", tmp_path)
        src.path = f"{d}/Makefile"
        runs[d] = [r.label for r in project_runs(ProjectFiles(src), f"{d}/Makefile", 1)[0]]
    assert runs == {"engine": ["make ARCH=wasm"], "codec": ["make MODE=release"]}
    assert len(calls) == 2       # the workflow's two run blocks, once


def test_shell_evaluations_of_one_text_are_shared_across_readers_only_when_no_file_is_read():
    """package.json reads each script for its role (no reader), then for its launches and
    builds (the project's reader): one evaluation, unless the script asks for a file, which
    only the reader finds."""
    from wasmlint import bash, budget

    def reader(name, base):
        name = posixpath.normpath(name)
        return bash.Loaded(name, name, "export A=from-file\n") if name == "env.sh" else None

    with budget.for_file(100):
        plain = PStr.source("NODE_OPTIONS=--expose-gc node a.js && emcc a.c", 0)
        assert bash.evaluate(plain) is bash.evaluate(plain, reader=reader)
        sourcing = PStr.source(". ./env.sh && node $A.js", 0)
        alone, read = bash.evaluate(sourcing), bash.evaluate(sourcing, reader=reader)
        assert alone is not read and alone.reads
        assert [[f.text for f in c.argv] for c in read.commands][1] == ["node", "from-file.js"]
        assert [[f.text for f in c.argv] for c in alone.commands][1] == ["node", "\ue000.js"]


def test_makefile_command_line_variables_beat_the_files_unless_override():
    text = ("ARCH = native\n"
            "LDFLAGS = -O2\n"
            "LDFLAGS += -sINITIAL_MEMORY=32MB\n"
            "override LDFLAGS += -sEXPORT_NAME=Engine\n"
            "ifeq ($(ARCH),wasm)\n"
            "  CC = emcc\n"
            "else\n"
            "  CC = gcc\n"
            "endif\n"
            "engine.js: main.o\n"
            "\t$(CC) -o $@ main.o $(LDFLAGS)\n")
    from wasmlint.toolchain.make_runs import MakeRun
    from wasmlint.toolchain.makefile import MakeReader
    from wasmlint.toolchain.makefile_facts import facts_of
    reader = MakeReader(text, "Makefile")
    assert [f for f in _inv(facts_of(reader)) if f.variant is None] == []   # ARCH = native: a gcc link
    reader.runs = [MakeRun("make ARCH=wasm LDFLAGS=-sALLOW_MEMORY_GROWTH",
                           {"ARCH": ("=", PStr.synth("wasm")), "LDFLAGS": ("=", PStr.synth("-sALLOW_MEMORY_GROWTH"))})]
    (inv,) = _inv(facts_of(reader))
    assert inv.variant == "make ARCH=wasm LDFLAGS=-sALLOW_MEMORY_GROWTH"
    assert inv.settings == {"ALLOW_MEMORY_GROWTH": 1, "EXPORT_NAME": "Engine"}   # `+=` lost, `override +=` kept


def test_makefile_lines_are_scanned_into_the_tokens_lark_makes_of_them():
    """The Makefile line scanner tries the grammar's terminals in the order lark's standard
    lexer does: every line gives lark's tokens, and a line lark cannot lex gives none."""
    import random

    from lark import Lark
    from lark.exceptions import LarkError

    from wasmlint.resources import grammar_text
    from wasmlint.toolchain.makefile_lines import _lexed
    lark = Lark(grammar_text("makefile_line.lark"), parser="lalr")

    def lark_tokens(line: str):
        try:
            return tuple((t.type, t.start_pos, t.end_pos) for t in lark.lex(line))
        except LarkError:
            return ()

    rng = random.Random(17)
    lines = ["CFLAGS ::= -O2 $(X)", "a b &: c ; d", "x := $(subst a,b,$(Y:%.c=%.o)) $$HOME", "t: V += 1",
             "ifeq ($(A),b)", "end $", "export A B"]
    lines += ["".join(rng.choice(" \t$(){}:=+?!&;#ab,%@") for _ in range(rng.randint(0, 14))) for _ in range(3000)]
    assert _lexed("end $") == ()
    assert [line for line in lines if _lexed(line) != lark_tokens(line)] == []


@pytest.mark.parametrize("joined", ['"$A $B"', '"$A\t${B}"', '"${A} $(echo -O2)"', '"$A   $B"'])
def test_blanks_between_expansions_in_double_quotes_are_kept(joined):
    # tree-sitter-bash starts the second expansion at the blanks before its `$`: bash keeps them
    script = f'A="-sMODULARIZE=1 -sEXPORTED_RUNTIME_METHODS=[\'ccall\']"\nB=-O2\nF={joined}\nemcc $F a.c\n'
    assert _argvs(script) == [["emcc", "-sMODULARIZE=1", "-sEXPORTED_RUNTIME_METHODS=['ccall']", "-O2", "a.c"]]


@pytest.mark.parametrize("script,argv", [
    # every word the test compares is known: bash runs that branch alone
    ('M=release\nif [ "$M" = "release" ]; then emcc -O3 a.c; else emcc -O0 a.c; fi\n', [["emcc", "-O3", "a.c"]]),
    ('M=dev\nif [[ $M == rel* ]]; then emcc -O3 a.c; elif [ -n "$M" ]; then emcc -O1 a.c; else emcc -O0 a.c; fi\n',
     [["emcc", "-O1", "a.c"]]),
    ('M=web\ncase "$M" in\n  native) gcc a.c ;;\n  web|wasm) emcc -O2 a.c ;;\n  *) echo no ;;\nesac\n',
     [["emcc", "-O2", "a.c"]]),
    ('F=-O1\nif test "$F" != -O1 || [ -z "$F" ]; then F=-O3; fi\nemcc $F a.c\n',
     [["test", "-O1", "!=", "-O1"], ["emcc", "-O1", "a.c"]]),
    # a default of an unknown parameter, a value one undecided branch chose: every branch stays
    ('M=${1:-debug}\nif [ "$M" = debug ]; then emcc -O0 a.c; else emcc -O3 a.c; fi\n',
     [["emcc", "-O0", "a.c"], ["emcc", "-O3", "a.c"]]),
    ('if [ -n "$CI" ]; then M=rel; else M=dev; fi\nif [ "$M" = rel ]; then emcc -O3 a.c; else emcc -O0 a.c; fi\n',
     [["emcc", "-O3", "a.c"], ["emcc", "-O0", "a.c"]]),
])
def test_tests_of_known_words_are_decided(script, argv):
    assert _argvs(script) == argv


def test_a_workflow_running_another_function_of_the_script_configures_nothing(tmp_path):
    # WL102/cmake-option-set-by-workflow-script with the step running the native function:
    # its configure line never turns the web option on, so the web link is not built
    from tests.fixture_harness import FIXTURES, materialise, run_cli
    work = materialise(FIXTURES / "WL102" / "cmake-option-set-by-workflow-script", tmp_path)
    live = work / ".github" / "workflows" / "live.yml"
    live.write_text(live.read_text().replace("build_steps.sh build_web", "build_steps.sh build_native"))
    rc, out, err = run_cli(["check", "--select", "WL102", "--output-format", "concise", "--no-cache", "."], work)
    assert (rc, out, "Traceback" in err) == (0, "", False)


def test_configure_lines_that_all_build_the_target_and_disagree_give_it_no_build_type(tmp_path):
    # WL503/cmake-target-off-in-other-configure-line with the second line keeping the editor:
    # both lines build it, one Release and one RelWithDebInfo, so its build type is not known
    from tests.fixture_harness import FIXTURES, materialise, run_cli
    work = materialise(FIXTURES / "WL503" / "cmake-target-off-in-other-configure-line", tmp_path)
    lib = work / "build-lib.sh"
    lib.write_text(lib.read_text().replace("  -DENABLE_GUI=OFF \\\n", ""))
    rc, out, err = run_cli(["check", "--select", "WL503", "--output-format", "concise", "--no-cache", "."], work)
    assert (rc, out, "Traceback" in err) == (0, "", False)


def test_an_image_pinned_after_a_settings_removal_still_rejects_it(tmp_path):
    # WL511/pinned-before-removal built in emscripten/emsdk:2.0.0, which no longer has the Emterpreter
    from tests.fixture_harness import FIXTURES, materialise, run_cli
    work = materialise(FIXTURES / "WL511" / "pinned-before-removal", tmp_path)
    build = work / "build.sh"
    build.write_text(build.read_text().replace('"sdk-tag-1.39.0-64bit"', '"2.0.0"')
                     .replace("trzeci/emscripten:", "emscripten/emsdk:"))
    rc, out, err = run_cli(["check", "--select", "WL511", "--output-format", "concise", "--no-cache", "."], work)
    assert (rc, "Traceback" in err) == (1, False)
    assert out.splitlines() == [
        "lib/Makefile:7:3: warning: emcc rejects `-sEMTERPRETIFY`: Attempt to set a non-existent setting: "
        "'EMTERPRETIFY' [WL511]",
        "lib/Makefile:8:3: warning: emcc rejects `-sEMTERPRETIFY_ASYNC`: Attempt to set a non-existent setting: "
        "'EMTERPRETIFY_ASYNC' [WL511]"]


def test_an_emsdk_script_run_without_its_version_argument_installs_the_newest(tmp_path):
    # WL510/emsdk-script-argument with the npm script passing no release: `${1:-latest}`
    from tests.fixture_harness import FIXTURES, materialise, run_cli
    work = materialise(FIXTURES / "WL510" / "emsdk-script-argument", tmp_path)
    pkg = work / "package.json"
    pkg.write_text(pkg.read_text().replace("setup-emsdk.sh 1.39.2", "setup-emsdk.sh"))
    rc, out, err = run_cli(["check", "--select", "WL510", "--output-format", "concise", "--no-cache", "."], work)
    assert (rc, "Traceback" in err) == (1, False)
    assert out.splitlines() == ["scripts/build.sh:5:5: error: emcc rejects `-sDEMANGLE_SUPPORT=1`: invalid command "
                                "line setting `-sDEMANGLE_SUPPORT=1`: No longer supported [WL510]"]


@pytest.mark.parametrize("condition, expected, entries, shadowed, off", [
    ("ENABLE_GUI", True, {"ENABLE_GUI": "OFF"}, (), True),             # the line turns the switch off
    ("ENABLE_GUI", True, {"ENABLE_GUI": "ON"}, (), False),
    ("NOT ENABLE_GUI", True, {"ENABLE_GUI": "OFF"}, (), False),        # taken the other way round
    ("ENABLE_GUI OR ENABLE_CLI", True, {"ENABLE_GUI": "OFF"}, (), False),    # ENABLE_CLI keeps its ON
    ("ENABLE_GUI OR ENABLE_WEB", True, {"ENABLE_GUI": "OFF"}, (), True),     # ENABLE_WEB keeps its OFF
    ("ENABLE_GUI OR EXTRA", True, {"ENABLE_GUI": "OFF"}, (), False),         # EXTRA: not known there
    ("ENABLE_GUI", True, {"ENABLE_GUI": "OFF"}, ("ENABLE_GUI",), False),   # a normal variable hides the entry
    ("ENABLE_GUI AND TARGET gui_deps", True, {"ENABLE_GUI": "OFF"}, (), False),   # TARGET: not the line's
    ("PLATFORM STREQUAL WEB", False, {"PLATFORM": "WEB"}, (), True),     # a branch not taken: the line takes it
])
def test_a_configure_line_decides_the_conditions_a_target_is_defined_under(condition, expected, entries,
                                                                           shadowed, off):
    from wasmlint.toolchain.cmake_target_config import _turns_off
    from wasmlint.toolchain.cmake_targets import Guard
    from wasmlint.toolchain.pstr import UNKNOWN, PStr
    held = {"ENABLE_GUI": (PStr.synth("ON"), True), "ENABLE_CLI": (PStr.synth("ON"), True),
            "ENABLE_WEB": (PStr.synth("OFF"), True), "EXTRA": (PStr.synth(UNKNOWN), True),
            "PLATFORM": (None, True), "WEB": (None, False)}
    guard = Guard([(PStr.synth(w), False) for w in condition.split()], expected, held, frozenset(shadowed))
    assert _turns_off(guard, {n: PStr.synth(v) for n, v in entries.items()}) is off
