"""Debug info that a Makefile removes after the link, before the module ships.

A link's ``-g`` keeps DWARF in the ``.wasm`` it writes. When rules of the same Makefile
derive another module from it (a prerequisite chain: ``processed.wasm: app.wasm``,
``optimized.wasm: processed.wasm``) and one of them writes its target with a tool that
drops debug info — ``wasm-strip`` (wabt: every custom section), ``llvm-strip``, or
``wasm-opt -o TARGET`` without ``-g``/``--debuginfo`` (Binaryen keeps DWARF and names only
when asked) — the build means the stripped module to ship: cloudpilot's uarm links with
``-g`` so its jump-table tool can read function names, then ``wasm-opt`` and
``wasm-strip`` the result. A link whose own files a recipe copies elsewhere still ships
its DWARF.
"""
from __future__ import annotations

import posixpath
import re

from .pstr import UNKNOWN

STRIPPERS = ("wasm-strip", "llvm-strip")
_SEGMENT = re.compile(r";|&&|\|\||\n|\b(?:then|else|fi|do|done)\b")


def _strips(line: str, target: str) -> bool:
    """A recipe line that writes ``target`` without debug info, or strips it in place."""
    for segment in _SEGMENT.split(line):
        words = segment.split()
        tools = [k for k, w in enumerate(words) if posixpath.basename(w) in (*STRIPPERS, "wasm-opt")]
        if not tools:
            continue
        k = tools[0]
        args = words[k + 1:]
        if posixpath.basename(words[k]) in STRIPPERS:
            if target in args and "-o" not in args:
                return True
        elif any(a in ("-o", "--output") and args[i + 1:i + 2] == [target] for i, a in enumerate(args)) \
                and not any(a in ("-g", "--debuginfo") for a in args):
            return True
    return False


def stripped_later(link_files: set[str], rules: list[tuple[str, list[str], list[str]]]) -> str | None:
    """``rules``: (target, prerequisites, recipe lines), expanded. The first target derived
    from ``link_files`` by a chain of rules whose recipe strips debug info from it."""
    derived = set(link_files)
    changed = True
    while changed:
        changed = False
        for target, prereqs, lines in rules:
            if target in derived or UNKNOWN in target or not derived.intersection(prereqs):
                continue
            derived.add(target)
            changed = True
            if any(_strips(line, target) for line in lines):
                return target
    return None
