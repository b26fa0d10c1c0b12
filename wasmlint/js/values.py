"""A small constant evaluator for what loaders and glue really contain.

Numbers (``0x``, ``1e6``, ``1_000``, BigInt ``1n``), strings without
substitutions, ``+ - * / % ** << >> >>> & | ^``, ``!0``, ``Math.ceil/floor/
round/trunc/min/max/pow``, ``BigInt()``/``Number()``, names with one reaching
write (``bindings``), property reads of object literals, and
``Module['INITIAL_MEMORY'] || 16777216`` defaults (an unknown left side takes
the default). Anything else is ``UNKNOWN``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .bindings import Bindings
from .parse import Doc, call_parts, name_of, object_pairs, path_of, string_value, unwrap


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN = _Unknown()
MAX_DEPTH = 40


class Big(int):
    """A BigInt value (``1n``, ``BigInt(x)``)."""


@dataclass(frozen=True)
class ObjectRef:
    node: object  # an object literal


_MATH = {
    "Math.ceil": math.ceil, "Math.floor": math.floor, "Math.trunc": math.trunc,
    "Math.round": lambda x: math.floor(x + 0.5), "Math.pow": pow, "Math.min": min, "Math.max": max,
    "Math.abs": abs,
}
_CONSTANTS = {"Infinity": math.inf, "undefined": None, "NaN": math.nan}


def _num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _norm(v):
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 63:
        return int(v)
    return v


def _int32(v) -> int:
    v = int(v) & 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


def number_literal(text: str):
    t = text.replace("_", "").lower()
    big = t.endswith("n")
    if big:
        t = t[:-1]
    try:
        if t.startswith("0x"):
            v = int(t, 16)
        elif t.startswith("0o"):
            v = int(t, 8)
        elif t.startswith("0b"):
            v = int(t, 2)
        elif len(t) > 1 and t[0] == "0" and t.isdigit():
            v = int(t, 8) if all(c in "01234567" for c in t) else int(t)
        else:
            v = _norm(float(t)) if any(c in t for c in ".e") else int(t)
    except ValueError:
        return UNKNOWN
    return Big(v) if big else v


class Evaluator:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.bindings = Bindings(doc)
        self._active: set[int] = set()

    # ------------------------------------------------------------------ API
    def value(self, node, depth: int = 0):
        node = unwrap(node)
        if node is None or depth > MAX_DEPTH or node.id in self._active:
            return UNKNOWN
        self._active.add(node.id)
        try:
            return self._eval(node, depth + 1)
        finally:
            self._active.discard(node.id)

    def choices(self, node, limit: int = 16) -> list:
        """The values ``node`` can take: both branches of a conditional whose condition is not
        known (``process.env.BIG ? 512 : 256``), else its one value (maybe ``UNKNOWN``)."""
        node = self.origin(node)
        if node is not None and node.type == "ternary_expression" and self.value(node) is UNKNOWN:
            out = self.choices(node.child_by_field_name("consequence"), limit)
            out += self.choices(node.child_by_field_name("alternative"), limit)
            return out if len(out) <= limit else [UNKNOWN]
        return [self.value(node)]

    def number(self, node):
        v = self.value(node)
        return v if _num(v) else UNKNOWN

    def string(self, node):
        v = self.value(node)
        return v if isinstance(v, str) else UNKNOWN

    def origin(self, node, depth: int = 0):
        """The expression a name stands for (follows one reaching write), else the node."""
        node = unwrap(node)
        while node is not None and node.type == "identifier" and depth < MAX_DEPTH:
            w = self.bindings.reaching(node)
            if w is None or w.value is None:
                return node
            node = unwrap(w.value)
            depth += 1
        return node

    # ------------------------------------------------------------------ cases
    def _eval(self, node, depth: int):
        t = node.type
        if t == "number":
            return number_literal(node.text.decode("utf-8", "replace"))
        if t in ("string", "template_string"):
            v = string_value(node)
            return UNKNOWN if v is None else v
        if t == "true":
            return True
        if t == "false":
            return False
        if t == "null":
            return None
        if t == "object":
            return ObjectRef(node)
        if t == "identifier":
            return self._identifier(node, depth)
        if t == "unary_expression":
            return self._unary(node, depth)
        if t == "binary_expression":
            return self._binary(node, depth)
        if t in ("member_expression", "subscript_expression"):
            return self._member(node, depth)
        if t in ("call_expression",):
            return self._call(node, depth)
        if t == "ternary_expression":
            a = self.value(node.child_by_field_name("consequence"), depth)
            b = self.value(node.child_by_field_name("alternative"), depth)
            if a is not UNKNOWN and a == b:
                return a
            cond = self.value(node.child_by_field_name("condition"), depth)
            return UNKNOWN if cond is UNKNOWN else (a if cond else b)
        if t == "sequence_expression":
            return self.value(node.named_children[-1], depth)
        if t == "assignment_expression":
            return self.value(node.child_by_field_name("right"), depth)
        if t == "await_expression":
            return UNKNOWN
        return UNKNOWN

    def _identifier(self, node, depth: int):
        name = node.text.decode("utf-8", "replace")
        w = self.bindings.reaching(node)
        if w is None:
            if name in _CONSTANTS and not self.bindings.writes(name):
                return _CONSTANTS[name]
            return UNKNOWN
        return self.value(w.value, depth)

    def _unary(self, node, depth: int):
        op = node.child_by_field_name("operator").type
        v = self.value(node.child_by_field_name("argument"), depth)
        if op == "!":
            return UNKNOWN if v is UNKNOWN else not v
        if not _num(v):
            return UNKNOWN
        return {"-": lambda x: -x, "+": lambda x: x, "~": lambda x: ~_int32(x)}.get(op, lambda x: UNKNOWN)(v)

    def _binary(self, node, depth: int):
        op = node.child_by_field_name("operator").type
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        a = self.value(left, depth)
        if op == "||":  # an unknown left side is `Module['X'] || N`: take the default
            return a if a is not UNKNOWN and a else self.value(right, depth)
        if op == "??":
            return a if a is not UNKNOWN and a is not None else self.value(right, depth)
        if op == "&&":
            return UNKNOWN if a is UNKNOWN else (self.value(right, depth) if a else a)
        b = self.value(right, depth)
        if a is UNKNOWN or b is UNKNOWN:
            return UNKNOWN
        if op == "+" and (isinstance(a, str) or isinstance(b, str)):
            return _js_str(a) + _js_str(b) if not (isinstance(a, ObjectRef) or isinstance(b, ObjectRef)) else UNKNOWN
        if not (_num(a) and _num(b)):
            return UNKNOWN
        return _arith(op, a, b)

    def _member(self, node, depth: int):
        key = name_of(node)
        if key is None:
            idx = node.child_by_field_name("index")
            v = self.value(idx, depth) if idx is not None else UNKNOWN
            key = str(_norm(v)) if _num(v) or isinstance(v, str) else None
        if key is None:
            return UNKNOWN
        base = self.value(node.child_by_field_name("object"), depth)
        if isinstance(base, ObjectRef):
            pair = object_pairs(base.node).get(key)
            return self.value(pair[1], depth) if pair else UNKNOWN
        if isinstance(base, str) and key == "length":
            return len(base)
        return UNKNOWN

    def _call(self, node, depth: int):
        callee, args = call_parts(node)
        name = path_of(callee)
        if name in _MATH and args:
            vals = [self.value(a, depth) for a in args]
            if not all(_num(v) for v in vals):
                return UNKNOWN
            try:
                return _norm(_MATH[name](*vals))
            except (ValueError, OverflowError, TypeError):
                return UNKNOWN
        if name in ("BigInt", "Number", "parseInt") and len(args) >= 1:
            v = self.value(args[0], depth)
            if isinstance(v, str) and name != "BigInt":
                v = number_literal(v.strip()) if v.strip() else UNKNOWN
            if not _num(v) or (isinstance(v, float) and not v.is_integer() and name == "BigInt"):
                return UNKNOWN
            return Big(int(v)) if name == "BigInt" else (int(v) if name == "parseInt" else _norm(v))
        return UNKNOWN


def _js_str(v) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    return str(_norm(v)) if _num(v) else str(v)


def _arith(op: str, a, b):
    big = isinstance(a, Big) and isinstance(b, Big)
    try:
        if op == "+":
            r = a + b
        elif op == "-":
            r = a - b
        elif op == "*":
            r = a * b
        elif op == "/":
            r = (a // b) if big else (_norm(a / b) if b else UNKNOWN)
        elif op == "%":
            r = math.fmod(a, b) if b else UNKNOWN
        elif op == "**":
            r = a ** b
        elif op == "<<":
            r = (a << b) if big else _int32(_int32(a) << (int(b) & 31))
        elif op == ">>":
            r = (a >> b) if big else _int32(a) >> (int(b) & 31)
        elif op == ">>>":
            r = (int(a) & 0xFFFFFFFF) >> (int(b) & 31)
        elif op == "&":
            r = _int32(a) & _int32(b)
        elif op == "|":
            r = _int32(a) | _int32(b)
        elif op == "^":
            r = _int32(a) ^ _int32(b)
        else:
            return UNKNOWN
    except (OverflowError, ZeroDivisionError, ValueError, TypeError):
        return UNKNOWN
    if r is UNKNOWN:
        return r
    r = _norm(r)
    return Big(r) if big and isinstance(r, int) else r
