#!/usr/bin/env python3
"""Time the JS source on big generated glue (design.md: 13 MB minified glue).

Two files are generated into a temporary folder:

* ``single-file.js`` — Emscripten-style SINGLE_FILE glue: the repo's pthreads
  glue fixture plus a ~9.5 MB module embedded as base64 (~12.8 MB of JS);
* ``binary-string.js`` — the same glue with the module as Emscripten's binary string
  (SINGLE_FILE since 4.0.18: a template literal of raw bytes and escapes, as npm
  ``binaryen``'s 14.8 MB ``index.js`` is);
* ``dense.js`` — ~10 MB of dense minified code (generated functions, as a
  closure-compiled runtime looks) around that glue;
* ``glue-copies.js`` — ~10 MB of the glue fixture repeated in function scopes: a
  stress case where every copy creates a memory and a worker (thousands of facts).

    python scripts/bench_js.py [--runs 5] [FILE.js ...]

Prints the median in-process ``extract`` time per file (imports warmed up) and
the wall time of one ``wasmlint check`` process on it.
"""
from __future__ import annotations

import argparse
import base64
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GLUE = ROOT / "tests" / "fixtures" / "WL102" / "emscripten-pthreads-glue" / "ffmpeg-core.js"

def big_module(data_bytes: int) -> bytes:
    """A valid module: one memory (256 pages) and one passive data segment of random bytes."""
    sys.path.insert(0, str(ROOT))
    from wasmlint.wasm.leb import encode_uleb
    memory = b"\x05" + encode_uleb(4) + b"\x01\x00" + encode_uleb(256)
    payload = os.urandom(data_bytes)
    seg = b"\x01" + b"\x01" + encode_uleb(len(payload)) + payload          # 1 segment, passive
    data = b"\x0b" + encode_uleb(len(seg)) + seg
    count = b"\x0c\x01\x01"
    return b"\0asm\x01\0\0\0" + memory + count + data


# Emscripten's binary_encode: printable bytes as themselves, the rest escaped.
_BINARY_ESCAPES = {0: "\\0", 8: "\\b", 11: "\\v", 12: "\\f", 13: "\\r", 0x24: "\\$", 0x5C: "\\\\", 0x60: "\\`",
                   **{b: f"\\x{b:02X}" for b in range(0x7F, 0x100)}}


def binary_string(module: bytes) -> str:
    """``module`` as the body of an Emscripten binary-string template literal."""
    text = module.decode("latin-1").translate(_BINARY_ESCAPES)
    # \0 before a digit would be an octal escape (after an even run of backslashes)
    return re.sub(r"(?<!\\)((?:\\\\)*)\\0(?=[0-9])", r"\1\\x00", text)


def binary_string_glue(module: bytes) -> str:
    """The glue fixture with ``module`` embedded as a binary string, as binaryen.js is."""
    glue = GLUE.read_text(encoding="utf-8")
    return glue + f"\nvar wasmBinary=binaryDecode(`{binary_string(module)}`);\n"


def generate(folder: Path) -> list[Path]:
    glue = GLUE.read_text(encoding="utf-8")
    module = big_module(9_500_000)
    single = folder / "single-file.js"
    b64 = base64.b64encode(module).decode()
    single.write_text(glue + f'\nvar wasmBinaryFile="data:application/octet-stream;base64,{b64}";\n',
                      encoding="utf-8")
    binary = folder / "binary-string.js"
    binary.write_text(binary_string_glue(big_module(5_000_000)), encoding="latin-1")
    dense = folder / "dense.js"
    body = "".join(f"function f{i}(a,b){{var c=a+b*{i % 7 + 2},d=[a,b,c];for(var e=0;e<c;e++)"
                   f"{{b=(b<<1)^e;d.push(b&255)}}return d.length>{i % 13}?d:f{i}(c,b-1)}}"
                   for i in range(90_000))
    dense.write_text(f"var Runtime=function(){{{body}{glue}}}();", encoding="utf-8")
    copies = folder / "glue-copies.js"
    n = 10_000_000 // len(glue) + 1
    copies.write_text("".join(f"(function(){{{glue}}})();" for _ in range(n)), encoding="utf-8")
    return [single, binary, dense, copies]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from wasmlint.sources import SourceFile
    from wasmlint.sources.js import extract

    with tempfile.TemporaryDirectory() as tmp:
        files = args.files or generate(Path(tmp))
        extract(SourceFile("warm.js", "js", GLUE.read_bytes()))
        for f in files:
            data = f.read_bytes()
            times, facts = [], []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                facts = extract(SourceFile(f.name, "js", data))
                times.append(time.perf_counter() - t0)
            env = dict(os.environ, PYTHONPATH=str(ROOT))
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "wasmlint", "check", "--exit-zero", str(f)],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            wall = time.perf_counter() - t0
            print(f"{f.name}: {len(data) / 2**20:.1f} MiB, {len(facts)} facts, extract median "
                  f"{statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}), "
                  f"`wasmlint check` {wall * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
