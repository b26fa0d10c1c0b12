"""Regression tests built from the reproductions of the security and reliability audit
(../shared/security-audit.md, F1–F32). Each runs `wasmlint check` in a child process under
a memory cap and a time limit, so a regression fails here instead of exhausting the machine."""
from __future__ import annotations

import base64
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

from tests.wasmbuild import build_wat

ROOT = Path(__file__).resolve().parent.parent
CAP = 2 << 30          # bytes of address space a check may take here


def check(tree: Path, *args: str, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))
    cmd = [sys.executable, "-m", "wasmlint", "check", "--no-cache", "--jobs", "1", *args]
    return subprocess.run(cmd, cwd=tree, capture_output=True, timeout=timeout, preexec_fn=limit,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def ok(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode in (0, 1) and "Traceback" not in err and "internal error" not in err, err[-2000:]
    return proc.stdout.decode("utf-8", "replace")


def doubling(prefix: str, levels: int, quote: str = '"') -> list[str]:
    return [f"{prefix}A0=x", *(f"{prefix}A{i}={quote}$A{i - 1}$A{i - 1}{quote}" for i in range(1, levels + 1))]


def test_f1_shell_variable_doubling_is_bounded_on_every_shell_surface(tmp_path):
    n = 27      # 2**27 characters per variable unbounded: gigabytes
    (tmp_path / "build.sh").write_text("\n".join([*doubling("", n), f"emcc -sINITIAL_MEMORY=$A{n} -o a.js", ""]))
    docker = tmp_path / "docker"
    docker.mkdir()
    (docker / "Dockerfile").write_text("\n".join(["FROM node:20", *doubling("ENV ", n),
                                                  f"RUN emcc -o a.js -sINITIAL_MEMORY=$A{n}", ""]))
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {"build": " && ".join(
        [*doubling("", n, ""), f"emcc -o a.js -sINITIAL_MEMORY=$A{n}"])}}))
    wf = tmp_path / ".github" / "workflows"
    wf.mkdir(parents=True)
    run = "\n".join("          " + line for line in [*doubling("", n), f"emcc -o a.js -sINITIAL_MEMORY=$A{n}"])
    (wf / "build.yml").write_text(f"on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n{run}\n")
    out = ok(check(tmp_path, "--output-format", "concise", "."))
    assert len(out) < 10_000
    assert "$A" not in out             # a value that is not known is not judged (no WL510 on `$A17$A17…`)


def test_f8_f9_symlink_loops_and_deep_folders_do_not_end_the_run(tmp_path):
    os.symlink("b.js", tmp_path / "a.js")
    os.symlink("a.js", tmp_path / "b.js")
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    out = ok(check(tmp_path, "--output-format", "concise", "."))
    assert "a.js:1:1: error: symlink loop; not followed [WL001]" in out
    assert "app.wasm:1:1: warning: memory 0 can grow" in out


def test_f11_a_flag_value_of_thousands_of_digits_does_not_end_the_run(tmp_path):
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {"start": f"node --max-old-space-size={'9' * 5000} s.js"}}))
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    proc = check(tmp_path, "--output-format", "concise", ".")
    assert "app.wasm:1:1: warning: memory 0 can grow" in ok(proc)


def test_f12_file_names_that_are_not_utf8_in_every_format(tmp_path):
    name = os.fsencode(tmp_path) + b"/bad\xff.js"
    with open(name, "wb") as fh:
        fh.write(b'process.env.NODE_OPTIONS="--no-wasm-tier-up";\n')
    for fmt in ("text", "concise", "json", "sarif", "gitlab", "github", "junit"):
        out = ok(check(tmp_path, "--output-format", fmt, ".", env={"PYTHONIOENCODING": "utf-8:strict"}))
        assert "WL20" in out or "WL205" in out or "runtime" in out, fmt
    assert "bad\\xff.js" in ok(check(tmp_path, "--output-format", "concise", "."))


