"""Probe results as facts, so rules WL901–WL904 judge them like any other
finding. A result comes from a live ``wasmlint probe`` run or from a recorded
``*.probe.json`` file (source kind ``probe-result``); both go through
:func:`facts_from_result`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..facts import Fact, Span

EAGER = "--no-wasm-lazy-compilation"
NO_LIFTOFF = "--no-liftoff"


def _flags_text(flags: list[str]) -> str:
    return f"`{' '.join(flags)}`" if flags else "default flags"


@dataclass
class ProbeResult(Fact):
    """The measurements of one flag set."""

    kind: ClassVar[str] = "probe-result"
    module: str = ""
    node: str = ""
    cores: int | None = None
    flags: list[str] = field(default_factory=list)
    runs: int = 0
    compile_median_ms: float | None = None
    compile_min_ms: float | None = None
    compile_max_ms: float | None = None
    compile_variance: float | None = None
    default_compile_ms: float | None = None      # the default flag set's median, for comparison
    instantiate_ms: float | None = None
    first_call_ms: float | None = None
    call_ms: float | None = None
    compile_only: bool = False
    workers: int | None = None
    single_ms: float | None = None
    multi_ms: float | None = None
    ratio: float | None = None
    expected_ratio: float | None = None
    shared_module_ms: float | None = None
    shared_compile_ms: float | None = None
    error: str | None = None

    @property
    def flags_text(self) -> str:
        return _flags_text(self.flags)

    @property
    def compile_spread_ms(self) -> float | None:
        """Slowest minus fastest compile of the runs."""
        if self.compile_max_ms is None or self.compile_min_ms is None:
            return None
        return round(self.compile_max_ms - self.compile_min_ms, 3)

    @property
    def worker_excess_ms(self) -> float | None:
        """Per-worker time in N workers beyond what the cores explain (single × expected ratio)."""
        if self.multi_ms is None or self.single_ms is None or not self.expected_ratio:
            return None
        return round(self.multi_ms - self.single_ms * self.expected_ratio, 3)

    @property
    def slowdown(self) -> float | None:
        """The per-worker ratio beyond what the cores explain (1.0 = cores-bound)."""
        if self.ratio is None or not self.expected_ratio:
            return None
        return round(self.ratio / self.expected_ratio, 2)

    @property
    def compile_cause(self) -> str:
        """What the flags make V8 compile up front, measured against the default flags."""
        if EAGER in self.flags and NO_LIFTOFF in self.flags:
            why = "every function is compiled by TurboFan before the first call"
        elif EAGER in self.flags:
            why = "every function is compiled (by Liftoff) before the first call"
        else:
            why = "validation and compile work grow with the code section"
        if self.flags and self.default_compile_ms is not None:
            why += f"; default flags compile it in {self.default_compile_ms:.1f} ms"
        return why

    @property
    def variance_cause(self) -> str:
        return (f"each of the {self.runs} runs compiled once in a fresh node process, so V8's module "
                "cache (what makes workers compiling identical bytes look unstable) cannot cause it; "
                "look for other load on the machine or CPU frequency scaling")

    @property
    def worker_cause(self) -> str:
        if self.shared_module_ms is not None and self.multi_ms and self.shared_module_ms < self.multi_ms / 2:
            extra = (f" plus one {self.shared_compile_ms:.1f} ms compile"
                     if self.shared_compile_ms is not None else "")
            return (f"compiling once and sharing the WebAssembly.Module by postMessage took "
                    f"{self.shared_module_ms:.1f} ms per worker{extra}: each worker repeating the compile "
                    "is the cost")
        return ("sharing one compiled module does not remove it: the workers contend for the same "
                "cores and memory bandwidth beyond what the core count explains")


@dataclass
class ProbeAllocation(Fact):
    """``new WebAssembly.Memory({initial: p, maximum: p})`` for one target's budget."""

    kind: ClassVar[str] = "probe-allocation"
    module: str = ""
    node: str = ""
    target_name: str = ""
    pages: int = 0
    ok: bool = True
    reserved_bytes: int | None = None
    error: str | None = None
    ulimit_kb: int | None = None
    ulimit_ok: bool | None = None
    ulimit_error: str | None = None

    @property
    def failed(self) -> bool:
        return not self.ok or self.ulimit_ok is False

    @property
    def failure(self) -> str:
        """Where it failed, the engine's error, and the measured cause."""
        if not self.ok:
            return f"it failed ({self.error or 'no error text'})"
        reserve = (f"; without the limit one such Memory reserved {self.reserved_bytes / (1 << 30):.1f} GiB "
                   "of virtual address space (guard regions of the trap handler), far above its "
                   f"{self.pages * 65536 / (1 << 20):.0f} MiB") if self.reserved_bytes else ""
        return f"it failed under `ulimit -v {self.ulimit_kb}` ({self.ulimit_error or 'no error text'}){reserve}"


