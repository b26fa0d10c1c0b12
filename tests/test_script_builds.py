"""Builds written in a programming language, layer by layer: the values each reader
gives a process (JS/TS, Python, Rust), the places those values keep in the file, and
the facts they become (the shell layer's own)."""
from __future__ import annotations

from wasmlint.sources import SourceFile
from wasmlint.sources.js import extract as js_extract
from wasmlint.sources.python import extract as python_extract
from wasmlint.sources.xtask import extract as xtask_extract
from wasmlint.toolchain import python_argv
from wasmlint.toolchain.pstr import UNKNOWN
from wasmlint.toolchain.rust_commands import runs as rust_runs
from wasmlint.toolchain.rust_values import Source


def _facts(extract, name: str, text: str, kind: str):
    return extract(SourceFile(name, kind, text.encode()))


def _kinds(facts, kind: str):
    return [f for f in facts if f.kind == kind]


def _js_links(text: str):
    return _kinds(_facts(js_extract, "build.mjs", text, "js"), "rust-link")


def _python_runs(text: str):
    script, problem = python_argv.parse(text, "build.py")
    assert problem is None
    return python_argv.runs(script)


def _at(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of ``needle`` in ``text``."""
    before = text[:text.index(needle)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


# ---------------------------------------------------------------- JS / TS
def test_js_spawn_with_shell_true_joins_program_and_arguments_as_node_does():
    text = ("const { spawnSync } = require('child_process');\n"
            "const flags = ['-sALLOW_MEMORY_GROWTH=1', '-sEXPORTED_FUNCTIONS=\"[\\'_main\\']\"'];\n"
            "spawnSync('emcc', ['src/tracy.c', ...flags, '-o', 'src/tracy_c.js'], { stdio: 'inherit', shell: true });\n")
    inv = _kinds(_facts(js_extract, "build.js", text, "js"), "emcc-invocation")[0]
    # the shell removes the double quotes: emcc sees EXPORTED_FUNCTIONS=['_main']
    assert inv.settings["EXPORTED_FUNCTIONS"] == ["_main"] and inv.output == "src/tracy_c.js"
    assert (inv.growth_span.line, inv.growth_span.column) == _at(text, "-sALLOW")


def test_js_wrapper_splitting_words_under_shared_shell_options_runs_a_line():
    """``const [cmd, ...args] = command.split(' ')`` handed to spawnSync with options that
    spread a ``{shell: true}`` object: node joins the words again and the shell reads the line,
    quotes and all (z3's build-wasm.ts)."""
    text = ("import { spawnSync as spawn } from 'child_process';\n"
            "const OPTS = { shell: true, stdio: 'inherit' };\n"
            "function run(command: string, opts = {}) {\n"
            "  const [cmd, ...args] = command.split(' ');\n"
            "  return spawn(cmd, args, { ...OPTS, ...opts });\n"
            "}\n"
            "run(`emcc lib.a -s MODULARIZE=1 -s 'EXPORT_NAME=\"initLib\"' -o out/lib.js`);\n")
    inv = _kinds(_facts(js_extract, "build.ts", text, "ts"), "emcc-invocation")[0]
    assert inv.settings == {"MODULARIZE": 1, "EXPORT_NAME": "initLib"} and inv.output == "out/lib.js"


def test_js_execa_template_with_options_and_promisified_exec():
    text = ("import { $ } from 'execa';\n"
            "import { exec } from 'node:child_process';\n"
            "import util from 'node:util';\n"
            "const run = util.promisify(exec);\n"
            "const out = 'dist';\n"
            "await $({ cwd: 'native' })`emcc -O3 -sINITIAL_MEMORY=32MB core.c -o ${out}/core.js`;\n"
            "await run(`emcc -O2 -sTOTAL_STACK=65536 aux.c -o ${out}/aux.js`);\n")
    invs = {f.output: f for f in _kinds(_facts(js_extract, "build.mjs", text, "js"), "emcc-invocation")}
    assert set(invs) == {"dist/core.js", "dist/aux.js"}
    assert invs["dist/core.js"].settings["INITIAL_MEMORY"] == 32 << 20
    assert invs["dist/aux.js"].settings["STACK_SIZE"] == 65536


def test_js_pushes_in_straight_line_code_are_read_and_one_under_a_condition_is_unknown():
    text = ("const cp = require('child_process');\n"
            "const args = ['-O3'];\n"
            "args.push('-sINITIAL_MEMORY=64MB', '-o', 'out.js');\n"
            "if (process.env.DEV) { args.push('-sASSERTIONS=2'); }\n"
            "cp.execFileSync('emcc', args);\n")
    inv = _kinds(_facts(js_extract, "build.js", text, "js"), "emcc-invocation")[0]
    assert inv.settings == {"INITIAL_MEMORY": 64 << 20} and inv.output == "out.js"
    assert inv.opt_level == "-O3"


def test_js_regexp_exec_and_unbound_names_start_nothing():
    text = ("const exec = (s) => s;\n"
            "exec('emcc -sALLOW_MEMORY_GROWTH=1 a.c');\n"
            "/x/.exec('emcc -sALLOW_MEMORY_GROWTH=1 b.c');\n"
            "require('child_process');\n")
    assert _kinds(_facts(js_extract, "build.js", text, "js"), "emcc-invocation") == []


def test_js_env_object_filled_before_the_call_sets_rustflags():
    text = ('import { spawnSync } from "node:child_process"\n'
            'const env = { ...process.env }\n'
            'const extra = "-C link-arg=--max-memory=67108864"\n'
            'env.RUSTFLAGS = env.RUSTFLAGS ? `${env.RUSTFLAGS} ${extra}` : extra\n'
            'env.CARGO_TERM_COLOR = "always"\n'
            'spawnSync("cargo", ["build", "--target", "wasm32-unknown-unknown"], { stdio: "inherit", env })\n')
    link = _kinds(_facts(js_extract, "compile.mjs", text, "js"), "rust-link")[0]
    # which branch runs is decided at run time: RUSTFLAGS is set, its value is not known
    assert link.origin == "RUSTFLAGS" and link.rustflags == [UNKNOWN] and link.maximum_memory is None


def test_js_process_env_written_before_the_call_is_inherited_unless_env_replaces_it():
    text = ("import { execSync } from 'node:child_process';\n"
            "process.env.RUSTFLAGS = '-C link-arg=--max-memory=67108864';\n"
            "execSync('cargo build --release --target wasm32-unknown-unknown');\n"
            "execSync('cargo build --release --target wasm32-unknown-unknown', { env: { PATH: '/bin' } });\n")
    links = _js_links(text)
    # the second build's env replaces process.env: no RUSTFLAGS, so Rust's default memory (no maximum)
    assert [(f.span.line, f.maximum_memory) for f in links] == [(2, 64 << 20), (4, None)]


def test_js_env_option_belongs_to_the_one_command_its_line_runs():
    text = ("import { execSync } from 'node:child_process';\n"
            "const env = { ...process.env, RUSTFLAGS: '-C opt-level=s' };\n"
            "execSync('cargo build --release --target wasm32-unknown-unknown', { env });\n"
            "execSync('cargo build --target wasm32-unknown-unknown && cargo test', { env });\n")
    links = _js_links(text)
    # one command: RUSTFLAGS is its own; two: the native `cargo test` reads it too
    # (the native `cargo test` is a wasm link only if the cargo config's [build] target is wasm)
    assert sorted((f.rustflags_scope, f.needs_build_target) for f in links) == [
        ("command", False), ("environment", False), ("environment", True)]


# ---------------------------------------------------------------- Python
def test_python_literals_keep_their_place_through_escapes_fstrings_and_concatenation():
    text = ('import os\n'
            'out = "dist/app.js"\n'
            'os.system(f"emcc -O2 -s\\x20TOTAL_MEMORY=64MB "  # the heap\n'
            '          f"-s EXPORT_NAME=\'App\' -o {out} src/app.c {{x}}")\n')
    facts = _facts(python_extract, "build.py", text, "python")
    inv = _kinds(facts, "emcc-invocation")[0]
    assert inv.output == "dist/app.js" and inv.settings == {"INITIAL_MEMORY": 64 << 20, "EXPORT_NAME": "App"}
    setting = next(f for f in _kinds(facts, "emcc-setting") if f.name == "INITIAL_MEMORY")
    # `-s` and its value are one setting: the span starts at `-s`, the escape is one character of it
    assert (setting.span.line, setting.span.column) == _at(text, "-s\\x20TOTAL")
    assert (setting.span.end_line, setting.span.end_column) == (3, _at(text, "64MB ")[1] + 4)


def test_python_shell_true_list_runs_its_first_element_and_a_plain_string_names_a_program():
    text = ("import subprocess as sp\n"
            "sp.check_call(['emcc -sINITIAL_MEMORY=32MB a.c -o a.js', 'ignored'], shell=True)\n"
            "sp.check_call('emcc -sINITIAL_MEMORY=64MB b.c -o b.js')\n")
    invs = _kinds(_facts(python_extract, "build.py", text, "python"), "emcc-invocation")
    assert [(f.output, f.settings["INITIAL_MEMORY"]) for f in invs] == [("a.js", 32 << 20)]


def test_python_list_formatted_into_a_flag_is_its_str():
    """``f"-sEXPORTED_FUNCTIONS={names}"`` formats the list as Python's str() does (unicorn.js)."""
    text = ("import subprocess\n"
            "names = ['_malloc', '_free']\n"
            "methods = ('ccall',)\n"
            "subprocess.run(['emcc', 'a.a', '-s', f'EXPORTED_FUNCTIONS={names}',\n"
            "                '-s', f'EXPORTED_RUNTIME_METHODS={list(methods)}', '-o', 'a.js'])\n"
            "subprocess.run(['emcc', 'b.a', '-s', f'EXPORTED_FUNCTIONS={names + extra}', '-o', 'b.js'])\n")
    invs = {f.output: f for f in _kinds(_facts(python_extract, "build.py", text, "python"), "emcc-invocation")}
    assert invs["a.js"].settings == {"EXPORTED_FUNCTIONS": ["_malloc", "_free"], "EXPORTED_RUNTIME_METHODS": None}
    assert invs["b.js"].settings == {"EXPORTED_FUNCTIONS": None}


def test_python_suffix_appended_under_a_condition_leaves_the_words_before_it_whole():
    """``if targets: cmd += ' -o lib-%s.js' % …`` may or may not run: what follows is unknown, but a
    suffix that starts with a blank cannot change the words before it (capstone.js's build.py)."""
    text = ("import os\n"
            "def build(targets):\n"
            "    cmd = 'emcc -Os lib.a -s MODULARIZE=1'\n"
            "    cmd += ' -s EXPORT_NAME=\"\\'MLib\\'\"'\n"
            "    if targets:\n"
            "        cmd += ' -o src/lib-%s.js' % '-'.join(targets)\n"
            "    else:\n"
            "        cmd += ' -o src/lib.js'\n"
            "    os.system(cmd)\n"
            "def other(flag):\n"
            "    cmd = 'emcc -Os other.a -s EXPORT_NAME=Other'\n"
            "    if flag:\n"
            "        cmd += '_' + flag\n"
            "    os.system(cmd)\n")
    invs = _kinds(_facts(python_extract, "build.py", text, "python"), "emcc-invocation")
    assert [f.settings for f in invs] == [{"MODULARIZE": 1, "EXPORT_NAME": "MLib"}, {"EXPORT_NAME": None}]


def test_python_changes_to_a_list_in_a_loop_around_the_call_make_it_unknown():
    text = ("import subprocess\n"
            "args = ['emcc', '-sALLOW_MEMORY_GROWTH=1']\n"
            "for f in ['a.c', 'b.c']:\n"
            "    subprocess.run(args + [f])\n"
            "    args.pop()\n")
    (run,) = _python_runs(text)
    assert [p.text for p in run.argv] == [UNKNOWN, UNKNOWN]


def test_python_env_from_os_environ_writes_and_a_copied_dict():
    text = ("import os, subprocess\n"
            "os.environ['CARGO_BUILD_TARGET'] = 'wasm32-unknown-unknown'\n"
            "env = os.environ.copy()\n"
            "env['RUSTFLAGS'] = '-C link-arg=--max-memory=' + str(64 * 1024 * 1024)\n"
            "if os.environ.get('CI'):\n"
            "    env['CARGO_TERM_COLOR'] = 'never'\n"
            "subprocess.run(['cargo', 'build', '--release'], env=env)\n")
    (run,) = _python_runs(text)
    assert {k: v.text for k, v in run.env.items()} == {
        "CARGO_BUILD_TARGET": "wasm32-unknown-unknown", "RUSTFLAGS": "-C link-arg=--max-memory=67108864"}


def test_python_2_is_a_note_that_its_commands_are_not_read():
    text = 'import os\nprint "building"\nos.system("emcc a.c -o a.js")\n'
    (note,) = _facts(python_extract, "old_build.py", text, "python")
    assert note.kind == "not-analysed" and note.span.line == 2
    assert note.detail.startswith("a Python 2 `print` statement")


def test_python_of_no_release_is_a_wl001_line():
    text = 'import os\nprint("building"\nos.system("emcc a.c -o a.js")\n'
    (err,) = _facts(python_extract, "old_build.py", text, "python")
    assert err.kind == "parse-error" and err.span.line == 2
    assert err.message.startswith("does not parse as Python 3 (")


# ---------------------------------------------------------------- Rust
def test_rust_format_raw_strings_and_statements_on_the_command_variable():
    text = ('use std::process::Command;\n'
            'const PAGES: u32 = 1024;\n'
            'fn main() {\n'
            '    let name = "player";\n'
            '    let mut cmd = Command::new("em++");\n'
            '    cmd.arg(format!("-o{name}.js")).arg(r#"-sEXPORTED_FUNCTIONS=["_main"]"#);\n'
            '    cmd.args(vec!["-sALLOW_MEMORY_GROWTH=1", "src/main.cpp"]);\n'
            '    if cfg!(debug_assertions) { cmd.arg("-sASSERTIONS=2"); }\n'
            '    let cmd = Command::new("true");\n'
            '    cmd.arg("-sINITIAL_MEMORY=1GB");\n'
            '}\n')
    src = Source(text, "xtask/src/main.rs")
    first = rust_runs(src)[0]
    assert [p.text for p in first.argv] == [
        "em++", "-oplayer.js", '-sEXPORTED_FUNCTIONS=["_main"]', "-sALLOW_MEMORY_GROWTH=1", "src/main.cpp", UNKNOWN]
    raw = first.argv[2]
    assert src.index.span(*raw.source_range()).line == 6
    inv = _kinds(_facts(xtask_extract, "xtask/src/main.rs", text, "xtask"), "emcc-invocation")[0]
    assert inv.output == "player.js" and inv.settings["EXPORTED_FUNCTIONS"] == ["_main"]


def test_rust_env_var_default_and_env_remove():
    text = ('use std::process::Command;\n'
            'fn main() {\n'
            '    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());\n'
            '    Command::new(&cargo)\n'
            '        .env("RUSTFLAGS", "-C link-arg=--initial-memory=1048576")\n'
            '        .env("CARGO_ENCODED_RUSTFLAGS", "")\n'
            '        .env_remove("CARGO_ENCODED_RUSTFLAGS")\n'
            '        .args(["build", "--target", "wasm32-unknown-unknown"])\n'
            '        .status()\n'
            '        .unwrap();\n'
            '}\n')
    (link,) = _kinds(_facts(xtask_extract, "xtask/src/main.rs", text, "xtask"), "rust-link")
    assert link.origin == "RUSTFLAGS" and link.initial_memory == 1 << 20


def test_build_rs_directive_with_a_placeholder_the_file_fixes():
    from wasmlint.toolchain.build_rs import build_rs_facts
    text = ('const MAX: u64 = 131072;\n'
            'fn main() {\n'
            '    let pages = 2;\n'
            '    println!("cargo:rustc-link-arg=--max-memory={}", MAX);\n'
            '    println!("cargo:rustc-link-arg=--initial-memory={pages}0000");\n'
            '    println!("cargo:rustc-link-arg=-zstack-size={:x}", 65536);\n'
            '}\n')
    link = build_rs_facts(text, "build.rs")[0]
    assert link.maximum_memory == 131072 and link.initial_memory == 20000
    assert link.link_args == ["--max-memory=131072", "--initial-memory=20000", "-zstack-size=" + UNKNOWN]


# ---------------------------------------------------------------- working folders
def _shadowed(tmp_path, files: dict[str, str]) -> list[str]:
    import json
    from tests.fixture_harness import run_cli
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / ".git").mkdir()
    rc, out, err = run_cli(["check", "--select", "WL512", "--output-format", "json", "--no-cache", "."], tmp_path)
    assert rc in (0, 1), err
    return sorted(f"{d['path']}:{d['line']} {d['message'].rsplit('rustflags of ', 1)[1]}" for d in json.loads(out))


CONFIG = '[target.wasm32-unknown-unknown]\nrustflags = ["-C", "target-feature=+simd128"]\n'


def test_the_cwd_a_script_gives_decides_which_cargo_configs_a_build_reads(tmp_path):
    js = ("import { execFileSync } from 'node:child_process';\n"
          "import path from 'node:path';\n"
          "const args = ['build', '--target', 'wasm32-unknown-unknown'];\n"
          "const env = { ...process.env, RUSTFLAGS: '-C opt-level=s' };\n"
          "execFileSync('cargo', args, { env, cwd: path.join(import.meta.dirname, '..', 'crates', 'a') });\n"
          "execFileSync('cargo', args, { env, cwd: new URL('../crates/b/', import.meta.url) });\n"
          "execFileSync('cargo', args, { env, cwd: process.cwd() });\n")
    py = ("import os, subprocess\n"
          "HERE = os.path.dirname(os.path.abspath(__file__))\n"
          "env = dict(os.environ, RUSTFLAGS='-C opt-level=s')\n"
          "subprocess.run(['cargo', 'build', '--target', 'wasm32-unknown-unknown'], env=env,\n"
          "               cwd=os.path.join(HERE, '..', 'crates', 'b'))\n")
    found = _shadowed(tmp_path, {"scripts/build.mjs": js, "tools/build.py": py, ".cargo/config.toml": CONFIG,
                                 "crates/a/.cargo/config.toml": CONFIG, "crates/b/.cargo/config.toml": CONFIG})
    # a folder the script computes when it runs reads the root config for sure, no other
    assert found == [
        "scripts/build.mjs:4 `.cargo/config.toml` [target.wasm32-unknown-unknown]",
        "scripts/build.mjs:4 `.cargo/config.toml` [target.wasm32-unknown-unknown], "
        "`crates/a/.cargo/config.toml` [target.wasm32-unknown-unknown]",
        "scripts/build.mjs:4 `.cargo/config.toml` [target.wasm32-unknown-unknown], "
        "`crates/b/.cargo/config.toml` [target.wasm32-unknown-unknown]",
        "tools/build.py:3 `.cargo/config.toml` [target.wasm32-unknown-unknown], "
        "`crates/b/.cargo/config.toml` [target.wasm32-unknown-unknown]",
    ]


def test_python_runner_of_a_library_runs_the_line_and_a_printed_command_is_not_run():
    """pygemstones' ``runner.run(" ".join(cmd), shell=True)`` starts the command; printing or
    logging the same words starts nothing (pdfium-lib's modules/wasm.py)."""
    text = ("import logging\n"
            "from pygemstones.system import runner as r\n"
            "cmd = ['em++', '-O2', '-s', 'ASSERTIONS=1', 'custom.cpp']\n"
            "print(' '.join(cmd))\n"
            "logging.info(' '.join(cmd))\n"
            "r.run(' '.join([*cmd, '-o', 'out/pdfium.js']), cwd='build', shell=True)\n")
    runs = _python_runs(text)
    assert [r.line.text for r in runs] == ["em++ -O2 -s ASSERTIONS=1 custom.cpp -o out/pdfium.js"]


def test_python_wrapper_binds_each_call_arguments_to_its_parameters():
    """``def emcc(*args, opt="-O2")`` run twice: each call's words, its ``*args`` packed and its
    keyword or the default given to the command the wrapper builds."""
    text = ("import subprocess\n"
            "def emcc(*args, opt='-O2'):\n"
            "    subprocess.check_call(['emcc', opt, *args])\n"
            "emcc('a.c', '-o', 'a.js')\n"
            "emcc('b.c', '-o', 'b.js', opt='-O0')\n")
    assert [[p.text for p in r.argv] for r in _python_runs(text)] == [
        ["emcc", "-O2", "a.c", "-o", "a.js"], ["emcc", "-O0", "b.c", "-o", "b.js"]]
