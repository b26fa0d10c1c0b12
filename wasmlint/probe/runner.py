"""Run the probe's measurements: every one in a fresh node process started
with an argument list (``node [FLAGS] harness.mjs``, request as JSON on stdin),
bounded by a timeout. Runs of different flag sets are interleaved so drift in
machine load spreads over all of them (facts.md §5).
"""
from __future__ import annotations

import json
import os
import resource
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Callable

from ..tools import run_tool

HARNESS = Path(__file__).resolve().with_name("harness.mjs")


class ProbeError(Exception):
    """The probe cannot run at all (node missing or broken, module unreadable)."""


@dataclass
class Plan:
    node: str
    module: str                          # absolute path of the .wasm
    display: str                         # path as the user gave it
    flag_sets: list[list[str]]
    imports: list[dict] = field(default_factory=list)
    call: dict | None = None             # {"name", "args": [{"type", "value"}]}
    calls: int = 10
    runs: int = 5
    workers: int = 4
    targets: list[tuple[str, int]] = field(default_factory=list)   # (name, pages)
    shared_memory: bool = False
    ulimit_kb: int | None = None         # the address-space limit to measure allocation under
    timeout: float = 60.0
    under: list[dict] = field(default_factory=list)   # targets named on the command line: under_target.bound
    memory_maximum: int | None = None    # pages: memory 0's declared maximum (the grow step)


class Node:
    """One node binary; NODE_OPTIONS is removed so only the measured flags apply."""

    def __init__(self, exe: str, timeout: float):
        self.exe, self.timeout = exe, timeout
        self.env = {k: v for k, v in os.environ.items() if k != "NODE_OPTIONS"}

    def rejects(self, flags: list[str]) -> str | None:
        """Why this node refuses to start with ``flags`` (None: it accepts them)."""
        res = run_tool([self.exe, *flags, "-e", "0"], timeout=self.timeout, env=self.env)
        if res.returncode == 0:
            return None
        lines = [ln.strip() for ln in (res.stderr or res.stdout).splitlines() if ln.strip()]
        return lines[0] if lines else f"node exited with code {res.returncode}"

    def harness(self, flags: list[str], request: dict, address_space: int | None = None) -> dict:
        res = run_tool([self.exe, *flags, str(HARNESS)], timeout=self.timeout,
                       stdin=json.dumps(request).encode(), env=self.env, address_space=address_space)
        line = res.stdout.strip().splitlines()[-1] if res.stdout.strip() else ""
        try:
            out = json.loads(line) if line else None
        except json.JSONDecodeError:
            out = None
        if res.timed_out:
            raise ProbeError(f"timed out after {self.timeout:.0f} s")
        if not isinstance(out, dict) or "fatal" in out:
            detail = out["fatal"] if isinstance(out, dict) else _last_line(res.stderr)
            raise ProbeError(f"node exited with code {res.returncode}: {detail}")
        return out


    def steps(self, flags: list[str], request: dict, data_limit: int) -> tuple[list[dict], str | None]:
        """The steps a ``target`` request printed under ``data_limit`` bytes of RLIMIT_DATA,
        and why the process ended early (None when it finished)."""
        res = run_tool([self.exe, *flags, str(HARNESS)], timeout=self.timeout,
                       stdin=json.dumps(request).encode(), env=self.env, data_limit=data_limit)
        steps, finished = [], False
        for line in res.stdout.splitlines():
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(item, dict) and isinstance(item.get("step"), dict):
                steps.append(item["step"])
            elif isinstance(item, dict) and "fatal" not in item and "node" in item:
                finished = True
        if res.timed_out:
            return steps, f"node did not finish within {self.timeout:.0f} s"
        if not finished:
            return steps, f"node exited with code {res.returncode}: {_last_line(res.stderr)}"
        return steps, None


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else "no output"