@dataclass
class ProbeTargetRun(Fact):
    """The module instantiated on the main thread and in workers, then grown, in one
    node process bounded by a target's memory (``probe --target NAME``)."""

    kind: ClassVar[str] = "probe-target-run"
    module: str = ""
    node: str = ""
    target_name: str = ""
    memory_bytes: int = 0
    heap_mib: int | None = None
    steps: list = field(default_factory=list)     # [{"name", "ok", "error", "vm_data"}]
    ended: str | None = None                      # why node ended before the last step

    @property
    def failed(self) -> bool:
        return self.ended is not None or any(not s.get("ok") for s in self.steps)

    @property
    def bound_text(self) -> str:
        heap = f" and `--max-old-space-size={self.heap_mib}`, the heap node picks under that limit" \
            if self.heap_mib else ""
        return f"`ulimit -d` (RLIMIT_DATA) of {self.memory_bytes >> 20} MiB{heap}"

    @property
    def failure(self) -> str:
        """The first step that failed, the engine's error, and how much private writable
        memory the process held then and when node had just started."""
        start = next((s.get("vm_data") for s in self.steps if s.get("name") == "node started"), None)
        base = f"; {start >> 20} MiB when node had started" if isinstance(start, int) else ""
        bad = next((s for s in self.steps if not s.get("ok")), None)
        if bad is not None:
            held = bad.get("vm_data")
            at = f" with {held >> 20} MiB of private writable memory mapped{base}" if isinstance(held, int) else ""
            return f"fails to {bad.get('name')}: {bad.get('error') or 'no error text'}{at}"
        last = self.steps[-1]["name"] if self.steps else "starting"
        return f"ended after {last}: {self.ended}"


def facts_from_result(result: dict, path: str, spans: dict | None = None) -> list[Fact]:
    """Facts of one probe result (the JSON shape). ``spans`` maps ``("flag_sets", i)``
    and ``("allocation", name)`` to positions in a recorded file."""
    spans = spans or {}
    where = Span(path)
    module, node = str(result.get("module") or path), str(result.get("node") or "")
    sets = [fs for fs in result.get("flag_sets") or [] if isinstance(fs, dict)] \
        if isinstance(result.get("flag_sets"), list) else []
    default = next((fs for fs in sets if not fs.get("flags")), None)
    default_ms = _get(default, "compile_ms", "median")
    out: list[Fact] = []
    for i, fs in enumerate(sets):
        w = fs.get("workers") if isinstance(fs.get("workers"), dict) else {}
        out.append(ProbeResult(
            spans.get(("flag_sets", i), where), module=module, node=node, cores=_num(result.get("cores")),
            flags=[str(f) for f in fs.get("flags") or [] if isinstance(f, str)], runs=int(_num(fs.get("runs")) or 0),
            compile_median_ms=_get(fs, "compile_ms", "median"), compile_min_ms=_get(fs, "compile_ms", "min"),
            compile_max_ms=_get(fs, "compile_ms", "max"), compile_variance=_num(fs.get("compile_variance")),
            default_compile_ms=default_ms, instantiate_ms=_num(fs.get("instantiate_ms")),
            first_call_ms=_num(fs.get("first_call_ms")), call_ms=_num(fs.get("call_ms")),
            compile_only=bool(result.get("compile_only")), workers=_num(w.get("count")),
            single_ms=_num(w.get("single_ms")), multi_ms=_num(w.get("multi_ms")), ratio=_num(w.get("ratio")),
            expected_ratio=_num(w.get("expected_ratio")), shared_module_ms=_num(w.get("shared_module_ms")),
            shared_compile_ms=_num(w.get("shared_compile_ms")), error=_str(fs.get("error"))))
    allocation = result.get("allocation")
    for name, a in (allocation.items() if isinstance(allocation, dict) else ()):
        if not isinstance(a, dict):
            continue
        u = a.get("under_ulimit") if isinstance(a.get("under_ulimit"), dict) else {}
        out.append(ProbeAllocation(
            spans.get(("allocation", name), where), module=module, node=node, target_name=name,
            pages=int(_num(a.get("pages")) or 0), ok=bool(a.get("ok")), reserved_bytes=_num(a.get("reserved_bytes")),
            error=_str(a.get("error")), ulimit_kb=_num(u.get("ulimit_kb")),
            ulimit_ok=bool(u.get("ok")) if u else None, ulimit_error=_str(u.get("error"))))
    under = result.get("under_target")
    for name, r in (under.items() if isinstance(under, dict) else ()):
        if not isinstance(r, dict) or r.get("skipped"):
            continue
        steps = [s for s in r.get("steps") or [] if isinstance(s, dict)] if isinstance(r.get("steps"), list) else []
        out.append(ProbeTargetRun(
            spans.get(("under_target", name), where), module=module, node=node, target_name=str(name),
            memory_bytes=int(_num(r.get("memory_bytes")) or 0), heap_mib=_num(r.get("heap_mib")),
            steps=steps, ended=_str(r.get("ended"))))
    return out


def _get(d: dict | None, key: str, sub: str):
    v = (d or {}).get(key)
    return _num(v.get(sub)) if isinstance(v, dict) else None


def _num(v):
    """A number from a recorded file, or None (a wrong type is no measurement)."""
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _str(v):
    return v if isinstance(v, str) else None
