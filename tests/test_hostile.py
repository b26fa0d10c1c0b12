"""Hostile input at the pipeline level: every case ends in a diagnostic, the other
files are still linted, and nothing raises, hangs or allocates without bound."""
from __future__ import annotations

import os
import resource
from pathlib import Path

from tests.fixture_harness import run_cli
from tests.wasmbuild import build_wat

GOOD = "(module (memory 1))"


def _check(tmp_path, *extra):
    (tmp_path / "good.wasm").write_bytes(build_wat(GOOD))
    rc, out, err = run_cli(["check", "--output-format", "concise", "--jobs", "1", *extra, "."], tmp_path)
    assert "Traceback" not in err and rc in (0, 1), err
    assert "good.wasm:1:1: warning: memory 0 can grow" in out   # the other file is still linted
    return out


def test_one_gib_sparse_file_with_a_wasm_header(tmp_path):
    (tmp_path / "big.toml").write_text("[policy]\nmax-binary-bytes = 2147483648\n")
    big = tmp_path / "huge.wasm"
    with open(big, "wb") as fh:
        fh.write(b"\0asm\x01\0\0\0")
        fh.truncate(1 << 30)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = _check(tmp_path, "--config", "big.toml")      # only a file the user names may raise the limit
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert "huge.wasm:1:1: error: malformed WebAssembly module" in out
    assert grown_mib < 64, f"peak RSS grew by {grown_mib:.0f} MiB for a sparse 1 GiB file"


def test_file_over_the_binary_size_limit_is_not_read(tmp_path):
    (tmp_path / ".wasmlint.toml").write_text("[policy]\nmax-binary-bytes = 1024\n")
    with open(tmp_path / "big.wasm", "wb") as fh:
        fh.write(b"\0asm\x01\0\0\0")
        fh.truncate(4096)
    out = _check(tmp_path)
    assert ("big.wasm:1:1: error: file is 4 KiB, above the 1 KiB limit (policy `max-binary-bytes`); "
            "not read [WL001]") in out


def test_non_utf8_and_nul_bytes_in_text(tmp_path):
    (tmp_path / "nginx.conf").write_bytes(b"server {\n  listen 80;\n  root /srv/\xff\xfe;\n}\n")
    (tmp_path / "_headers").write_bytes(b"/*\n  X-A: \x00\x01\n")
    out = _check(tmp_path)
    assert "nginx.conf:3:13: error: not valid UTF-8 text (byte 0xff at offset 34) [WL001]" in out


def test_fifo_named_like_a_module_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.wasm")
    out = _check(tmp_path)
    assert "pipe.wasm:1:1: error: not a regular file; not read [WL001]" in out


def test_truncated_and_garbage_modules_everywhere(tmp_path):
    data = build_wat('(module (memory (export "m") 1 2) (func (export "f") (result i32) (i32.const 7)))')
    for cut in range(0, len(data), 3):
        (tmp_path / f"cut{cut:03d}.wasm").write_bytes(data[:cut])
    from wasmlint.wasm.reader import parse_module
    ends = {s.payload_offset + s.payload_size for s in parse_module(data).sections} | {8}
    out = _check(tmp_path)
    reported = {l.split(":", 1)[0] for l in out.splitlines() if "[WL001]" in l}
    cuts = {f"cut{c:03d}.wasm" for c in range(0, len(data), 3)}
    # a cut exactly at a section boundary may be a smaller valid module; every other cut is malformed
    assert {f"cut{c:03d}.wasm" for c in range(0, len(data), 3) if c not in ends} <= reported <= cuts


