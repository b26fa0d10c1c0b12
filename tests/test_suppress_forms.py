"""Every documented suppression form, per file kind, checked with the kind's real
tool (issue 16): the directive is found where the docs say it works, and the
file means what it meant without it — ``bash -n`` for shell, ``node --check``
for JavaScript, the YAML and TOML parsers (same data), ``make -n`` and
``cmake -P`` (same commands and values), and Docker's own rule for Dockerfiles
(a ``#`` starts a comment only at the start of a line: the instructions are the
same). In a Dockerfile the end-of-line form is not accepted: it is part of the
instruction's arguments, so it is reported (WL004) and never applied."""
from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.fixture_harness import run_cli
from tests.test_launch_fixes import NODE
from wasmlint.launch.dockerparse import instructions
from wasmlint.suppress import scan
from wasmlint.textpos import LineIndex

SHELL = """\
#!/bin/sh
set -eu
export NODE_ENV=production
exec node --max-old-space-size=1536 dist/server.js
"""
JS = """\
const fs = require("node:fs");
const memory = new WebAssembly.Memory({ initial: 256 });
module.exports = WebAssembly.instantiate(fs.readFileSync(`${__dirname}/app.wasm`), { env: { memory } });
"""
COMPOSE = """\
services:
  api:
    image: node:20-slim
    command: node --no-wasm-tier-up server.js
    environment:
      NODE_ENV: production
"""
CARGO = """\
[package]
name = "codec"
version = "0.1.0"
edition = "2021"

[profile.release]
opt-level = "z"
debug = true
"""
MAKEFILE = """\
EMCC ?= emcc
LDFLAGS = -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB

dist/app.js: src/app.c
\t$(EMCC) -O3 $< $(LDFLAGS) -o $@
"""
CMAKE = """\
set(WASM_LINK_FLAGS "-sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=64MB")
message("${WASM_LINK_FLAGS}")
"""
DOCKERFILE = """\
FROM node:20-slim
WORKDIR /app
COPY . .
ENV NODE_OPTIONS="--max-old-space-size=1536"
CMD ["node", "--no-wasm-tier-up", "server.js"]
"""


def _bash(path: Path) -> object:
    return subprocess.run(["bash", "-n", str(path)], capture_output=True).returncode


def _node(path: Path) -> object:
    return subprocess.run([NODE, "--check", str(path)], capture_output=True).returncode


def _make(path: Path) -> object:
    (path.parent / "src").mkdir(exist_ok=True)
    (path.parent / "src" / "app.c").write_text("")
    run = subprocess.run(["make", "-n", "-f", path.name, "dist/app.js", "EMCC=echo"], cwd=path.parent,
                         capture_output=True, text=True)
    # the shell reads a recipe's `#` as a comment: compare the words before it
    return run.returncode, [line.split("#", 1)[0].split() for line in run.stdout.splitlines()]


def _cmake(path: Path) -> object:
    run = subprocess.run(["cmake", "-P", str(path)], capture_output=True, text=True)
    return run.returncode, run.stderr


def _dockerfile(path: Path) -> object:
    return [(i.keyword, i.args.value) for i in instructions(LineIndex(path.read_text(), path.name))]


# kind, file name, text, the line a finding is on, comment opener, the tool's view of the file
KINDS = [
    ("shell", "deploy.sh", SHELL, 4, "#", _bash),
    ("js", "loader.js", JS, 2, "//", _node),
    ("compose", "compose.yaml", COMPOSE, 4, "#", lambda p: yaml.safe_load(p.read_text())),
    ("cargo-toml", "Cargo.toml", CARGO, 8, "#", lambda p: tomllib.loads(p.read_text())),
    ("makefile", "Makefile", MAKEFILE, 2, "#", _make),
    ("makefile", "Makefile", MAKEFILE, 5, "#", _make),
    ("cmake", "CMakeLists.txt", CMAKE, 1, "#", _cmake),
    ("dockerfile", "Dockerfile", DOCKERFILE, 5, "#", _dockerfile),
    ("dockerfile", "Dockerfile", DOCKERFILE, 4, "#", _dockerfile),
]


def _with(form: str, text: str, line: int, opener: str) -> tuple[str, int]:
    """``text`` with the directive in ``form``; the line the directive is on."""
    lines = text.splitlines(keepends=True)
    target = lines[line - 1]
    indent = target[:len(target) - len(target.lstrip())] if not target.startswith("\t") else ""
    if form == "end":
        lines[line - 1] = target.rstrip("\n") + f"  {opener} wasmlint: disable=WL201\n"
        return "".join(lines), line
    if form == "next-line":
        lines.insert(line - 1, f"{indent}{opener} wasmlint: disable-next-line=WL201\n")
        return "".join(lines), line
    at = 1 if lines[0].startswith("#!") else 0          # a shebang stays first
    lines.insert(at, f"{opener} wasmlint: disable-file=WL201\n")
    return "".join(lines), at + 1


@pytest.mark.parametrize("form", ["end", "next-line", "file"])
@pytest.mark.parametrize("kind,name,text,line,opener,tool", KINDS,
                         ids=[f"{k[0]}-{k[3]}" for k in KINDS])
def test_each_documented_form_keeps_the_file_meaning_what_it_meant(kind, name, text, line, opener, tool, form,
                                                                    tmp_path):
    if kind == "cmake" and not shutil.which("cmake"):
        pytest.fail("cmake is needed to check the CMake forms")
    orig, new = tmp_path / "orig", tmp_path / "new"
    orig.mkdir()
    new.mkdir()
    (orig / name).write_text(text)
    edited, at = _with(form, text, line, opener)
    (new / name).write_text(edited)
    (d,) = scan(name, kind, edited)
    assert (d.line, d.action) == (at, {"end": "disable", "next-line": "disable-next-line", "file": "disable-file"}[form])
    if kind == "dockerfile" and form == "end":
        # Docker reads it as more arguments of the instruction: never applied, and why
        assert d.misplaced
        assert tool(new / name) != tool(orig / name)
        return
    assert not d.misplaced
    assert tool(new / name) == tool(orig / name)
    if tool in (_bash, _node):
        assert tool(new / name) == 0


def test_a_dockerfile_end_of_line_directive_is_reported_and_moved_to_the_line_before(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "Dockerfile").write_text(DOCKERFILE.replace(
        'CMD ["node", "--no-wasm-tier-up", "server.js"]',
        'CMD ["node", "--no-wasm-tier-up", "server.js"] # wasmlint: disable=WL203'))
    rc, out, _ = run_cli(["check", "--no-cache", "--select", "WL004,WL203", "--output-format", "concise", "."],
                         tmp_path)
    assert out.splitlines() == [
        "Dockerfile:5:50: info: unused suppression `wasmlint: disable`: a `#` after a Dockerfile instruction is "
        "part of its arguments, not a comment, so it suppresses nothing; write it on the line before as "
        "`# wasmlint: disable-next-line=WL203` [WL004]"]
    run_cli(["check", "--no-cache", "--select", "WL004", "--fix", "."], tmp_path)
    fixed = tmp_path / "Dockerfile"
    assert fixed.read_text().splitlines()[4:] == ["# wasmlint: disable-next-line=WL203",
                                                  'CMD ["node", "--no-wasm-tier-up", "server.js"]']
    orig = tmp_path / "orig"
    orig.write_text(DOCKERFILE)
    assert _dockerfile(fixed) == _dockerfile(orig)
