"""The memory one node process can hold at its worst (WL120), added up term by term
against the memory limit of its launch.

Terms, each a lower bound of what it stands for, so a sum above the limit is a
finding that holds:

* the JS heap bound: ``--max-old-space-size=N`` is N MiB of old generation plus
  the young generation V8 adds (``heap_size_limit`` measured per node major,
  ``data/process-budget.json``); without a heap flag, the smallest bound node
  picks under that limit (``nodeheap``; where node does not see the limit — PM2's
  restart threshold, node 18 under cgroup v2 — the smallest bound it ever picks);
* each WebAssembly memory the process and its workers instantiate: its maximum
  (the initial size when fixed; 4 GiB, wasm32's cap, when it declares none), times
  the instances — one per thread that instantiates it, the workers of a
  ``new Worker`` site counted as a constant loop or pool size says, else one;
* one stack per Worker thread: ``resourceLimits.stackSizeMb`` as node reports it
  inside a Worker started without limits (measured).

Not counted (so the sum stays a lower bound): each Worker's own JS heap, the main
thread's and libuv's thread stacks, node's own code and buffers.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from .facts import Span
from .graph import launch_id
from .memory import PAGE, WASM32_MAX_PAGES
from .nodeheap import MIB, HeapSizing
from .resources import package_data

# Flags that bound the JS heap besides --max-old-space-size: their bound is not modelled here.
OTHER_HEAP_FLAGS = ("--max-heap-size", "--max-old-space-size-percentage", "--max-semi-space-size")
INSTANTIATES = ("instantiate", "instantiateStreaming", "Instance")
MAX_CONTEXTS = 32        # thread contexts (main + worker sites, nested) followed per launch
MAX_DEPTH = 3            # workers that start workers


@lru_cache(maxsize=1)
def measured() -> dict[int, dict]:
    """``data/process-budget.json`` (``scripts/gen_process_budget.py``) by node major."""
    raw = json.loads(package_data("process-budget.json").read_text(encoding="utf-8"))
    return {int(k): v for k, v in raw["majors"].items()}


def _fmt(n: int) -> str:
    from .condition import FUNCTIONS
    return FUNCTIONS["bytes"](n)


@dataclass(frozen=True)
class Limit:
    """The memory a launch is given: ``bytes``, how it is stated (``what``: `mem_limit: 1536m`),
    where, and whether node sees it as a cgroup limit (PM2's restart threshold is not)."""

    bytes: int
    what: str
    span: Span | None = None
    cgroup: bool = True


@dataclass(frozen=True)
class Term:
    kind: str                 # js-heap | wasm-memory | worker-stacks
    count: int                # instances
    each: int                 # bytes per instance
    what: str                 # how it was found, for the message
    span: Span | None = None
    where: str = ""           # the related location's message

    @property
    def bytes(self) -> int:
        return self.count * self.each

    @property
    def text(self) -> str:
        size = _fmt(self.each) if self.count == 1 else f"{self.count} × {_fmt(self.each)}"
        return f"{size} {self.what}"

    def to_json(self) -> dict:
        return {"term": self.kind, "bytes": self.bytes, "count": self.count, "each_bytes": self.each,
                "what": self.what, "path": self.span.path if self.span else None,
                "line": self.span.line if self.span else None}


@dataclass
class Budget:
    limit: Limit
    unit: str
    terms: list[Term] = field(default_factory=list)
    sites: list = field(default_factory=list)     # (span, message) of the worker sites counted

    @property
    def total(self) -> int:
        return sum(t.bytes for t in self.terms)

    @property
    def heap(self) -> int:
        return sum(t.bytes for t in self.terms if t.kind == "js-heap")

    @property
    def over(self) -> bool:
        """Above the limit through WebAssembly memory: a heap bound alone at or above
        the limit is WL201's and WL202's finding."""
        return (any(t.kind == "wasm-memory" for t in self.terms) and self.heap < self.limit.bytes
                and self.total > self.limit.bytes)

    @property
    def text(self) -> str:
        parts = " + ".join(t.text for t in self.terms)
        return (f"at its worst this process holds at least {_fmt(self.total)}, above the {self.limit.what} "
                f"of {_fmt(self.limit.bytes)} for {self.unit}: {parts}")

    @property
    def related(self) -> list:
        out = [(self.limit.span, f"memory limit {self.limit.what} stated here")] if self.limit.span else []
        seen = set()
        for t in self.terms:
            if t.span is not None and t.where and (t.span, t.where) not in seen:
                seen.add((t.span, t.where))
                out.append((t.span, t.where))
        return out + self.sites

    @property
    def json(self) -> dict:
        return {"limit": {"bytes": self.limit.bytes, "what": self.limit.what},
                "total_bytes": self.total, "terms": [t.to_json() for t in self.terms]}


# ------------------------------------------------------------------ the entry points


def launch_budget(launch, ctx) -> Budget | None:
    """The budget of a node launch under the memory limit its own surface states."""
    if launch.memory_limit_bytes is None:
        return None
    return budget_under(launch, ctx, Limit(launch.memory_limit_bytes, launch.memory_limit_what,
                                           launch.memory_limit_span, launch.memory_limit_cgroup))


def budget_under(launch, ctx, limit: Limit, roots: list[str] | None = None) -> Budget | None:
    """The budget of ``launch`` under ``limit``: the hook for limits another part states
    (a function's ``MemorySize``), whose main thread runs ``roots`` (default: what the
    launch runs). None when the JS heap term cannot be bounded."""
    if launch.opaque or ctx.project is None:
        return None
    heap = heap_term(launch, ctx, limit)
    if heap is None:
        return None
    wasm, workers = _wasm_terms(launch, ctx, roots)
    stacks = _stack_term(launch, ctx, workers)
    sites = [(t.chain[-1], f"{t.label}, counted in the sum")
             for t in workers]
    return Budget(limit, launch.unit or launch.span.path, [heap, *wasm, *([stacks] if stacks else [])], sites)


@dataclass(frozen=True)
class FunctionProcess:
    """The node process a function platform starts on a deployment's handler (AWS Lambda's
    node runtime): no flags of the project's own, the node major its runtime names."""

    span: Span
    unit: str
    node_version: str | None
    opaque: bool = False

    def effective(self, ctx) -> list:
        return []

    def heap_flag(self, ctx):
        return None

    def major(self, ctx) -> int:
        from .launch import version
        return version.resolve(ctx, self.node_version, self.span.path)[0]


def function_budget(deployment, ctx) -> Budget | None:
    """A node function's process under the memory its deployment configures (Lambda's
    ``MemorySize``): the handler's file and what it imports run on the main thread. None
    for another runtime, no configured memory, or NODE_OPTIONS in its environment that
    bounds the heap (not modelled). Lambda's node runtime passes its own
    ``--max-old-space-size`` (90% of the memory on nodejs14.x–18.x), above node's default
    for that memory, so node's default stays a lower bound of the heap term."""
    if deployment.memory_bytes is None or deployment.heap_options or ctx.project is None:
        return None
    if deployment.runtime is not None and deployment.node_major is None:
        return None
    roots = sorted({e.dst for e in ctx.project.edges_by_span.get(("deploys", deployment.span), ()) if e.dst})
    if not roots or (deployment.runtime is None and not any(ctx.project.files.get(r) == "js" for r in roots)):
        return None
    process = FunctionProcess(deployment.span, deployment.via, deployment.node_major)
    return budget_under(process, ctx, Limit(deployment.memory_bytes, f"`{deployment.memory_setting.split(':')[0]}`",
                                            deployment.memory_span), roots)


# ------------------------------------------------------------------ JS heap


def heap_term(launch, ctx, limit: Limit) -> Term | None:
    """The JS heap bound as a lower bound in bytes, or None when it cannot be told."""
    names = {u.name for u in launch.effective(ctx)}
    if names & set(OTHER_HEAP_FLAGS):
        return None
    major = launch.major(ctx)
    flag = launch.heap_flag(ctx)
    if flag is None and "--max-old-space-size" in names:
        return None                         # a value not known statically
    if flag is not None:
        old = int(flag.value) * MIB
        young = young_generation(major, int(flag.value))
        extra = f" + {_fmt(young)} young generation, measured on node {major}" if young else ""
        return Term("js-heap", 1, old + young, f"JS heap (`{flag.spelling}`{extra})", flag.span)
    sizing = HeapSizing.of(major)
    if sizing is None:
        return None
    if limit.cgroup and sizing.sees_limits:
        low, _ = sizing.bounds(limit.bytes)
        if low is None:
            return None
        return Term("js-heap", 1, low, f"JS heap (no heap flag: the smallest bound node {major} picks "
                                       f"under {_fmt(limit.bytes)}, measured)")
    low = sizing.smallest
    blind = "a PM2 restart threshold node does not see" if not limit.cgroup else "node 18 reads no cgroup v2 limit"
    return Term("js-heap", 1, low, f"JS heap (no heap flag, {blind}: the smallest bound node {major} "
                                   "picks on any machine, measured)")


def young_generation(major: int, old_mib: int) -> int:
    """Bytes V8 adds to ``--max-old-space-size=old_mib`` for the young generation: as
    measured at the largest measured size at or below it (it never shrinks as the old
    generation grows); 0 when nothing measured applies."""
    data = measured().get(major)
    if not data:
        return 0
    below = [int(n) for n in data["heap_flag"] if int(n) <= old_mib]
    if not below:
        return 0
    n = max(below)
    return max(0, data["heap_flag"][str(n)] - n * MIB)


# ------------------------------------------------------------------ threads and their modules


@dataclass(frozen=True)
class _Thread:
    """A thread context: the main thread (no chain) or the workers a chain of
    ``new Worker`` sites starts, ``count`` of them."""

    chain: tuple = ()
    count: int = 1
    label: str = "the main thread"
    default_stack: bool = True     # its Worker options leave `resourceLimits.stackSizeMb` at node's default


def worker_count(fact, ctx) -> tuple[int, str]:
    """How many workers one ``new Worker``/pool site starts, as a lower bound, and why."""
    from .js import crossfile
    site = f"{fact.span.path}:{fact.span.line}"
    if fact.pool_size is not None and not fact.pool_size_by_cores:
        return fact.pool_size, f"a pool of {fact.pool_size} workers at {site}"
    if fact.in_loop and not fact.ended_each_pass and not fact.loop_bounded_by_cores and fact.size_param is None:
        kind, count = crossfile.follow(ctx, fact.span.path, False, fact.loop_count, fact.size_imports)
        if kind == "count" and count:
            return count, f"{count} workers started in a loop at {site}"
    if fact.loop_bounded_by_cores or fact.pool_size_by_cores:
        return 1, f"at least 1 worker (as many as the cores) started at {site}"
    if fact.in_loop or fact.api != "worker_threads":
        return 1, f"at least 1 worker started at {site}"
    return 1, f"the worker started at {site}"


def _threads(launch, ctx, roots: list[str] | None = None):
    """``(thread, file)`` for every file a launch's threads run (the main thread runs
    ``roots`` when given), main thread first."""
    project = ctx.project
    graph = project.graph
    start = _Thread()
    queue, seen, out = [(launch_id(launch), start)], set(), []
    if roots is not None:
        queue = [(r, start) for r in roots]
        seen = {(r, ()) for r in roots}
        out = [(start, r) for r in roots]
    threads = {(): start}
    while queue:
        node, thread = queue.pop(0)
        for e in graph.out.get(node, ()):
            if e.dst is None or e.kind not in ("runs", "imports", "spawns"):
                continue
            nxt = thread
            if e.kind == "spawns":
                worker = next((w for w in project.at("js-worker", e.src) if w.span == e.span), None)
                chain = thread.chain + (e.span,)
                if worker is None or not worker.node or len(chain) > MAX_DEPTH:
                    continue
                if chain not in threads:
                    if len(threads) >= MAX_CONTEXTS:
                        continue
                    n, why = worker_count(worker, ctx)
                    threads[chain] = _Thread(chain, thread.count * n, why, "stackSizeMb" not in worker.limit_keys)
                nxt = threads[chain]
            if (e.dst, nxt.chain) not in seen:
                seen.add((e.dst, nxt.chain))
                out.append((nxt, e.dst))
                queue.append((e.dst, nxt))
    return out, [t for t in threads.values() if t.chain]


def _instantiates(project, path: str, span: Span, in_worker: bool) -> bool:
    """Whether the file ``path`` instantiates the module its edge at ``span`` loads, on
    this kind of thread: a compile-only call (the Module is sent to workers) does not,
    nor a call the file makes only when it is not the main thread."""
    compiles = [c for c in project.at("js-wasm-compile", path) if in_worker or not c.worker_context]
    own = next((c for c in compiles if c.span == span), None)
    if own is not None and own.api in INSTANTIATES:
        return True
    if any(c.api in INSTANTIATES for c in compiles):
        return True
    return own is None and any(m.generator for m in project.at("js-module", path))


def _module_memories(project, module: str) -> list:
    index = project.memo.get("process-budget-memories")
    if index is None:
        index = {}
        for m in project.of_kind("memory"):
            index.setdefault(m.virtual_path or m.span.path, []).append(m)
        project.memo["process-budget-memories"] = index
    return [m for m in index.get(module, ()) if not m.imported]


def ceiling(m) -> tuple[int, str] | None:
    """Bytes one instance of memory ``m`` can reach, and why; None when unknown."""
    if m.initial_pages is None or getattr(m, "feature_test", False) or getattr(m, "sized_after", None):
        return None
    if m.maximum_pages is not None:
        fixed = m.maximum_pages == m.initial_pages
        return m.maximum_pages * m.page_bytes, (f"fixed at {m.maximum_pages} pages" if fixed
                                               else f"maximum {m.maximum_pages} pages")
    if m.memory64 or (m.maximum_declared and m.maximum_pages is None):
        return m.initial_pages * m.page_bytes, f"initial {m.initial_pages} pages (its maximum is not known)"
    return WASM32_MAX_PAGES * PAGE, "no maximum: it can grow to wasm32's 4 GiB"


def _wasm_terms(launch, ctx, roots: list[str] | None = None) -> tuple[list[Term], list[_Thread]]:
    project = ctx.project
    runs, workers = _threads(launch, ctx, roots)
    terms: dict[tuple, Term] = {}
    for thread, path in runs:
        in_worker = bool(thread.chain)
        for e in project.graph.out.get(path, ()):
            if e.kind not in ("loads-wasm", "embeds") or e.dst is None:
                continue
            if not _instantiates(project, path, e.span, in_worker):
                continue
            for m in _module_memories(project, e.dst):
                _add(terms, thread, m, e.dst, f"{m.label} of {e.dst}")
        for m in project.at("js-memory", path):
            if in_worker and (m.shared or m.generator):
                continue              # received from the main thread, or made by glue only there
            if m.fallback:
                continue
            _add(terms, thread, m, path, f"{m.label} at {path}:{m.span.line}")
    return list(terms.values()), workers


def _add(terms: dict, thread: _Thread, m, module: str, label: str) -> None:
    key = (thread.chain, module, getattr(m, "index", m.span))
    found = ceiling(m)
    if found is None or key in terms:
        return
    each, why = found
    where = "" if not thread.chain else f", in {thread.label}"
    terms[key] = Term("wasm-memory", thread.count, each, f"WebAssembly memory ({label}: {why}{where})",
                      m.span, f"{label}: {why}")


def _stack_term(launch, ctx, workers: list[_Thread]) -> Term | None:
    data = measured().get(launch.major(ctx))
    count = sum(t.count for t in workers if t.default_stack)
    if not data or not count:
        return None
    mb = data["worker"]["stack_size_mb"]
    return Term("worker-stacks", count, mb * MIB,
                f"Worker thread stack{'s' if count > 1 else ''} (`resourceLimits.stackSizeMb` defaults to {mb}, "
                f"measured on node {data['node']})")