def _alias_bomb(prefix: str) -> list[str]:
    """29 levels of four-fold aliases: 2 * 4**29 flags if anything expanded them."""
    lines = [f'{prefix}a0: &a0 ["--max-old-space-size=64", "--max-old-space-size=64"]']
    lines += [f"{prefix}a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    return lines


def test_yaml_alias_bombs_in_compose_and_k8s(tmp_path):
    (tmp_path / "docker-compose.yml").write_text("\n".join([
        *_alias_bomb("x-"), "services:", "  api:", "    image: node:20", '    command: ["node", "server.js"]',
        "    environment:", "      NODE_OPTIONS: *a29", ""]))
    (tmp_path / "deploy.yaml").write_text("\n".join([
        "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: api", *_alias_bomb(""),
        "spec:", "  template:", "    spec:", "      containers:", "        - name: api",
        "          image: node:20", "          command: *a29", "          args: *a29", ""]))
    out = _check(tmp_path)
    assert "docker-compose.yml:1:39: error: YAML aliases expand to too many nodes [WL001]" in out
    assert "deploy.yaml:5:10: error: YAML aliases expand to too many nodes [WL001]" in out


def test_json_duplicate_keys_and_deep_nesting_in_package_json(tmp_path):
    (tmp_path / "package.json").write_text(
        '{"name": "x", "config": ' + "[" * 5000 + "]" * 5000 + ', "scripts": {"start": "node a.js"}}')
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "package.json").write_text(   # JSON.parse keeps the last of duplicate keys
        '{"name": "y", "scripts": {"start": "node a.js"},\n'
        ' "scripts": {"start": "node --max-old-space-size=64 a.js", "start": "node --expose-gc b.js"}}\n')
    (tmp_path / ".wasmlint.toml").write_text('[policy]\nrequired-node-flags = ["--max-old-space-size"]\n')
    (tmp_path / "app" / "b.js").write_text(
        'const fs = require("fs");\nconst bytes = fs.readFileSync(__dirname + "/../good.wasm");\n'
        "new WebAssembly.Instance(new WebAssembly.Module(bytes), {});\n")
    out = _check(tmp_path)
    assert "package.json:1:1: error: invalid JSON: nested too deeply [WL001]" in out
    # the last "start" (column 70) is the launch; the earlier ones are not reported
    assert [l for l in out.splitlines() if l.startswith("app/")] == [
        "app/package.json:2:70: warning: node launch (script start) lacks `--max-old-space-size` "
        "required by policy `required-node-flags` [WL201]"]


def test_yaml_nested_past_libyaml_depth_is_one_finding(tmp_path):
    """libyaml stops at 1,000 levels; the error is given at once (PyYAML's own loader,
    asked again for its message, scanned such nesting in quadratic time)."""
    (tmp_path / "docker-compose.yml").write_text("services:\n  a:\n    command: " + "[" * 60000 + "]" * 60000 + "\n")
    (tmp_path / "deploy.yaml").write_text("apiVersion: v1\nkind: Pod\nspec:\n" +
                                          "".join("  " * i + f"k{i}:\n" for i in range(1, 1500)))
    out = _check(tmp_path)
    assert "docker-compose.yml:1:1: error: invalid YAML: nested too deeply [WL001]" in out
    assert "deploy.yaml:1:1: error: invalid YAML: nested too deeply [WL001]" in out


def test_response_files_outside_the_project_are_reported_not_read(tmp_path):
    (tmp_path / "outside.rsp").write_text("-sINITIAL_MEMORY=1\n")
    project = tmp_path / "project"
    (project / "web").mkdir(parents=True)
    (project / "web" / "Makefile").write_text(
        "app.js: main.c\n\temcc main.c -o app.js @/etc/passwd @../../outside.rsp\n")
    (project / "web" / "build.sh").write_text(
        "#!/bin/sh\nset -e\nemcc main.c -o app.js @../../outside.rsp @link/../../../outside.rsp\n")
    (project / "web" / "loop.rsp").write_text(" ".join(["@loop.rsp"] * 40) + "\n")
    (project / "web" / "loop.sh").write_text("#!/bin/sh\nemcc main.c -o loop.js @loop.rsp\n")
    out = _check(project)
    for line in ("web/Makefile:2:24: error: response file `@/etc/passwd` is outside the project; not read [WL001]",
                 "web/Makefile:2:37: error: response file `@../../outside.rsp` is outside the project; not read [WL001]",
                 "web/build.sh:3:23: error: response file `@../../outside.rsp` is outside the project; not read [WL001]",
                 "web/build.sh:3:42: error: response file `@link/../../../outside.rsp` is outside the project; "
                 "not read [WL001]",
                 "web/loop.rsp:1:161: error: response file `@loop.rsp`: more than 64 response files in one command; "
                 "not read [WL001]"):
        assert line in out, out
    assert "INITIAL_MEMORY" not in out


def test_make_variables_that_expand_without_end_are_bounded(tmp_path):
    doubling = [f"V{i} = $(V{i + 1}) $(V{i + 1})" for i in range(40)]
    (tmp_path / "Makefile").write_text("\n".join([
        "SELF = -O2 $(SELF) $(SELF)", *doubling, "V40 = -O3", "",
        "app.js: main.c", "\temcc main.c -o app.js $(SELF) $(V0) -sALLOW_MEMORY_GROWTH=1", ""]))
    out = _check(tmp_path)
    assert ("Makefile:45:38: warning: emcc link of `app.js` may grow to 2 GiB (32768 pages), "
            "above the ios budget of 128 MiB [WL103]") in out
    assert "Makefile:1" not in out and "[WL001]" not in out


def test_js_with_a_name_tree_sitter_made_up_in_recovery(tmp_path):
    # `x + )` parses with a zero-width MISSING identifier; searching for its (empty) name
    # once looped for ever (found by the js_skeleton fuzz target).
    (tmp_path / "loader.js").write_text("const memory = new WebAssembly.Memory({initial: 1, maximum: 1});\n"
                                        "memory.grow(x + );\n")
    out = _check(tmp_path)
    assert "loader.js:2:1: warning: `memory.grow(…)` g" in out and "[WL107]" in out