def test_f14_names_and_content_cannot_forge_lines_or_drive_the_terminal(tmp_path):
    (tmp_path / "x\n::error file=README.md,line=1::FORGED\n.js").write_text(
        'process.env.NODE_OPTIONS="--no-wasm-tier-up";\n')
    (tmp_path / "package.json").write_text(json.dumps(
        {"scripts": {"serve": 'NODE_OPTIONS="--no-wasm-tier-up\n::warning::INJ2\x1b]0;T\x07" node s.js'}}))
    for fmt in ("text", "concise", "junit"):
        out = ok(check(tmp_path, "--output-format", fmt, "."))
        assert not any(line.lstrip().startswith("::") for line in out.splitlines()), (fmt, out)
        assert "\x1b" not in out and "\x07" not in out, fmt
    assert "x\\n::error" in ok(check(tmp_path, "--output-format", "concise", "."))


def test_text_report_of_modules_embedded_in_big_javascript_stays_small(tmp_path):
    """The audit measured 22.9 MB of text for 18 findings on embedded modules."""
    from wasmlint.wasm.leb import encode_uleb
    pad = b"\x03pad" + b"\0" * (1 << 20)                               # a 1 MiB custom section
    module = build_wat("(module (memory 1))") + b"\0" + encode_uleb(len(pad)) + pad
    blob = base64.b64encode(module).decode()                            # a 1.4 MB literal on one line
    glue = "var Module={};" + "".join(
        f'var wasmBinaryFile{i}="data:application/octet-stream;base64,{blob}";' for i in range(6)) + "\n"
    (tmp_path / "app.js").write_text(glue)
    out = ok(check(tmp_path, "--output-format", "text", "."))
    assert "memory 0 can grow" in out
    assert len(out.encode()) < 100_000
    assert max(len(line) for line in out.splitlines()) < 400


