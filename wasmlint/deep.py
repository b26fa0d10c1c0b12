"""WL507 (``check --deep``): what binaryen's ``wasm-opt`` would save.

Opt-in like WL002: one ``wasm-opt`` run per optimisation level and module, in
the worker pool, cached with the file's other results. The module is read,
never written: output goes to a temporary folder. A binaryen that cannot read
the module (old Debian builds misread final relaxed-SIMD opcodes and exnref)
gives a ``tool-unsupported`` fact (WL003, info), never a finding.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from typing import ClassVar

from .facts import Fact, Span
from .sources import ToolMissing
from .tools import INSTALL_HINTS, find_tool, run_tool, tool_version

LEVELS = ("-O", "-Oz")
NEEDED_FOR = "WL507 (unoptimized-module)"
# "[--enable-simd --enable-relaxed-simd]" on a line of its own (binaryen 132 after a
# SIMD error) or inside a validator message ("memory.copy operations require bulk
# memory operations [--enable-bulk-memory-opt], on"): the features binaryen asks for
_FEATURES = re.compile(r"\[((?:--enable-[a-z0-9-]+\s*)+)\]")
RETRIES = 3     # binaryen names some missing features only once others are enabled
_TOTAL = re.compile(r"^\s*\[total\]\s*:\s*(\d+)")


@dataclass
class OptimizationSavings(Fact):
    """Sizes before and after ``wasm-opt`` at the level that saves most."""

    kind: ClassVar[str] = "wasm-opt-savings"
    size: int = 0
    optimized_size: int = 0
    level: str = "-O"
    saved_percent: float = 0.0
    nodes_before: int | None = None     # binaryen's --metrics [total] expression count
    nodes_after: int | None = None
    features: list[str] = field(default_factory=list)
    tool_version: str = ""


@dataclass
class ToolUnsupported(Fact):
    """An external tool was found but cannot handle this input (WL003)."""

    kind: ClassVar[str] = "tool-unsupported"
    tool: str = ""
    version: str = ""
    problem: str = ""
    needed_for: str = ""
    install: str = ""


def _unsupported(path: str, version: str, problem: str) -> ToolUnsupported:
    return ToolUnsupported(Span(path), tool="wasm-opt", version=version, problem=problem,
                           needed_for=f"{NEEDED_FOR} for this module",
                           install="npm install -g binaryen (a newer one), or set WASMLINT_WASM_OPT")


def classify_failure(stderr: str) -> tuple[str, list[str]]:
    """``("features", [--enable-…])`` when binaryen names the features the module
    needs; ``("unreadable", [first error line])`` when it cannot parse it (too old
    for the module's features); ``("failed", [first line])`` otherwise."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    enables = sorted({f for ln in lines for m in _FEATURES.finditer(ln) for f in m.group(1).split()})
    if enables:
        return "features", enables
    first = next((ln for ln in lines if not ln.startswith("warning:")), "no error output")
    if "parse exception" in stderr or "error parsing wasm" in stderr:
        return "unreadable", [first]
    return "failed", [first]


def _metrics_totals(stdout: str) -> list[int]:
    return [int(m.group(1)) for ln in stdout.splitlines() if (m := _TOTAL.match(ln))]


def measure(path: str, abspath: str, size: int, keep_names: bool = False,
            timeout: float = 120.0) -> list[Fact]:
    """``keep_names``: the module has a name section, which ``--debuginfo`` keeps
    (stripping it is WL505's concern, not optimization)."""
    exe = find_tool("wasm-opt")
    if exe is None:
        return [ToolMissing(Span(path), tool="wasm-opt", needed_for=NEEDED_FOR,
                            install=INSTALL_HINTS["wasm-opt"])]
    m = re.search(r"version\s+(\d+)", tool_version("wasm-opt") or "")
    version = f"binaryen {m.group(1)}" if m else "binaryen (unknown version)"
    features: list[str] = []
    best: OptimizationSavings | None = None
    with tempfile.TemporaryDirectory(prefix="wasmlint-opt-") as tmp:
        out = os.path.join(tmp, "optimized.wasm")
        for level in LEVELS:
            for _ in range(1 + RETRIES):  # retried with the features binaryen asked for
                keep = ["--debuginfo"] if keep_names else []
                argv = [exe, abspath, *keep, *features, "--metrics", level, "--metrics", "-o", out]
                res = run_tool(argv, timeout=timeout)
                if res.returncode == 0:
                    break
                if res.timed_out:
                    return [_unsupported(path, version, f"{version} timed out after {timeout:.0f} s")]
                what, detail = classify_failure(res.stderr or res.stdout)
                if what != "features" or set(detail) <= set(features):
                    reason = "cannot read this module" if what == "unreadable" else "failed on this module"
                    return [_unsupported(path, version, f"{version} {reason} ({detail[0]})")]
                features = sorted({*features, *detail})
            else:
                return [_unsupported(path, version, f"{version} still asks for more features after "
                                                     f"{' '.join(features)}")]
            new_size = os.path.getsize(out)
            totals = _metrics_totals(res.stdout)
            if best is None or new_size < best.optimized_size:
                best = OptimizationSavings(
                    Span(path, offset=0, end_offset=size), size=size, optimized_size=new_size, level=level,
                    saved_percent=round(100.0 * (size - new_size) / size, 1) if size else 0.0,
                    nodes_before=totals[0] if totals else None,
                    nodes_after=totals[-1] if len(totals) > 1 else None,
                    features=features, tool_version=version)
    return [best] if best else []