def user_ulimit_kb() -> int | None:
    """The address-space limit (``ulimit -v``) this process runs under, in KiB."""
    soft = resource.getrlimit(resource.RLIMIT_AS)[0]
    return None if soft == resource.RLIM_INFINITY else soft // 1024


def _stats(xs: list[float]) -> dict | None:
    return {"median": _r(median(xs)), "min": _r(min(xs)), "max": _r(max(xs))} if xs else None


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _med(xs: list[float]) -> float | None:
    return _r(median(xs)) if xs else None


class _FlagSetRuns:
    """What the runs of one flag set collected."""

    def __init__(self, flags: list[str]):
        self.flags = flags
        self.error: str | None = None
        self.compile: list[float] = []
        self.total: list[float] = []        # per run: compile to the end of the workload
        self.instantiate: list[float] = []
        self.first_call: list[float] = []
        self.call: list[float] = []
        self.single: list[float] = []
        self.multi: list[float] = []
        self.shared: list[float] = []
        self.shared_compile: list[float] = []

    def to_json(self, workers: int, cores: int) -> dict:
        c = _stats(self.compile)
        single, multi = _med(self.single), _med(self.multi)
        out = {
            "flags": self.flags,
            "compile_ms": c,
            "compile_variance": _r(c["max"] / c["min"]) if c and c["min"] else None,
            "total_ms": _stats(self.total),
            "instantiate_ms": _med(self.instantiate),
            "first_call_ms": _med(self.first_call),
            "call_ms": _med(self.call),
            "workers": {
                "count": workers, "single_ms": single, "multi_ms": multi,
                "ratio": _r(multi / single) if single and multi else None,
                "expected_ratio": _r(max(1.0, workers / cores)),
                "shared_module_ms": _med(self.shared),
                "shared_compile_ms": _med(self.shared_compile),
            } if workers > 1 else None,
            "runs": len(self.compile),
        }
        if self.error:
            out["error"] = self.error
        return out


def steps(plan: Plan) -> int:
    """How many node processes a probe starts (for the progress bar)."""
    per_run = 1 + (3 if plan.workers > 1 else 0)
    allocs = len(plan.targets) * (2 if plan.ulimit_kb else 1)
    return 1 + len(plan.flag_sets) + plan.runs * len(plan.flag_sets) * per_run + allocs + len(plan.under)


def run_probe(plan: Plan, tick: Callable[[str], None] = lambda _: None) -> dict:
    """Measure; the result has the JSON shape of ``wasmlint probe --format json``
    without ``diagnostics`` and ``recommendation``."""
    node = Node(plan.node, plan.timeout)
    base = {"module": plan.module, "imports": plan.imports, "call": plan.call, "calls": plan.calls,
            "instantiate": True}
    tick("checking that the module instantiates with stub imports")
    try:
        first = node.harness([], dict(base, mode="run"))
    except ProbeError as exc:
        raise ProbeError(f"{plan.display}: cannot be measured under {plan.node}: {exc}") from None
    result: dict = {"module": plan.display, "node": first["node"], "v8": first["v8"],
                    "cores": first["cores"], "compile_only": False, "instantiate_error": None,
                    "call_error": None}
    if first.get("instantiate_error"):
        result.update(compile_only=True, instantiate_error=first["instantiate_error"])
        base.update(instantiate=False, call=None)
    elif first.get("call_error"):
        result["call_error"] = first["call_error"]
        base["call"] = None
    runs, skipped = [], []
    for flags in plan.flag_sets:
        tick(f"checking that node accepts {' '.join(flags) or 'the default flags'}")
        reason = node.rejects(flags) if flags else None
        if reason:
            skipped.append({"flags": flags, "reason": reason})
        else:
            runs.append(_FlagSetRuns(flags))
    for i in range(plan.runs):
        for fs in runs:
            _one_round(node, plan, base, fs, i, tick)
    result["flag_sets"] = [fs.to_json(plan.workers, result["cores"]) for fs in runs]
    result["skipped_flag_sets"] = skipped
    result["allocation"] = _allocation(node, plan, tick)
    if plan.under:
        result["under_target"] = _under_targets(node, plan, base, tick)
    return result


