"""WL002: full validation of a module by ``wasm-tools validate -f all``.

Opt-in (one subprocess per module); runs in the worker pool and is cached
with the file's other results.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from .facts import Fact, Span
from .sources import ToolMissing
from .tools import INSTALL_HINTS, find_tool, run_tool

_OFFSET = re.compile(r"\(at offset 0x([0-9a-fA-F]+)\)")


@dataclass
class InvalidModule(Fact):
    kind: ClassVar[str] = "invalid-module"
    reason: str = ""


def validate(path: str, abspath: str, timeout: float = 120.0) -> list[Fact]:
    exe = find_tool("wasm-tools")
    if exe is None:
        return [ToolMissing(Span(path), tool="wasm-tools", needed_for="WL002 (invalid-module)",
                            install=INSTALL_HINTS["wasm-tools"])]
    res = run_tool([exe, "validate", "--features", "all", abspath], timeout=timeout)
    if res.returncode == 0:
        return []
    text = res.stderr.strip() or res.stdout.strip()
    if res.timed_out:
        return [InvalidModule(Span(path), reason=text)]
    m = _OFFSET.search(text)
    offset = int(m.group(1), 16) if m else None
    reason = _reason(text)
    return [InvalidModule(Span(path, 1, 1, 1, 1, offset, offset), reason=reason)]


def _reason(text: str) -> str:
    """The most specific line of wasm-tools' error chain, without the offset."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    causes = [re.sub(r"^\d+:\s*", "", ln) for ln in lines if re.match(r"^\d+:", ln)]
    best = causes[-1] if causes else (lines[0] if lines else "rejected by the validator")
    best = re.sub(r"^error:\s*", "", best)
    return _OFFSET.sub("", best).strip()
