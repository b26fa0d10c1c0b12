"""WebAssembly modules the probe tests measure: WAT files in tests/wat/ and a
generated module with thousands of functions (as in facts.md §5)."""
from __future__ import annotations

from pathlib import Path

from tests.wasmbuild import WAT_DIR, build_wat


def many_functions_wat(n: int) -> str:
    """``n`` functions, each adding its index to a running value, all called
    through ``call_indirect`` from the exported ``run(x)``."""
    funcs = "\n".join(f"  (func $f{i} (type $step) (i32.add (local.get 0) (i32.const {i})))" for i in range(n))
    calls = "\n".join(f"    (local.set 0 (call_indirect (type $step) (local.get 0) (i32.const {i})))"
                      for i in range(n))
    elems = " ".join(f"$f{i}" for i in range(n))
    return (f"(module\n  (type $step (func (param i32) (result i32)))\n  (table {n} {n} funcref)\n"
            f"  (elem (i32.const 0) {elems})\n{funcs}\n"
            f"  (func (export \"run\") (param i32) (result i32)\n{calls}\n    (local.get 0)))\n")


def write_module(dest: Path, name: str, wat: str | None = None) -> Path:
    """Build ``tests/wat/<name>.wat`` (or the given WAT text) to ``dest/<name>.wasm``."""
    out = dest / f"{name}.wasm"
    out.write_bytes(build_wat(wat if wat is not None else (WAT_DIR / f"{name}.wat").read_text(encoding="utf-8")))
    return out