def _one_round(node: Node, plan: Plan, base: dict, fs: _FlagSetRuns, i: int, tick) -> None:
    label = " ".join(fs.flags) or "default flags"
    n = 1 + (3 if plan.workers > 1 else 0)
    if fs.error:
        for _ in range(n):
            tick(f"{label}: skipped")
        return
    try:
        tick(f"{label}: compile, run {i + 1}/{plan.runs}")
        r = node.harness(fs.flags, dict(base, mode="run"))
        fs.compile.append(r["compile_ms"])
        total = r["compile_ms"]
        for key, acc in (("instantiate_ms", fs.instantiate), ("first_call_ms", fs.first_call),
                         ("call_ms", fs.call)):
            if r.get(key) is not None:
                acc.append(r[key])
                total += r[key]
        fs.total.append(total)
        if plan.workers <= 1:
            return
        for count, shared, acc in ((1, False, fs.single), (plan.workers, False, fs.multi),
                                   (plan.workers, True, fs.shared)):
            kind = "shared module" if shared else f"{count} worker{'s' if count > 1 else ''}"
            tick(f"{label}: {kind}, run {i + 1}/{plan.runs}")
            w = node.harness(fs.flags, dict(base, mode="workers", count=count, shared=shared,
                                             nonce=secrets.token_hex(4)))
            acc.append(sum(w["per_worker_ms"]) / len(w["per_worker_ms"]))
            if shared and w.get("shared_compile_ms") is not None:
                fs.shared_compile.append(w["shared_compile_ms"])
    except ProbeError as exc:
        fs.error = str(exc)


def _allocation(node: Node, plan: Plan, tick) -> dict:
    out: dict = {}
    lift = resource.RLIM_INFINITY if user_ulimit_kb() is not None else None
    for name, pages in plan.targets:
        req = {"mode": "alloc", "pages": pages, "shared": plan.shared_memory}
        tick(f"allocating {name}'s budget ({pages} pages)")
        entry = {"pages": pages, **_alloc_once(node, req, lift)}
        if plan.ulimit_kb:
            tick(f"allocating {name}'s budget under ulimit -v {plan.ulimit_kb}")
            entry["under_ulimit"] = {"ulimit_kb": plan.ulimit_kb,
                                     **_alloc_once(node, req, plan.ulimit_kb * 1024)}
        out[name] = entry
    return out


def _alloc_once(node: Node, req: dict, address_space: int | None) -> dict:
    try:
        r = node.harness([], req, address_space=address_space)
    except ProbeError as exc:
        return {"ok": False, "reserved_bytes": None, "error": str(exc)}
    return {"ok": bool(r.get("ok")), "reserved_bytes": r.get("reserved_bytes"), "error": r.get("error")}


def _under_targets(node: Node, plan: Plan, base: dict, tick) -> dict:
    """Instances on the main thread and in ``plan.workers`` workers, then growth to the
    maximum, in one node process bounded by each target's memory (``setup.target_bound``)."""
    out: dict = {}
    for bound in plan.under:
        tick(f"instantiating under {bound['target']}'s memory ({bound['memory_bytes'] >> 20} MiB)")
        flags = [f"--max-old-space-size={bound['heap_mib']}"] if bound.get("heap_mib") else []
        req = {"mode": "target", "module": plan.module, "imports": plan.imports, "count": plan.workers,
               "maximum": plan.memory_maximum}
        if base.get("instantiate") is False:
            out[bound["target"]] = {**bound, "steps": [], "ended": None,
                                    "skipped": "the module does not instantiate with stub imports"}
            continue
        steps, ended = node.steps(flags, req, bound["memory_bytes"])
        out[bound["target"]] = {**bound, "node_flags": flags, "steps": steps, "ended": ended}
    return out
