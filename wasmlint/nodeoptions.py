"""Split a NODE_OPTIONS value the way node does (grammar: grammars/node_options.lark).

``split(value)`` takes the value as a ``MappedText`` (already decoded from its
surface: shell quoting, YAML, JSON) and returns one ``MappedText`` per argument,
each still mapped to the file, plus node's own error text when node would
refuse the value ("invalid value for NODE_OPTIONS (unterminated string)").
"""
from __future__ import annotations

from functools import lru_cache

from .textpos import MappedText, TextBuilder


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    from .resources import grammar_text
    return Lark(grammar_text("node_options.lark"), parser="lalr", lexer="contextual")


def split(value: MappedText) -> tuple[list[MappedText], str | None]:
    args = _arguments(value.value)
    if args is None:
        return _recover(value)
    return [a for a in (_decode(value, i, j) for i, j in args) if a is not None], None


@lru_cache(maxsize=4096)
def _arguments(text: str) -> tuple[tuple[int, int], ...] | None:
    """Where each argument of a value is (one parse; a value repeated across launches is
    parsed once), or None when node refuses the value."""
    from lark import Token
    from lark.exceptions import LarkError
    try:
        tree = _parser().parse(text)
    except LarkError:
        return None
    return tuple((t.start_pos, t.end_pos) for t in tree.children if isinstance(t, Token) and t.type == "ARG")


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
