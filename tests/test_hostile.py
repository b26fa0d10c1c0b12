"""Hostile input at the pipeline level: every case ends in a diagnostic, the other
files are still linted, and nothing raises, hangs or allocates without bound."""
from __future__ import annotations

import os
import resource

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
    (tmp_path / ".wasmlint.toml").write_text("[policy]\nmax-binary-bytes = 2147483648\n")
    big = tmp_path / "huge.wasm"
    with open(big, "wb") as fh:
        fh.write(b"\0asm\x01\0\0\0")
        fh.truncate(1 << 30)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = _check(tmp_path)
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
