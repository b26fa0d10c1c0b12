"""Which ``new Worker``/pool sites of the project start the worker code a fact sits in:
sites whose script resolves to its file (the project graph's ``spawns`` edges), and
Blob workers of this file that run the function around it (inline_worker.py)."""
from __future__ import annotations


def spawners(fact, ctx) -> list:
    project = ctx.project
    if project is None:
        return []
    path, line, col = fact.span.path, fact.span.line, fact.span.column
    found = [w for w in project.at("js-worker", path) if w.runs_code is not None and w.runs_code.end_line is not None and
             (w.runs_code.line, w.runs_code.column) <= (line, col) <= (w.runs_code.end_line, w.runs_code.end_column)]
    for e in project.graph.into.get(path, ()):
        if e.kind == "spawns":
            found += [w for w in project.at("js-worker", e.src) if w.span == e.span]
    return found
