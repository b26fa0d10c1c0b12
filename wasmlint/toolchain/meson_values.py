"""Meson values with positions: the expression half of ``wasmlint.toolchain.meson``.

Strings are ``PStr`` (every character knows where it was written), arrays are
lists, dicts are dicts, ``true``/``false``/numbers are Python values, and what
cannot be known statically (``get_option()``, a compiler check, an f-string
hole) is ``None`` — or, inside a string, the ``UNKNOWN`` character.
"""
from __future__ import annotations

import re

from lark import Token, Tree

from .pstr import UNKNOWN, PStr

_ESC = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
           "\\": "\\", "'": "'", "\n": ""}
_FORMAT_HOLE = re.compile(r"@(\d+)@")


def string(tok: Token) -> PStr:
    """A ``'…'`` literal, escapes decoded (each decoded character spans its escape)."""
    body, start = str(tok)[1:-1], tok.start_pos + 1
    parts, pos = [], 0
    for m in _ESC.finditer(body):
        parts.append(PStr.source(body[pos:m.start()], start + pos))
        e = m.group(1)
        if e in _SIMPLE:
            ch = _SIMPLE[e]
        elif len(e) > 1 and e[0] in "xuU":
            ch = chr(int(e[1:], 16)) if int(e[1:], 16) <= 0x10FFFF else UNKNOWN
        elif e[0] in "01234567":
            ch = chr(int(e, 8))
        else:   # \N{name}, or an unknown escape Meson keeps as written
            ch = UNKNOWN if e[0] == "N" and len(e) > 1 else "\\" + e
        parts.append(PStr.spread(ch, start + m.start(), start + m.end()))
        pos = m.end()
    parts.append(PStr.source(body[pos:], start + pos))
    return PStr.join(parts)


def mstring(tok: Token) -> PStr:
    """A ``'''…'''`` literal: no escapes."""
    return PStr.source(str(tok)[3:-3], tok.start_pos + 3)


def fstring(tok: Token, lookup) -> PStr:
    """``f'…@var@…'``: holes filled from known string variables, else unknown."""
    lit = string(Token("STRING", str(tok)[1:], start_pos=tok.start_pos + 1))
    out, pos, text = [], 0, lit.text
    for m in re.finditer(r"@([A-Za-z_][A-Za-z0-9_]*)@", text):
        out.append(lit[pos:m.start()])
        value = lookup(m.group(1))
        out.append(value if isinstance(value, PStr) else PStr.synth(UNKNOWN))
        pos = m.end()
    out.append(lit[pos:])
    return PStr.join(out)


def format_string(template: PStr, args: list) -> PStr:
    """``'…@0@…'.format(a, b)``."""
    out, pos = [], 0
    for m in _FORMAT_HOLE.finditer(template.text):
        out.append(template[pos:m.start()])
        k = int(m.group(1))
        value = args[k] if k < len(args) else None
        out.append(value if isinstance(value, PStr) else
                   PStr.synth(str(value).lower() if isinstance(value, (bool, int)) else UNKNOWN))
        pos = m.end()
    out.append(template[pos:])
    return PStr.join(out)


def flatten(value) -> list:
    """Meson flattens nested arrays in arguments."""
    if isinstance(value, list):
        return [x for v in value for x in flatten(v)]
    return [value]


def add(a, b):
    if isinstance(a, list):
        return a + (b if isinstance(b, list) else [b])
    if isinstance(a, PStr) and isinstance(b, PStr):
        return a + b
    if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool):
        return a + b
    if isinstance(a, dict) and isinstance(b, dict):
        return {**a, **b}
    return None


def truth(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, PStr):
        return None if not value.known else bool(value.text)
    return None


def compare(op: str, a, b) -> bool | None:
    ka = a.text if isinstance(a, PStr) else a
    kb = b.text if isinstance(b, PStr) else b
    if ka is None or kb is None or (isinstance(ka, str) and UNKNOWN in ka) or (isinstance(kb, str) and UNKNOWN in kb):
        return None
    if op in ("in", "not in"):
        if not isinstance(kb, list) or any(not isinstance(x, PStr) or not x.known for x in kb):
            return None
        found = ka in [x.text for x in kb]
        return found if op == "in" else not found
    try:
        return {"==": ka == kb, "!=": ka != kb, "<": ka < kb, ">": ka > kb, "<=": ka <= kb, ">=": ka >= kb}[op]
    except TypeError:
        return None


def is_tree(node, data: str) -> bool:
    return isinstance(node, Tree) and node.data == data
