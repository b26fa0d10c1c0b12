"""WL201: the flags a production node launch lacks, each with its evidence.

Three sources; a flag is named by one of them only, in this order:

* drift: another production launch of the same entry script carries a V8 or
  heap flag this one lacks (the Dockerfile sets the heap, the PM2 file does not);
* heap: the launch states a memory limit, sets no heap bound, and the bound node
  derives by itself (measured per major, ``nodeheap``) is at or above the limit.
  An explicit ``--max-old-space-size`` at or above it is WL202's;
* policy: ``policy.required-node-flags`` (empty by default; presets in config.py).

Flags that ``check`` itself reports elsewhere (testing-only, ineffective on this
node, unknown to it) are never asked for.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ..condition import FUNCTIONS
from ..diagnostics import Edit
from ..facts import Span
from ..graph import launch_id
from ..nodeheap import MIB, HeapSizing
from . import verdicts
from .args import COPIED, DEFAULT

# Flags that bound the JS heap (old space) as a whole.
HEAP_FLAGS = ("--max-old-space-size", "--max-heap-size", "--max-old-space-size-percentage")
_bytes = FUNCTIONS["bytes"]


def _mib(n: int) -> str:
    """A heap bound as node users write it (``--max-old-space-size`` counts MiB)."""
    return f"{n / MIB:.0f} MiB"


@dataclass
class FlagNeed:
    text: str                                    # the message after "node launch (unit) "
    words: list[str]                             # inserted before the script
    related: list[tuple[Span, str]] = field(default_factory=list)
    rank: int = DEFAULT                          # a default, or a value copied from another launch
    fix: list[Edit] = field(default_factory=list)

    @property
    def words_text(self) -> str:
        return ", ".join(f"`{w}`" for w in self.words)


def flag_needs(launch, ctx) -> list[FlagNeed]:
    if launch.opaque or launch.eval or launch.script is None:
        return []
    # what the line holds, flags written after the script included (WL203 moves them)
    written = {u.name for u in launch.cli_flags(ctx) + launch.env_flags(ctx) + launch.flags_after_script(ctx)
               if u.name}
    moved = {u.name for u in launch.flags_after_script(ctx)}
    needs, taken = [], set(moved)
    drift = _drift(launch, ctx, written)
    if drift:
        needs.append(drift)
        taken |= {_name(launch, ctx, w) for w in drift.words}
    heap = _heap(launch, ctx, written | taken)
    if heap:
        needs.append(heap)
        taken.add("--max-old-space-size")
    policy = _policy(launch, ctx, taken)
    if policy:
        needs.append(policy)
    for need in needs:
        need.fix = launch.anchor.insert(need.words, launch.anchor_where, need.rank) if launch.anchor else []
    return needs


def _name(launch, ctx, word: str) -> str | None:
    info = _db(launch, ctx).lookup(word)
    return info.name if info else None


def _db(launch, ctx):
    from ..nodeflags import FlagDB
    return FlagDB.for_major(launch.major(ctx))


# ------------------------------------------------------------------ drift


def _entry(project, launch) -> tuple:
    """What a launch runs: the project file its script resolves to, else the script
    as written within its package (the nearest folder holding a package.json, or
    the launch file's own folder when none does)."""
    for e in project.graph.out.get(launch_id(launch), ()):
        if e.kind == "runs" and e.dst:
            return ("file", e.dst)
    parts = tuple(p for p in launch.script.split("/") if p not in ("", "."))
    home = posixpath.dirname(launch.span.path)
    root = project.package_root(launch.span.path)
    if posixpath.join(root, "package.json") in project.files:
        home = root
    return ("spec", home, launch.script.startswith("/"), parts)


MAX_PEERS = 16


def _same_entry(a: tuple, b: tuple) -> bool:
    """Resolved files are equal; unresolved scripts of one package are the same
    path, or a container's absolute path ending in the other's relative path
    (``/app/dist/server.js`` and ``dist/server.js``)."""
    if a[0] != b[0] or a[0] == "file":
        return a == b
    if a[1] != b[1]:
        return False
    if a[2] == b[2]:
        return a[3] == b[3]
    absolute, relative = (a[3], b[3]) if a[2] else (b[3], a[3])
    return len(relative) < len(absolute) and absolute[-len(relative):] == relative


def _peers(launch, ctx) -> list:
    project = ctx.project
    if project is None or not hasattr(project, "graph"):
        return []
    cache = ctx.__dict__.setdefault("_launch_cache", {})
    if "entries" not in cache:
        groups: dict[tuple, list] = {}
        entries: dict[int, tuple] = {}
        for f in project.of_kind("node-launch"):
            if f.production(ctx) and not f.eval and not f.opaque and f.script is not None:
                key = entries[id(f)] = _entry(project, f)
                groups.setdefault(_group(key), []).append((f, key))
        cache["entries"], cache["entry-of"] = groups, entries
    mine = cache["entry-of"].get(id(launch)) or _entry(project, launch)
    peers = []
    for f, key in cache["entries"].get(_group(mine), ()):
        if f is not launch and _same_entry(mine, key):
            peers.append(f)
            if len(peers) == MAX_PEERS:     # a script launched from hundreds of places: the first few
                break
    return peers


def _group(entry: tuple) -> tuple:
    """Entries that can be the same (``_same_entry``) share this: the file, or the
    package and the script's file name."""
    return entry if entry[0] == "file" else (entry[0], entry[1], entry[3][-1:])


def _drift(launch, ctx, written: set) -> FlagNeed | None:
    db, major = _db(launch, ctx), launch.major(ctx)
    tiering_off = launch.dynamic_tiering_off(ctx)
    found: dict[str, tuple[str, list]] = {}
    carriers: dict[str, object] = {}
    for peer in _peers(launch, ctx):
        for u in peer.effective(ctx):
            if not u.known or u.dynamic or not (u.is_v8 or u.name in HEAP_FLAGS) or u.name in written:
                continue
            word = u.canonical
            info = db.lookup(word)
            if info is None or verdicts.testing_only(info.name, info.negated) \
                    or verdicts.ineffective(major, info.name, info.negated, tiering_off):
                continue
            if info.name == "--max-old-space-size" and not (_fits(launch, info.value) and _fits(peer, info.value)):
                continue   # at or above either launch's memory limit: WL202's, not a value to copy
            entry = found.setdefault(info.name, (word, []))
            entry[1].append((u.span, f"`{u.spelling}` in {peer.unit or peer.surface}, "
                                     f"a production launch of the same script"))
            carriers.setdefault(f"{peer.span.path}:{peer.span.line}", peer)
    if not found:
        return None
    words = [w for w, _ in found.values()]
    who = " and ".join(f"{where} ({p.unit or p.surface})" for where, p in carriers.items())
    flags = ", ".join(f"`{w}`" for w in words)
    return FlagNeed(f"lacks {flags}, which {who} {'runs' if len(carriers) == 1 else 'run'} the same script "
                    f"`{launch.script}` with", words, [r for _, rel in found.values() for r in rel], COPIED)


def _fits(launch, value: str | None) -> bool:
    if launch.memory_limit_bytes is None or value is None or not value.isdigit():
        return True
    return int(value) * MIB < launch.memory_limit_bytes


# ------------------------------------------------------------------ heap


def _heap(launch, ctx, written: set) -> FlagNeed | None:
    if launch.memory_limit_bytes is None or written & set(HEAP_FLAGS):
        return None
    why = default_heap_misfit(launch, ctx)
    if why is None:
        return None
    return FlagNeed(f"sets no heap bound, and {why}; WebAssembly memory, outside the JS heap, needs room too",
                    [f"--max-old-space-size={launch.heap_mib_for_limit}"], launch.limit_related(ctx))


def default_heap_misfit(launch, ctx) -> str | None:
    """Why the JS heap bound node picks by itself does not fit the launch's memory
    limit; None when it fits or the data cannot tell."""
    major, limit, what = launch.major(ctx), launch.memory_limit_bytes, launch.memory_limit_what
    sizing = HeapSizing.of(major)
    if sizing is None or limit is None:
        return None
    if launch.memory_limit_cgroup and sizing.sees_limits:
        low, _ = sizing.bounds(limit)
        if low is None or low < limit:
            return None
        return (f"under the {what} of {_bytes(limit)} node {major} sets its JS heap bound to {_mib(low)} "
                "by itself (measured: the smallest bound it picks), at or above the limit")
    hit = sizing.reaches(limit)
    if hit is None:
        return None
    memory, heap = hit
    blind = (f"node {major} does not read a cgroup v2 memory limit" if launch.memory_limit_cgroup
             else f"node does not see {what}, a PM2 restart threshold")
    return (f"{blind}: it sizes its JS heap from the machine's memory, {_mib(heap)} on a machine with "
            f"{_bytes(memory * MIB)} or more (measured), at or above the {what} of {_bytes(limit)}")


# ------------------------------------------------------------------ policy


def _policy(launch, ctx, taken: set) -> FlagNeed | None:
    db = _db(launch, ctx)
    missing = []
    for want in ctx.config.policy.get("required-node-flags") or []:
        info = db.lookup(want) or db.lookup(want + "=0")
        if info is None or info.name in taken:
            continue
        if not launch.has_flag(ctx, info.name, info.negated):
            missing.append(want)
    if not missing:
        return None
    words = [w for w in (launch.with_value(ctx, f) for f in missing) if w]
    text = ", ".join(f"`{f}`" for f in missing)
    return FlagNeed(f"lacks {text} required by policy `required-node-flags`", words)
