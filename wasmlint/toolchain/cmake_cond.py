"""CMake ``if()`` conditions as cmake-commands(7) evaluates them, in three values.

Precedence: parentheses, unary tests (``DEFINED``, ``EXISTS``, ``TARGET`` …), binary
tests (``STREQUAL``, ``MATCHES``, ``VERSION_LESS`` …), ``NOT``, ``AND``, ``OR``. A
bare unquoted word is a constant (``ON``, ``0``, ``*-NOTFOUND`` …) or a variable that is
true when defined and not a false constant; a quoted word is true only when it is a
true constant (policy CMP0054). Operands of binary tests are variable names when a
variable of that name is defined.

The result is ``True``/``False``/``None`` (unknown: the file system, the environment,
a value wasmlint cannot compute), and whether it depends on a variable the user may
set on the cmake command line (an option, a cache entry, an undefined variable): such
a condition is a build variant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .pstr import UNKNOWN, PStr

TRUE_WORDS = frozenset(("1", "ON", "YES", "TRUE", "Y"))
FALSE_WORDS = frozenset(("0", "OFF", "NO", "FALSE", "N", "IGNORE", "NOTFOUND", ""))


def false_value(text: str) -> bool:
    """Whether ``if(NAME)`` is false for a variable holding ``text`` (``OFF``, ``0``, ``X-NOTFOUND``…)."""
    v = text.upper()
    return v in FALSE_WORDS or v.endswith("-NOTFOUND")


def _never_false(text: str) -> bool:
    """Whether a value with parts not known (``-s TOTAL_MEMORY=${N};--no-heap-copy``) is true
    whatever they hold: a false constant is the whole value (``OFF``, ``0``, ``""``) or
    ends in ``-NOTFOUND``, so known text after the last unknown part that ends no false
    constant and no ``-NOTFOUND`` rules them all out (urho3d's ``if (LINK_FLAGS)`` over
    flags carrying a ``math(EXPR)`` result)."""
    tail = text.rsplit(UNKNOWN, 1)[1].upper()
    return bool(tail) and not tail.endswith("-NOTFOUND") and not "-NOTFOUND".endswith(tail) \
        and not any(w.endswith(tail) for w in FALSE_WORDS)


UNARY = frozenset(("EXISTS", "COMMAND", "DEFINED", "TARGET", "POLICY", "TEST", "IS_DIRECTORY",
                   "IS_SYMLINK", "IS_ABSOLUTE", "IS_READABLE", "IS_WRITABLE", "IS_EXECUTABLE"))
BINARY = frozenset((
    "EQUAL", "LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL", "STREQUAL", "STRLESS", "STRLESS_EQUAL",
    "STRGREATER", "STRGREATER_EQUAL", "VERSION_EQUAL", "VERSION_LESS", "VERSION_LESS_EQUAL",
    "VERSION_GREATER", "VERSION_GREATER_EQUAL", "PATH_EQUAL", "MATCHES", "IN_LIST", "IS_NEWER_THAN",
))

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_./+-]*")

# name -> (value or None when undefined, whether the user may set it)
Lookup = Callable[[str], "tuple[PStr | None, bool]"]


@dataclass
class Truth:
    value: bool | None
    free: bool = False       # depends on something the user sets when configuring


@dataclass
class _Word:
    text: PStr
    quoted: bool


def evaluate(args: list[tuple[PStr, bool]], lookup: Lookup, *, targets: set[str] = frozenset(),
             commands: set[str] = frozenset()) -> Truth:
    ev = _Eval(lookup, targets, commands)
    try:
        items = ev.group([_Word(t, q) for t, q in args])
        result = ev.reduce(items)
    except _Bad:
        return Truth(None, ev.free)
    return result


class _Bad(Exception):
    pass


class _Eval:
    def __init__(self, lookup: Lookup, targets: set[str], commands: set[str]):
        self.lookup, self.targets, self.commands = lookup, targets, commands
        self.free = False

    def group(self, words: list[_Word]) -> list:
        """Nested lists for parentheses."""
        stack: list[list] = [[]]
        for w in words:
            if not w.quoted and w.text.text == "(":
                stack.append([])
            elif not w.quoted and w.text.text == ")":
                if len(stack) == 1:
                    raise _Bad
                inner = stack.pop()
                stack[-1].append(inner)
            else:
                stack[-1].append(w)
        if len(stack) != 1:
            raise _Bad
        return stack[0]

    def reduce(self, items: list) -> Truth:
        items = [self.reduce(x) if isinstance(x, list) else x for x in items]
        out: list = []
        k = 0
        while k < len(items):       # unary tests
            x = items[k]
            if _is_op(x, UNARY) and k + 1 < len(items) and isinstance(items[k + 1], _Word):
                out.append(self.unary(x.text.text, items[k + 1]))
                k += 2
            else:
                out.append(x)
                k += 1
        items, out, k = out, [], 0
        while k < len(items):       # binary tests
            x = items[k]
            if (k + 2 < len(items) and _is_op(items[k + 1], BINARY) and isinstance(x, _Word)
                    and isinstance(items[k + 2], _Word)):
                out.append(self.binary(items[k + 1].text.text, x, items[k + 2]))
                k += 3
            else:
                out.append(x)
                k += 1
        items = out
        k = len(items) - 1
        while k >= 0:               # NOT, right to left
            if _is_op(items[k], ("NOT",)) and k + 1 < len(items):
                t = self.truth(items[k + 1])
                items[k:k + 2] = [Truth(None if t.value is None else not t.value, t.free)]
            k -= 1
        for op in ("AND", "OR"):
            k = 1
            while k < len(items) - 1:
                if _is_op(items[k], (op,)):
                    a, b = self.truth(items[k - 1]), self.truth(items[k + 1])
                    items[k - 1:k + 2] = [_combine(op, a, b)]
                else:
                    k += 1
        if len(items) != 1:
            raise _Bad
        return self.truth(items[0])

    # operands -------------------------------------------------------------
    def truth(self, x) -> Truth:
        if isinstance(x, Truth):
            return x
        text = x.text.text
        if not x.text.known:
            return Truth(None)
        up = text.upper()
        if up in TRUE_WORDS or _nonzero_number(text):
            return Truth(True)
        if up in FALSE_WORDS or up.endswith("-NOTFOUND") or _number(text) is not None:
            return Truth(False)
        if x.quoted:
            return Truth(False)
        value, free = self.lookup(text)
        self.free = self.free or free
        if value is None:
            return Truth(False, free)
        if not value.known:
            return Truth(True if _never_false(value.text) else None, free)
        return Truth(not false_value(value.text), free)

    def value(self, x: _Word, left: bool) -> tuple[PStr, bool]:
        """An operand of a binary test: the variable's value when one of that name exists;
        and whether the user may set it. An undefined name on the right is the word itself
        (``CMAKE_SYSTEM_NAME STREQUAL Linux``: no one configures with ``-DLinux=…``); on the
        left it is a variable the user may set (``PLATFORM STREQUAL Web``)."""
        if not x.quoted and _NAME.fullmatch(x.text.text) and _number(x.text.text) is None:
            value, free = self.lookup(x.text.text)
            if value is not None or left:
                self.free = self.free or free
                return (value if value is not None else x.text), free
        return x.text, False

    def unary(self, op: str, x: _Word) -> Truth:
        name = x.text.text
        if not x.text.known:
            return Truth(None)
        if op == "DEFINED":
            if name.startswith(("ENV{", "CACHE{")):
                return Truth(None, True)
            value, free = self.lookup(name)
            self.free = self.free or free
            return Truth(value is not None, free)
        if op == "TARGET":
            return Truth(True) if name in self.targets else Truth(None)
        if op == "COMMAND":
            return Truth(True) if name.lower() in self.commands else Truth(None)
        return Truth(None)           # the file system, policies, tests: not known statically

    def binary(self, op: str, a: _Word, b: _Word) -> Truth:
        (left, free_a), (right, free_b) = self.value(a, True), self.value(b, False)
        truth = self._binary(op, left, right, b)
        return Truth(truth.value, truth.free or free_a or free_b)

    def _binary(self, op: str, left: PStr, right: PStr, b: _Word) -> Truth:
        if not (left.known and right.known):
            return Truth(None)
        x, y = left.text, right.text
        if op == "STREQUAL":
            return Truth(x == y)
        if op == "MATCHES":
            try:
                return Truth(re.search(y, x) is not None)
            except re.error:
                return Truth(None)
        if op in ("EQUAL", "LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL"):
            nx, ny = _number(x), _number(y)
            if nx is None or ny is None:
                return Truth(False)
            return Truth(_compare(op, nx, ny))
        if op.startswith("STR"):
            return Truth(_compare(op[3:], x, y))
        if op.startswith("VERSION_"):
            vx, vy = _version(x), _version(y)
            if vx is None or vy is None:
                return Truth(None)
            n = max(len(vx), len(vy))
            return Truth(_compare(op[8:], vx + (0,) * (n - len(vx)), vy + (0,) * (n - len(vy))))
        if op == "IN_LIST":
            value, free = self.lookup(b.text.text)
            self.free = self.free or free
            if value is None:
                return Truth(False, free)
            if not value.known:
                return Truth(None, free)
            return Truth(x in value.text.split(";"), free)
        return Truth(None)


def _is_op(x, ops) -> bool:
    return isinstance(x, _Word) and not x.quoted and x.text.text in ops


def _combine(op: str, a: Truth, b: Truth) -> Truth:
    """Three-valued AND/OR. An operand that decides the result whatever the user sets
    (``NOT ENABLE_WASM AND CMAKE_SYSTEM_NAME STREQUAL Linux`` under emcmake) makes it no variant."""
    free = a.free or b.free
    decides = False if op == "AND" else True
    if any(t.value is decides and not t.free for t in (a, b)):
        return Truth(decides)
    if a.value is decides or b.value is decides:
        return Truth(decides, free)
    return Truth(None if None in (a.value, b.value) else not decides, free)


def _compare(op: str, x, y) -> bool:
    return {"EQUAL": x == y, "LESS": x < y, "LESS_EQUAL": x <= y, "GREATER": x > y,
            "GREATER_EQUAL": x >= y}.get(op, False)


def _number(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def _nonzero_number(text: str) -> bool:
    n = _number(text)
    return n is not None and n != 0


def _version(text: str) -> tuple[int, ...] | None:
    parts = text.strip().split(".")
    if not text.strip() or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)

