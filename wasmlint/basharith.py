"""Shell arithmetic ``$(( … ))`` over what is known, as bash computes it: integers of
64 bits, C operators and precedence (tree-sitter-bash gives the tree), names read as
variables. Anything else (assignments, ``++``, a variable that is not a number, a
division by zero) makes the whole expansion unknown: None.
"""
from __future__ import annotations

from typing import Callable

MASK = (1 << 64) - 1
MAX_NODES = 256     # an expression larger than this is not evaluated


def _wrap(v: int) -> int:
    v &= MASK
    return v - (1 << 64) if v >> 63 else v


def _div(a: int, b: int) -> int:
    q = abs(a) // abs(b)             # C division truncates toward zero
    return q if (a >= 0) == (b >= 0) else -q


_BINARY: dict[str, Callable[[int, int], int | None]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: _div(a, b) if b else None,
    "%": lambda a, b: a - _div(a, b) * b if b else None,
    "**": lambda a, b: a ** b if 0 <= b < 64 else None,
    "<<": lambda a, b: a << (b & 63), ">>": lambda a, b: a >> (b & 63),
    "&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b,
    "<": lambda a, b: int(a < b), ">": lambda a, b: int(a > b), "<=": lambda a, b: int(a <= b),
    ">=": lambda a, b: int(a >= b), "==": lambda a, b: int(a == b), "!=": lambda a, b: int(a != b),
    "&&": lambda a, b: int(bool(a) and bool(b)), "||": lambda a, b: int(bool(a) or bool(b)),
}


def number(text: str) -> int | None:
    """A bash integer constant: decimal, 0x hex, leading-0 octal, BASE#digits."""
    t = text.strip()
    try:
        if "#" in t:
            base, digits = t.split("#", 1)
            return int(digits, int(base))
        if t.lower().startswith(("0x", "-0x")):
            return int(t, 16)
        if len(t.lstrip("-")) > 1 and t.lstrip("-").startswith("0"):
            return int(t, 8)
        return int(t, 10)
    except ValueError:
        return None


def evaluate(node, variable: Callable[[str], str | None]) -> int | None:
    """The value of an ``arithmetic_expansion`` node; ``variable(name)`` is a name's known text."""
    budget = [MAX_NODES]

    def ev(n) -> int | None:
        budget[0] -= 1
        if budget[0] < 0:
            return None
        t = n.type
        kids = n.named_children
        if t in ("arithmetic_expansion", "parenthesized_expression"):
            return ev(kids[0]) if len(kids) == 1 else None
        if t == "number":
            return number(n.text.decode(errors="surrogateescape"))
        if t in ("variable_name", "simple_expansion", "expansion"):
            name = n.text.decode(errors="surrogateescape").lstrip("$").strip("{}")
            if number(name) is not None:       # tree-sitter reads `-7` in `$((-7%3))` as a name
                return number(name)
            text = variable(name) if name.isidentifier() else None
            return number(text) if text is not None and text.strip() else (0 if text == "" else None)
        if t == "binary_expression":
            op = n.child_by_field_name("operator")
            op_text = op.type if op is not None else ""
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            if left is None or right is None or op_text not in _BINARY:
                return None
            a, b = ev(left), ev(right)
            if a is None or b is None:
                return None
            v = _BINARY[op_text](a, b)
            return None if v is None else _wrap(v)
        if t == "unary_expression":
            op = n.children[0].type
            v = ev(kids[0]) if kids else None
            if v is None:
                return None
            return {"-": -v, "+": v, "~": ~v, "!": int(not v)}.get(op)
        if t == "ternary_expression":
            c = ev(n.child_by_field_name("condition"))
            if c is None:
                return None
            return ev(n.child_by_field_name("consequence") if c else n.child_by_field_name("alternative"))
        return None

    return ev(node)
