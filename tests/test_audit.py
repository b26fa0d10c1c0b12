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
