"""Code that runs only where a built-in is missing: a polyfill's fallback.

``Atomics.waitAsync || (() => { const w = new Worker(…); … })()`` builds its
worker only on an engine without ``Atomics.waitAsync`` (Firefox); node has had it
since node 16, so on node the fallback never runs. The fallback is the right
operand of ``A || …`` / ``A ?? …`` (or of ``!A && …``), the ``else`` of ``if (A)`` and
of ``A ? … : …``, the body of ``if (!A)`` / ``if (typeof A === 'undefined')``;
a function defined there exists only there, so the walk goes through functions.
"""
from __future__ import annotations

from .parse import ancestors, operator, path_of, string_value, unwrap

# built-ins node has (as globals) from this major on
NODE_BUILTINS = {"Atomics.waitAsync": 16, "structuredClone": 17, "fetch": 18, "AbortController": 15,
                 "queueMicrotask": 11}
_GLOBAL_PREFIXES = ("globalThis.", "window.", "self.", "global.")


def missing_builtin(node) -> str | None:
    """The built-in whose absence the code around ``node`` is the fallback for, else None."""
    child = node
    for a in ancestors(node):
        if a.type == "program":
            return None
        found = _fallback_of(a, child)
        if found is not None:
            return found
        child = a
    return None


def _fallback_of(a, child) -> str | None:
    if a.type == "binary_expression":
        left, right = a.child_by_field_name("left"), a.child_by_field_name("right")
        if right is None or right.id != child.id:
            return None
        op = operator(a)
        tested = _test(left)
        if tested is None:
            return None
        name, present = tested
        if op in ("||", "??") and present or op == "&&" and not present:
            return name
        return None
    if a.type in ("if_statement", "ternary_expression"):
        tested = _test(a.child_by_field_name("condition"))
        if tested is None:
            return None
        name, present = tested
        branch = a.child_by_field_name("alternative" if present else "consequence")
        return name if branch is not None and branch.id == child.id else None
    return None


def _test(cond) -> tuple[str, bool] | None:
    """``(built-in, True)`` for a test that it is present, ``(built-in, False)`` that it is missing."""
    cond = unwrap(cond)
    if cond is None:
        return None
    if cond.type == "unary_expression" and operator(cond) == "!":
        inner = _test(cond.child_by_field_name("argument"))
        return (inner[0], not inner[1]) if inner else None
    if cond.type == "binary_expression" and operator(cond) in ("===", "!==", "==", "!="):
        left, right = unwrap(cond.child_by_field_name("left")), unwrap(cond.child_by_field_name("right"))
        if left is not None and left.type == "unary_expression" and operator(left) == "typeof":
            name = _builtin(left.child_by_field_name("argument"))
            kind = string_value(right)
            if name is None or kind not in ("undefined", "function"):
                return None
            equal = operator(cond) in ("===", "==")
            return name, equal == (kind == "function")
        name = _builtin(left)
        nothing = right is not None and (right.type in ("undefined", "null") or right.text == b"undefined")
        return (name, operator(cond) in ("!==", "!=")) if name is not None and nothing else None
    name = _builtin(cond)
    return (name, True) if name is not None else None


def _builtin(node) -> str | None:
    path = path_of(node) or ""
    for prefix in _GLOBAL_PREFIXES:
        path = path.removeprefix(prefix)
    return path if path in NODE_BUILTINS else None
