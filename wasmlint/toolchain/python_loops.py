"""Loops a Python build script runs over constants, read element by element.

``for k, v in SETTINGS.items(): args.append(f"{k}={v}")`` runs its body once per item
of the dict, in order (a dict keeps the order its keys were written in, Python 3.7+),
with ``k`` and ``v`` bound to that item. When the loop walks a literal the script does
not change (a list, tuple or dict, a name holding one, a dict's ``.items()``,
``.keys()`` or ``.values()``) and its body only adds to the list (``append``,
``extend``, ``+=``), names values (``flag = f"-s{k}"``) and chooses between additions
with ``if`` tests the bound values settle (``v is True``, ``k == "X"``, ``not v``), the
additions are read element by element. Any other loop leaves its additions one
unknown element (``Values.items``).
"""
from __future__ import annotations

import ast

from .pstr import UNKNOWN_TEXT, PStr

MAX_ELEMENTS = 256
_LOOPS = (ast.For, ast.AsyncFor)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_ADDS = ("append", "extend")


def loop_around(script, stmt, use):
    """The outermost ``for`` around ``stmt`` (in its function) that does not hold ``use``."""
    found = None
    for a in script.ancestors(stmt):
        if isinstance(a, _SCOPES):
            break
        if isinstance(a, _LOOPS) and not (script.start(a) <= script.start(use) < script.end(a)):
            found = a
    return found


def inside(script, loop, stmt) -> bool:
    return script.start(loop) <= script.start(stmt) < script.end(loop)


def unrolled(values, loop, name: str, depth: int) -> list[PStr] | None:
    """What ``loop`` adds to the list ``name`` holds, element by element; None when the
    loop is not one read so."""
    if loop.orelse:
        return None
    elements = _elements(values, loop.iter, depth)
    if elements is None:
        return None
    out: list[PStr] = []
    for element in elements:
        binding: dict = {}
        if not _bind(loop.target, loop.target, element, binding):
            return None
        saved = values.loop_bound
        values.loop_bound = {**saved, **binding}
        try:
            more = _run(values, loop.body, name, depth)
        finally:
            values.loop_bound = saved
        if more is None:
            return None
        out += more
    return out


def _literal(values, node, depth: int):
    """The list, tuple, set or dict literal a node is or a name holds, unchanged since."""
    if isinstance(node, ast.Name):
        w, value = values.reaching_value(node)
        if w is None or values.s.changes_of(node.id, node, w.at) != []:
            return None                     # changed in place since (None: maybe, in a loop)
        node = value
    return node if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)) else None


def _elements(values, node, depth: int) -> list | None:
    how = None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args \
            and not node.keywords and node.func.attr in ("items", "keys", "values"):
        how, node = node.func.attr, node.func.value
    lit = _literal(values, node, depth)
    if lit is None:
        return None
    if isinstance(lit, ast.Dict):
        if any(k is None for k in lit.keys) or len(lit.keys) > MAX_ELEMENTS:
            return None                     # `**other`: keys not written here
        if how == "items":
            return [ast.Tuple(elts=[k, v], ctx=ast.Load()) for k, v in zip(lit.keys, lit.values)]
        return list(lit.values if how == "values" else lit.keys)
    if how is not None or isinstance(lit, ast.Set) or len(lit.elts) > MAX_ELEMENTS \
            or any(isinstance(e, ast.Starred) for e in lit.elts):
        return None                         # a set's order is not the written one
    return list(lit.elts)


def _bind(holder, target, element, out: dict) -> bool:
    """The names ``target`` (part of the loop's target ``holder``) takes from ``element``,
    keyed as ``Values.reaching_value`` looks them up."""
    if isinstance(target, ast.Name):
        out[(id(holder), target.id)] = element
        return True
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(element, (ast.Tuple, ast.List)) \
            and len(target.elts) == len(element.elts) and not any(isinstance(e, ast.Starred) for e in target.elts):
        return all(_bind(holder, t, e, out) for t, e in zip(target.elts, element.elts))
    return False


def _run(values, body: list, name: str, depth: int) -> list[PStr] | None:
    out: list[PStr] = []
    for stmt in body:
        if isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            func = call.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == name:
                if func.attr not in _ADDS or len(call.args) != 1 or call.keywords:
                    return None
                more = [values.text(call.args[0], depth)] if func.attr == "append" else \
                    values.items(call.args[0], depth)
                out += more if more is not None else [UNKNOWN_TEXT]
            continue                        # print(…), log(…): nothing added
        if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == name \
                and isinstance(stmt.op, ast.Add):
            more = values.items(stmt.value, depth)
            out += more if more is not None else [UNKNOWN_TEXT]
            continue
        if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) and t.id != name for t in stmt.targets):
            continue                        # a name its uses read through `reaching`
        if isinstance(stmt, ast.If):
            holds = truth(values, stmt.test, depth)
            if holds is None:
                return None
            more = _run(values, stmt.body if holds else stmt.orelse, name, depth)
            if more is None:
                return None
            out += more
            continue
        return None
    return out


_NOTHING = object()


def _constant(values, node, depth: int):
    if isinstance(node, ast.Name):
        _w, node = values.reaching_value(node)
    if isinstance(node, ast.Constant):
        return node.value
    return _NOTHING


def truth(values, test, depth: int) -> bool | None:
    """Whether an ``if`` test holds, when the values it reads are constants."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = truth(values, test.operand, depth)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        parts = [truth(values, v, depth) for v in test.values]
        want = isinstance(test.op, ast.Or)
        if want in parts:
            return want
        return None if None in parts else not want
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        a, b = _constant(values, test.left, depth), test.comparators[0]
        op = type(test.ops[0])
        if a is _NOTHING:
            return None
        if op in (ast.In, ast.NotIn):
            lit = _literal(values, b, depth)
            if lit is None or isinstance(lit, ast.Dict):
                return None
            items = [_constant(values, e, depth) for e in lit.elts]
            if _NOTHING in items:
                return None
            return (a in items) == (op is ast.In)
        b = _constant(values, b, depth)
        if b is _NOTHING:
            return None
        if op in (ast.Is, ast.IsNot):
            if not any(x is None or isinstance(x, bool) for x in (a, b)):
                return None                 # identity of strings and numbers: not a language rule
            return (type(a) is type(b) and a == b) == (op is ast.Is)
        if op in (ast.Eq, ast.NotEq):
            return (a == b) == (op is ast.Eq)
        return None
    value = _constant(values, test, depth)
    return None if value is _NOTHING else bool(value)
