"""Following a name from one module to another at rule time.

An import's ``imports`` edge in the project graph (resolved as node and
TypeScript resolve specifiers, ``graph.py``) leads to the module that exports
the name; re-exports (``export {a} from './x'``, ``module.exports = {a}`` of an
imported ``a``) are followed on. What a module exports is its ``js-module``
fact's table (``exports.export_table``); calls of imported functions are its
``calls``. A specifier that resolves to no file of the project stays
unresolved: nothing is guessed.
"""
from __future__ import annotations

MAX_HOPS = 8


def _module(project, path: str):
    return next(iter(project.at("js-module", path)), None)


def resolve(ctx, path: str, spec: str, name: str):
    """``(file, export name, table entry or None)`` of the module that defines ``name``
    imported from ``spec`` in ``path``, else None."""
    project = ctx.project
    if project is None:
        return None
    memo = project.memo.setdefault("crossfile.resolve", {})
    key = (path, spec, name)
    if key not in memo:
        memo[key] = _resolve(project, path, spec, name)
    return memo[key]


def _resolve(project, path: str, spec: str, name: str):
    for _ in range(MAX_HOPS):
        dst = next((e.dst for e in project.graph.out.get(path, ())
                    if e.kind == "imports" and e.spec == spec and e.dst), None)
        if dst is None:
            return None
        mod = _module(project, dst)
        entry = mod.exports.get(name) if mod is not None else None
        if entry is None or "from" not in entry:
            return dst, name, entry
        path, (spec, name) = dst, entry["from"]
    return None


def follow(ctx, path: str, cores: bool, count, imports) -> tuple[str, int | None]:
    """``("cores", None)``, ``("count", n)`` or ``("unknown", None)`` for a worker count
    computed in ``path`` from the core count, a constant and imported names."""
    if cores:
        return "cores", None
    whole = None
    for spec, name, is_whole in imports:
        found = resolve(ctx, path, spec, name)
        entry = found[2] if found else None
        if entry and entry.get("cores"):
            return "cores", None
        if is_whole and entry and "count" in entry:
            whole = entry["count"]
    if count is not None:
        return "count", count
    return ("count", whole) if whole is not None else ("unknown", None)


def _calls_of(ctx, path: str, export: str):
    """``(module path, call)`` for every recorded call, in any module, of ``export`` of ``path``."""
    if ctx.project is None:
        return
    for mod in ctx.project.of_kind("js-module"):
        for call in mod.calls:
            found = resolve(ctx, mod.span.path, call["spec"], call["name"])
            if found is not None and found[0] == path and found[1] == export:
                yield call


def constant_calls(ctx, path: str, export: str, index: int) -> list:
    """``(span, n)`` for each call of ``export`` of ``path`` that passes the constant ``n`` at ``index``."""
    return [(call["span"], dict(call["counts"])[index]) for call in _calls_of(ctx, path, export)
            if index in dict(call["counts"])]


def onerror_assignments(ctx, path: str, export: str) -> list:
    """Spans of ``….onerror = …`` given to the result of a call of ``export`` of ``path``."""
    return [call["onerror"] for call in _calls_of(ctx, path, export) if call["onerror"] is not None]


def worker_handlers(ctx, path: str, handed_to: list) -> list:
    """``(name, span, how)`` for each imported function a worker of ``path`` is handed to
    (``[spec, name, index]``) whose module describes what it does with that parameter
    (``exports._worker_params``: ``listener`` or ``other``); the others are left out."""
    from ..facts import Span
    out = []
    for spec, name, index in handed_to:
        found = resolve(ctx, path, spec, name)
        entry = found[2] if found else None
        how = (entry or {}).get("params", {}).get(str(index))
        if how is not None:
            line = entry.get("line", 1)
            out.append((name, Span(found[0], line, 1, line, 1), how))
    return out