def test_js_build_command_with_a_byte_that_is_not_utf8(tmp_path):
    # The command a build script runs is read as text with such a byte kept as itself;
    # the shell evaluation once failed to encode it (found by the js_skeleton fuzz target).
    (tmp_path / "build.mjs").write_bytes(
        b'import { execSync } from "node:child_process"\n'
        b'const flags = ["-C panic=unwind"].join(" ")\n'
        b'execSync("cargo build --target wasm32-unknown-unknown --release --features \xe9",'
        b' { env: { ...process.env, RUSTFLAGS: flags } })\n')
    (tmp_path / "expand.mjs").write_bytes(b'import { execSync } from "node:child_process"\n'
                                          b'execSync("x=$\xff; emcc a.c -o a.js $x -sINITIAL_MEMORY=65536")\n')
    out = _check(tmp_path)
    assert ("build.mjs:2:17: warning: Rust wasm link (RUSTFLAGS for `wasm32-unknown-unknown`) can grow: "
            "no `--max-memory` is given, so the memory has no maximum [WL101]") in out
    assert "internal error" not in out


def test_js_export_name_with_a_byte_that_is_not_utf8(tmp_path):
    # A string export name (or a name error recovery made up) holding such a byte is read
    # as text with it replaced, as every JS node text is (found by the js_skeleton fuzz target).
    (tmp_path / "loader.js").write_bytes(b"const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });\n"
                                         b'export { memory as "m\xff" };\n')
    out = _check(tmp_path)
    assert "loader.js" not in out


def test_makefiles_that_include_themselves_or_leave_the_project_are_bounded(tmp_path):
    (tmp_path / "outside.mk").write_text("LDFLAGS = -sINITIAL_MEMORY=1\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "twice.mk").write_text("include twice.mk twice.mk\nFLAGS += -O2\n")
    (project / "Makefile").write_text(
        "include twice.mk ../outside.mk /etc/passwd\nCC = emcc\n"
        "app.js: main.c\n\t$(CC) main.c -o app.js $(LDFLAGS) -sALLOW_MEMORY_GROWTH=1\n")
    out = _check(project)
    assert ("Makefile:4:36: warning: emcc link of `app.js` may grow to 2 GiB (32768 pages), "
            "above the ios budget of 128 MiB [WL103]") in out, out
    assert "INITIAL_MEMORY" not in out


def test_terraform_that_hcl_does_not_parse_is_wl001_at_the_parsers_token(tmp_path):
    """Deep nesting, a stray character, an unterminated heredoc and non-UTF-8 bytes in
    Terraform files that name a Lambda: each one WL001, never a traceback."""
    lam = 'resource "aws_lambda_function" "f" {\n'
    (tmp_path / "deep.tf").write_text(lam + "  tags = " + "[" * 3000 + "\n}\n")
    (tmp_path / "stray.tf").write_text(lam + "  memory_size = 1 ~ 2\n}\n")
    (tmp_path / "heredoc.tf").write_text(lam + "  description = <<EOT\nnever closed\n")
    (tmp_path / "bytes.tf").write_bytes(lam.encode() + b"  handler = \"\xff\"\n}\n")
    out = _check(tmp_path)
    assert "stray.tf:2:19: error: invalid HCL: unexpected `~` [WL001]" in out
    assert "bytes.tf:2:14: error: not valid UTF-8 text (byte 0xff at offset 50) [WL001]" in out
    assert "heredoc.tf:2:17: error: invalid HCL: unexpected `<<EOT` [WL001]" in out
    assert "deep.tf:3:1: error: invalid HCL: unexpected `}` [WL001]" in out


def test_cmake_regex_from_the_tree_with_exponential_backtracking_is_not_run(tmp_path):
    # `string(REGEX …)` runs the project's expression: one whose backtracking grows
    # exponentially ((a+)+$ on "aaa…b") or as a high power of its input is left unknown
    slow = "a" * 40 + "b"
    (tmp_path / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.20)\nproject(p C)\n"
        f'string(REGEX MATCH "(a+)+$" NESTED "{slow}")\n'
        f'string(REGEX REPLACE "(x|x)*y" "" ALTERNATED "{"x" * 40}")\n'
        f'string(REGEX MATCHALL "a*a*a*a*c" POWER "{"a" * 3000}")\n'
        "if(EMSCRIPTEN)\n  add_executable(p main.c)\n"
        "  target_link_options(p PRIVATE -sALLOW_MEMORY_GROWTH=1 -sNESTED=${NESTED})\nendif()\n")
    out = _check(tmp_path)
    assert "CMakeLists.txt" in out          # the file is read to its end, its link found