def test_f3_toml_dotted_keys_and_nesting_are_refused_before_the_parser(tmp_path):
    (tmp_path / "Cargo.toml").write_text("a" + ".a" * 60000 + " = 1\n")
    (tmp_path / "netlify.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    out = ok(check(tmp_path, "--output-format", "concise", ".", timeout=60))
    assert "Cargo.toml:1:1: error: invalid TOML: a key of more than 64 dotted parts; not read [WL001]" in out
    assert "netlify.toml:1:1: error: invalid TOML: arrays or tables nested more than 64 deep; not read [WL001]" in out
    assert "app.wasm:1:1: warning: memory 0 can grow" in out
    (tmp_path / ".wasmlint.toml").write_text("a" + ".a" * 130000 + " = 1\n")
    proc = check(tmp_path, ".", timeout=60)
    assert proc.returncode == 2 and b"a key of more than 64 dotted parts" in proc.stderr


def test_f4_f26_rule_files_are_regular_files_of_bounded_size(tmp_path):
    (tmp_path / "rules").mkdir()
    os.symlink("/dev/zero", tmp_path / "rules" / "WL900.toml")
    (tmp_path / ".wasmlint.toml").write_text('extend-rules = ["rules"]\n')
    proc = check(tmp_path, ".", timeout=60)
    assert proc.returncode == 2 and b"not a regular file" in proc.stderr and b"Traceback" not in proc.stderr
    os.unlink(tmp_path / "rules" / "WL900.toml")
    (tmp_path / "rules" / "WL900.toml").write_text("# padding\n" * 200_000)
    proc = check(tmp_path, ".", timeout=60)
    assert proc.returncode == 2 and b"larger than 1 MiB" in proc.stderr


def test_f5_f10_f16_gitignore_patterns_that_backtrack_break_or_are_cut(tmp_path):
    (tmp_path / ".gitignore").write_text("!\n\\\\\n[z-a]\n*a*a*a*a*a*a*a*a*a*b\nignored.wasm\n")
    (tmp_path / ("a" * 200 + "c.wasm")).write_bytes(build_wat("(module (memory 1))"))
    (tmp_path / "ignored.wasm").write_bytes(build_wat("(module (memory 1))"))
    out = ok(check(tmp_path, "--output-format", "concise", ".", timeout=60))
    assert "aaac.wasm:1:1: warning: memory 0 can grow" in out     # the backtracking pattern is skipped
    assert "ignored.wasm" not in out                               # the valid line still applies
    sub = tmp_path / "sub"
    sub.mkdir()
    limit = 1 << 20
    pad = "# " + "x" * 1000 + "\n"
    text = pad * ((limit - 1) // len(pad))
    text += "#" * (limit - 2 - len(text)) + "\n" + "*.generated\n"     # byte 1,048,575 starts `*…`
    (sub / ".gitignore").write_text(text)
    (sub / "Dockerfile").write_text('FROM node:20\nENV NODE_OPTIONS="--no-liftoff"\nCMD ["node", "s.js"]\n')
    out = ok(check(tmp_path, "--output-format", "concise", ".", timeout=60))
    assert "sub/Dockerfile:2:" in out                              # not hidden by a cut `*`


def test_f17_the_tree_cannot_make_wasmlint_run_its_own_tools(tmp_path):
    marker = tmp_path.parent / f"{tmp_path.name}-PWNED"
    (tmp_path / ".wasmlint.toml").write_text('extend-select = ["WL507", "WL002"]\n')
    for tool in ("wasm-opt", "wasm-tools"):
        (tmp_path / tool).write_text(f"#!/bin/sh\ntouch '{marker}'\n")
        (tmp_path / tool).chmod(0o755)
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    env = {k: v for k, v in os.environ.items() if k != "WASMLINT_WASM_OPT"}
    env["PATH"] = os.environ["PATH"] + os.pathsep                       # an empty entry: the working folder
    proc = subprocess.run([sys.executable, "-m", "wasmlint", "check", "--no-cache", "."], cwd=tmp_path,
                          capture_output=True, env={**env, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.returncode == 1 and b"enabled only from the command line" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "wasmlint", "check", "--no-cache", "--extend-select", "WL507,WL002",
                           "."], cwd=tmp_path, capture_output=True, env={**env, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert b"Traceback" not in proc.stderr
    assert not marker.exists()


def test_f15_f27_a_committed_baseline_is_bounded_and_never_written_through(tmp_path):
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    outside = tmp_path.parent / f"{tmp_path.name}-victim.txt"
    os.symlink(str(outside), tmp_path / ".wasmlint-baseline.json")
    proc = check(tmp_path, "--baseline", ".wasmlint-baseline.json", "--update-baseline", ".")
    assert proc.returncode == 2 and b"is a symlink; not written through" in proc.stderr
    assert not outside.exists()
    os.unlink(tmp_path / ".wasmlint-baseline.json")
    for count in ('"abc"', "[1]", "null", "1e999", "9" * 5000):
        (tmp_path / ".wasmlint-baseline.json").write_text(
            '{"wasmlint-baseline": 1, "findings": [{"fingerprint": "x", "path": "app.wasm", "count": %s}]}' % count)
        proc = check(tmp_path, "--baseline", ".wasmlint-baseline.json", ".")
        assert proc.returncode == 2 and b"Traceback" not in proc.stderr
        assert b"malformed baseline entry" in proc.stderr or b"cannot read baseline" in proc.stderr


def test_a_planted_baseline_says_how_many_findings_it_hides(tmp_path):
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    (tmp_path / "b.wasm").write_bytes(build_wat("(module (memory 2))"))
    ok(check(tmp_path, "--baseline", "bl.json", "--update-baseline", "."))
    proc = check(tmp_path, "--baseline", "bl.json", ".")
    assert proc.returncode == 0 and b"2 findings hidden by the baseline bl.json" in proc.stderr


def test_a_run_memo_planted_in_the_tree_is_never_replayed(tmp_path):
    """A pull request that commits a user-cache folder (CI pointing XDG_CACHE_HOME into the
    checkout) with a replayable "all checks passed" cannot silence a fresh run."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    env = {"XDG_CACHE_HOME": str(project / ".cache")}
    first = subprocess.run([sys.executable, "-m", "wasmlint", "check", "--output-format", "concise", "."],
                           cwd=project, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    assert first.returncode == 1
    assert not (project / ".cache" / "wasmlint").exists()       # nothing was stored inside the tree


def test_f2_a_response_file_that_names_itself_is_bounded(tmp_path):
    (tmp_path / "a.rsp").write_text("@a.rsp " * 149790)
    (tmp_path / "build.sh").write_text("emcc @a.rsp -o x.js\n")
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    out = ok(check(tmp_path, "--output-format", "concise", ".", timeout=90))
    assert "app.wasm:1:1: warning: memory 0 can grow" in out
    assert "more than 100000 arguments in one command; not read" in out or "more than 64 response files" in out


def test_f7_a_module_listing_a_million_memories_is_one_finding(tmp_path):
    from wasmlint.wasm.leb import encode_uleb
    n = 1_000_000
    body = encode_uleb(n) + b"\x00\x01" * n
    (tmp_path / "app.wasm").write_bytes(b"\0asm\1\0\0\0\x05" + encode_uleb(len(body)) + body)
    out = ok(check(tmp_path, "--output-format", "concise", ".", timeout=60))
    assert out.count("\n") == 1 and "more than 1000 memories" in out


def test_f25_f29_configuration_numbers_are_finite_and_limits_only_lowered_by_the_tree(tmp_path):
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    for text in ("[policy]\nheadroom = inf\n", "[policy]\nworkload-mb = 1e308\n",
                 "[custom-targets.k]\nbudget-mb = inf\n", "x = " + "[" * 50000 + "]" * 50000 + "\n"):
        (tmp_path / ".wasmlint.toml").write_text(text)
        proc = check(tmp_path, ".")
        assert proc.returncode == 2 and b"Traceback" not in proc.stderr and b"internal error" not in proc.stderr, text[:40]
    (tmp_path / ".wasmlint.toml").write_text("[policy]\nmax-file-bytes = 1e12\n")
    proc = check(tmp_path, ".")
    assert proc.returncode == 2 and b"may not be raised above its default" in proc.stderr
    proc = check(tmp_path, "--config", ".wasmlint.toml", ".")
    assert proc.returncode == 1


def test_f6_inputs_that_made_regular_expressions_quadratic(tmp_path):
    (tmp_path / "loader.js").write_text(
        "WebAssembly.instantiate(require('fs').readFileSync(__dirname + '/" + "a" * 128000 + "'))\n")
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\n# " + "{{" * 40000 + "\n")
    wf = tmp_path / ".github" / "workflows"
    wf.mkdir(parents=True)
    (wf / "ci.yml").write_text("on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: echo " + "${{" * 30000 + "\n")
    (tmp_path / "nginx.conf").write_text("server { root " + "${" * 120000 + "; }\n")
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    out = ok(check(tmp_path, "--output-format", "concise", ".", timeout=60))
    assert "app.wasm:1:1: warning: memory 0 can grow" in out


def test_f6_tree_sitter_error_recovery_is_bounded_by_the_file_budget(tmp_path):
    """F6's kept limit: tree-sitter-bash's error recovery on `emcc ))))…` is quadratic (64 KB
    took 32 s in a script, 96 s in a Dockerfile RUN). At 256 KB it would take hours; the
    file's parse time is bounded, so each is one WL001 and the other files are still read."""
    (tmp_path / "build.sh").write_text("emcc " + ")" * (256 << 10) + "\n")
    (tmp_path / "Dockerfile").write_text("FROM emscripten/emsdk\nRUN emcc " + ")" * (256 << 10) + "\n")
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    out = ok(check(tmp_path, "--output-format", "concise", ".", timeout=300))
    over = "error: not analysed: over budget (parsing takes too long (tree-sitter error recovery)) [WL001]"
    assert f"build.sh:1:1: {over}" in out
    assert f"Dockerfile:1:1: {over}" in out
    assert "app.wasm:1:1: warning: memory 0 can grow" in out


def test_f6_walking_up_a_deep_js_nesting_is_linear(tmp_path):
    """F6: a 3,000-deep nesting of functions with 100 Memories took minutes, every
    ``node.parent`` a walk from the root; parents are now found once (js/parents.py)."""
    depth = 3000
    (tmp_path / "loader.js").write_text("function f(){\n" * depth +
                                        "const m = new WebAssembly.Memory({initial: 1});\n" * 100 + "}\n" * depth)
    out = ok(check(tmp_path, "--output-format", "concise", ".", timeout=60))
    for line in range(depth + 1, depth + 101):
        assert f"loader.js:{line}:11: warning: WebAssembly.Memory `m` can grow: it declares no maximum [WL101]" in out


def test_f21_a_project_rule_cannot_ask_for_a_gigabyte_of_padding(tmp_path):
    (tmp_path / "rules").mkdir()
    (tmp_path / ".wasmlint.toml").write_text('extend-rules = ["rules"]\n')
    (tmp_path / "rules" / "WL900.toml").write_text(
        'code="WL900"\nname="r"\nseverity="warning"\nfacts=["memory"]\nmessage="{initial_pages:>2000000000}"\n')
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    proc = check(tmp_path, ".", timeout=60)
    assert b"Traceback" not in proc.stderr and b"MemoryError" not in proc.stderr
    assert proc.returncode in (1, 2)


def test_f21_a_project_rule_cannot_repeat_a_string_into_gigabytes(tmp_path):
    """A rule expression from the tree that repeats a string or list past a million items is
    an error of that rule on that fact: noted, skipped, the run goes on (no 4 GB string)."""
    (tmp_path / "rules").mkdir()
    (tmp_path / ".wasmlint.toml").write_text('extend-rules = ["rules"]\n')
    (tmp_path / "rules" / "WL900.toml").write_text(
        'code="WL900"\nname="r"\nseverity="warning"\nfacts=["memory"]\n'
        'condition = "len(\'x\' * 4000000000) > 0 or [1] * 3000000 == []"\nmessage="big"\n')
    (tmp_path / "app.wasm").write_bytes(build_wat("(module (memory 1))"))
    proc = check(tmp_path, ".", "--select", "WL900", timeout=60)
    assert b"Traceback" not in proc.stderr and b"MemoryError" not in proc.stderr
    assert b"at most 1,048,576" in proc.stderr, proc.stderr
    assert b"big [WL900]" not in proc.stdout


def test_f32_a_flat_yaml_over_the_node_budget_is_not_called_aliased(tmp_path):
    """A YAML file past the node budget without an alias says so, not "aliases expand"."""
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  app:\n    image: node:20\n    command:\n" + "      - x\n" * 100_001)
    proc = check(tmp_path, ".", "--output-format", "concise", timeout=120)
    assert b"docker-compose.yml:100000:9: error: YAML document has more than 100,000 nodes; " \
           b"not analysed: over budget [WL001]" in proc.stdout, proc.stdout[-500:]


def test_f32_a_response_file_reached_through_dot_dots_is_shown_by_its_project_path(tmp_path):
    """``@../app/rsp/link.rsp`` from inside ``app`` is ``rsp/link.rsp`` of the project: shown
    so, and one finding with the same file reached directly."""
    proj = tmp_path / "app"
    (proj / "rsp").mkdir(parents=True)
    (proj / "rsp" / "link.rsp").write_text("-sALLOW_MEMORY_GROWTH=1\n")
    (proj / "Makefile").write_text("all:\n\temcc main.c -o app.js @../app/rsp/link.rsp\n"
                                   "\temcc main.c -o app.js @rsp/link.rsp\n")
    proc = check(proj, ".", "--select", "WL101", "--output-format", "concise")
    assert proc.stdout.decode().splitlines() == [
        "rsp/link.rsp:1:1: warning: emcc link of `app.js` can grow: `ALLOW_MEMORY_GROWTH` is on, "
        "up to 32768 pages [WL101]"], proc.stdout


def test_own_audit_references_out_of_the_tree_open_nothing_outside(tmp_path):
    """#17.7: every kind of file reference the sources follow (a sourced script, `$(node
    FILE.js)`, `make -f`/`make -C`, CMake include()/add_subdirectory(), an nginx include,
    bundler inputs, JS imports and worker URLs, a symlink) pointing out of the checked
    folder: the run opens no file there."""
    outside, proj = tmp_path / "outside", tmp_path / "proj"
    (outside / "sub").mkdir(parents=True)
    for name, text in {"env.sh": 'FLAGS="-sINITIAL_MEMORY=64MB"\n', "print.js": 'console.log("-sX=1")\n',
                       "inc.cmake": "set(F -sALLOW_MEMORY_GROWTH=1)\n", "hdr.conf": "add_header A b;\n",
                       "Makefile": "all:\n\temcc -sX=1 a.c\n", "sub/CMakeLists.txt": "add_executable(b b.c)\n"}.items():
        (outside / name).write_text(text)
    (proj / "src").mkdir(parents=True)
    (proj / "web").mkdir()
    (proj / "build.sh").write_text(
        "#!/bin/sh\n. ../outside/env.sh\n. " + str(outside / "env.sh") + "\nsource \"$(dirname \"$0\")/../outside/env.sh\"\n"
        "emcc a.c $FLAGS -sEXPORTED_FUNCTIONS=$(node ../outside/print.js) -o dist/a.js\n"
        "make -f ../outside/Makefile ARCH=wasm\nmake -C " + str(outside) + "\n. ./linked.sh\n")
    (proj / "linked.sh").symlink_to("../outside/env.sh")
    (proj / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.13)\nproject(p)\ninclude(../outside/inc.cmake)\n"
        f"include({outside}/inc.cmake)\nadd_subdirectory(../outside/sub sub)\n"
        "add_executable(a a.c)\ntarget_link_options(a PRIVATE ${F})\n")
    (proj / "web" / "nginx.conf").write_text(
        f"http {{ server {{ include {outside}/hdr.conf; include ../../outside/hdr.conf; }} }}\n")
    (proj / "package.json").write_text(json.dumps({"name": "p", "main": "src/index.js", "scripts": {
        "build": "make -f ../outside/Makefile ARCH=wasm && bash ../outside/env.sh"}}))
    (proj / "rollup.config.js").write_text(
        "export default { input: '../outside/print.js', output: { file: '../outside/out.js' } };\n")
    (proj / "src" / "index.js").write_text(
        'import x from "../../outside/print.js";\nnew Worker(new URL("../../outside/print.js", import.meta.url));\n')
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os, sys\n"
        f"outside = {str(outside.resolve())!r}\n"
        "def hook(event, args):\n"
        "    if event == 'open' and args and isinstance(args[0], (str, bytes, os.PathLike)):\n"
        "        path = os.path.realpath(os.path.join(os.getcwd(), os.fsdecode(args[0])))\n"
        "        if path.startswith(outside):\n"
        "            print('OPENED', path, file=sys.stderr)\n"
        "sys.addaudithook(hook)\n"
        "from wasmlint.cli import main\n"
        "main(['check', '--no-cache', '--jobs', '1', '.'])\n")
    proc = subprocess.run([sys.executable, str(probe)], cwd=proj, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 1), proc.stderr
    assert [line for line in proc.stderr.splitlines() if line.startswith("OPENED")] == []
    assert "linked.sh:1:1: error[WL001] symlink to ../outside/env.sh points outside the checked paths" in proc.stdout
