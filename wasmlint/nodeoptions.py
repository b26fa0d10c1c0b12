"""Split a NODE_OPTIONS value the way node does (node src/node_options.cc,
ParseNodeOptionsEnvVar): arguments are separated by spaces only (a tab is part of an
argument); a double quote anywhere in an argument toggles quoting; inside quotes a
backslash takes the next character literally; outside quotes a backslash is an
ordinary character.

``split(value)`` takes the value as a ``MappedText`` (already decoded from its
surface: shell quoting, YAML, JSON) and returns one ``MappedText`` per argument,
each still mapped to the file, plus node's own error text when node would
refuse the value ("invalid value for NODE_OPTIONS (unterminated string)").
"""
from __future__ import annotations

import re
from functools import lru_cache

from .textpos import MappedText, TextBuilder

# an argument, or the spaces between two: one regular expression read left to right (a
# general parser's set-up per value cost as much as the rest of a launch)
_TOKEN = re.compile(r'(?P<arg>(?:[^ "]|"(?:[^"\\]|\\.)*")+)| +', re.S)


def split(value: MappedText) -> tuple[list[MappedText], str | None]:
    args = _arguments(value.value)
    if args is None:
        return _recover(value)
    return [a for a in (_decode(value, i, j) for i, j in args) if a is not None], None


@lru_cache(maxsize=4096)
def _arguments(text: str) -> tuple[tuple[int, int], ...] | None:
    """Where each argument of a value is (a value repeated across launches is read once),
    or None when node refuses the value (a quote never closed)."""
    out, pos, match = [], 0, _TOKEN.match
    while pos < len(text):
        m = match(text, pos)
        if m is None:
            return None
        if m.lastgroup == "arg":
            out.append((pos, m.end()))
        pos = m.end()
    return tuple(out)


def _decode(value: MappedText, i: int, j: int) -> MappedText | None:
    """One argument token: quotes removed, ``\\x`` inside quotes → ``x``. An argument
    made only of quotes (``""``) is no argument, as in node."""
    if '"' not in value.value[i:j]:
        return value.slice(i, j)       # nothing to remove: the characters as they are
    b = TextBuilder()
    quoted = False
    k = i
    text = value.value
    while k < j:
        c = text[k]
        if c == '"':
            quoted = not quoted
            k += 1
            continue
        if c == "\\" and quoted:
            s, _ = value.source_range(k, k + 1)
            b.add(text[k + 1], s, value.source_range(k + 1, k + 2)[1])
            k += 2
            continue
        b.add_mapped(value.slice(k, k + 1))
        k += 1
    if not b.chars:
        return None
    s, e = value.source_range(i, j)
    return b.build(s, e, value.escape)


def _recover(value: MappedText) -> tuple[list[MappedText], str]:
    """An unterminated string: node reports it and keeps the arguments before it."""
    text = value.value
    quoted, start, args = False, None, []
    for k, c in enumerate(text):
        if c == " " and not quoted:
            if start is not None:
                args.append((start, k))
                start = None
            continue
        if start is None:
            start = k
        if c == '"' and (k == 0 or text[k - 1] != "\\" or not quoted):
            quoted = not quoted
    msg = ("invalid value for NODE_OPTIONS (invalid escape)" if text.endswith("\\")
           else "invalid value for NODE_OPTIONS (unterminated string)")
    out = [a for a in (_decode(value, i, j) for i, j in args) if a is not None]
    return out, msg
