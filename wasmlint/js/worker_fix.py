"""WL301's fix: what a flag a Worker rejects meant, put where node honours it.

* ``--max-old-space-size=N`` bounds this worker's heap: it becomes
  ``resourceLimits: { maxOldGenerationSizeMb: N }`` on that Worker (on the
  command line it would bound the whole process); a ``maxOldGenerationSizeMb``
  already there is the user's and is kept;
* other flags node knows are per process: they go on the command line of each
  launch the project graph finds reaching the file that creates the worker,
  named by its entry script, unless that launch already holds them;
* a flag node does not know, or no known launch: a suggestion, no edit.

An ``execArgv`` left empty is removed, not left as ``[]``: an explicit
``execArgv`` replaces the options a worker inherits from its parent, an absent
one inherits them (node's worker_threads documentation).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Edit, Proposal
from ..facts import Span
from ..launch.args import USER
from . import versions
from .facts import JsWorker, repr_js

HEAP = "--max-old-space-size"
LIMIT = "maxOldGenerationSizeMb"


@dataclass
class Rejected:
    in_argv: list[str] = field(default_factory=list)
    in_env: list[str] = field(default_factory=list)
    heap: str | None = None          # MiB of a --max-old-space-size among them
    moved: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def _rejected(w: JsWorker, ctx) -> Rejected:
    db = versions._db(ctx, w.span.path)
    env = (w.env_node_options or "").split()
    r = Rejected(versions.worker_rejects(ctx, w.exec_argv, w.span.path),
                 versions.worker_rejects(ctx, env, w.span.path))
    for flag in r.in_argv + r.in_env:
        info = db.lookup(flag)
        if info is None:
            r.unknown.append(flag)
        elif info.name == HEAP and info.value and info.value.isdigit():
            r.heap = info.value
        elif flag not in r.moved:
            r.moved.append(flag)
    return r


def advice(w: JsWorker, ctx) -> str:
    """What to do instead, as the message says it."""
    r = _rejected(w, ctx)
    parts = []
    if r.heap is not None:
        parts.append(f"bound the worker's own heap with `resourceLimits: {{ {LIMIT}: … }}` (on the command "
                     "line the flag would bound the whole process)")
    if r.moved or r.unknown:
        parts.append(f"{'other ' if parts else ''}V8 flags are per process — put them on the parent's "
                     "command line (workers inherit them)")
    return "; ".join(parts)


def _ticks(flags: list[str]) -> str:
    return ", ".join(f"`{f}`" for f in flags)


def fix_worker_flags(w: JsWorker, ctx) -> Proposal | None:
    r = _rejected(w, ctx)
    if not (r.in_argv or r.in_env):
        return None
    edits: list[Edit] = []
    said: list[str] = []
    missing: list[str] = []          # why some part has no edit
    where = " and ".join(p for p, flags in (("`execArgv`", r.in_argv), ("`env.NODE_OPTIONS`", r.in_env)) if flags)
    said.append(f"Remove {_ticks(r.in_argv + r.in_env)} from {where}")
    pair_free = _drop_rejected(w, r, edits, missing)
    if r.heap is not None:
        said.append(_heap(w, r.heap, pair_free, edits, missing))
    if pair_free and not any(e.span == w.exec_argv_pair for e in edits):
        edits.append(Edit(w.exec_argv_pair_drop, "") if w.exec_argv_pair_drop is not None
                     else Edit(w.exec_argv_span, "[]"))
    if r.moved:
        said.append(_move(w, ctx, r.moved, edits, missing))
    if r.unknown:
        missing.append(f"node {w.node_major(ctx)} does not know {_ticks(r.unknown)}: correct or drop "
                       f"{'it' if len(r.unknown) == 1 else 'them'}")
    title = "; ".join(said)
    if missing:
        return Proposal(f"{title} ({'; '.join(missing)})")
    return Proposal(title, tuple(edits))


def _drop_rejected(w: JsWorker, r: Rejected, edits: list[Edit], missing: list[str]) -> bool:
    """Edits taking the rejected flags out; True when the ``execArgv`` pair is to go
    whole (the caller removes it, or puts ``resourceLimits`` in its place)."""
    gone = False
    if r.in_argv:
        kept = [text for flag, text in w.exec_argv_items if flag not in r.in_argv]
        if w.exec_argv_span is None:
            missing.append("`execArgv` is not an array literal here")
        elif kept:
            edits.append(Edit(w.exec_argv_span, "[" + ", ".join(kept) + "]"))
        elif w.exec_argv_pair is not None:
            gone = True
        else:
            edits.append(Edit(w.exec_argv_span, "[]"))
    if r.in_env:
        if w.env_span is None:
            missing.append("`env.NODE_OPTIONS` is not a string literal here")
        else:
            env = (w.env_node_options or "").split()
            edits.append(Edit(w.env_span, repr_js(" ".join(f for f in env if f not in r.in_env))))
    return gone


def _heap(w: JsWorker, mib: str, pair_free: bool, edits: list[Edit], missing: list[str]) -> str:
    limit = f"{LIMIT}: {mib}"
    if LIMIT in w.limit_keys:
        return f"its `resourceLimits.{LIMIT}` already bounds the worker's heap"
    if w.resource_limits:
        if w.limits_at is None:
            missing.append("`resourceLimits` is not an object literal here")
        else:
            edits.append(Edit(w.limits_at, f" {limit} " if w.limits_empty else f", {limit}"))
    elif pair_free:
        edits.append(Edit(w.exec_argv_pair, f"resourceLimits: {{ {limit} }}"))
    elif w.exec_argv_pair is not None:
        at = w.exec_argv_pair
        edits.append(Edit(Span(at.path, at.end_line, at.end_column, at.end_line, at.end_column),
                          f", resourceLimits: {{ {limit} }}"))
    else:
        missing.append("no options object literal to add `resourceLimits` to")
    return f"bound the worker's heap with `resourceLimits: {{ {limit} }}`"


def _move(w: JsWorker, ctx, flags: list[str], edits: list[Edit], missing: list[str]) -> str:
    project = ctx.project
    launches = [f for f in (project.launches_reaching(w.span.path) if project is not None else [])
                if f.anchor is not None and not f.opaque]
    if not launches:
        missing.append(f"no node launch reaching {w.span.path} was found in the project")
        return (f"start the process that creates this worker with {_ticks(flags)}: "
                f"`node {' '.join(flags)} <its entry script>`")
    db = versions._db(ctx, w.span.path)
    places: dict[str, list[str]] = {}
    for launch in sorted(launches, key=lambda f: (f.span.path, f.span.line, f.span.column)):
        held = {u.name for u in launch.effective(ctx) if u.name}
        want = [f for f in flags if db.lookup(f).name not in held]
        ins = launch.anchor.insert(want, launch.anchor_where, USER) if want else []
        if want and not ins:
            missing.append(f"the command line at {launch.span.path}:{launch.span.line} cannot be edited here")
        edits.extend(ins)
        unit = f" {launch.unit}" if launch.unit else ""
        places.setdefault(launch.script or "", []).append(f"{launch.span.path}:{launch.span.line}{unit}")
    runs = "; ".join(f"`{script}` ({', '.join(p)})" for script, p in places.items())
    return f"put {_ticks(flags)} on the node command line of the launches that run {runs}"
