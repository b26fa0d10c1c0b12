"""A tokenizer-level scan of JavaScript: where the body blocks and the long string
and template literals are, without parsing.

The scan knows strings, template literals (and their ``${…}``), comments and
regular-expression literals. It walks the file once, a Python step per brace, slash,
backquote and string with an escape; code and short one-line strings without escapes
between them are crossed by one regular expression (``_skipper``), and other literals
with byte searches for their closing quote, so a 14 MB module embedded as a string
costs what finding its end costs. When it loses track (an unterminated literal,
unbalanced braces) it raises :class:`Unsure` and callers parse the file whole.
What it finds is checked against tree-sitter's own parse (``parse.Doc``).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_STRING_SLOW = {0x27: re.compile(rb"[^'\\\r\n]*(?:\\(?:\r\n|[\s\S])[^'\\\r\n]*)*'"),
                0x22: re.compile(rb'[^"\\\r\n]*(?:\\(?:\r\n|[\s\S])[^"\\\r\n]*)*"')}
_REGEX = re.compile(rb"(?:[^/\\\[\r\n]|\\.|\[(?:[^\]\\\r\n]|\\.)*\])+/[a-z]*")
_WORD_BEFORE = re.compile(rb"([A-Za-z_$][\w$]*)\s*$")
_REGEX_AFTER_WORDS = frozenset((b"return", b"typeof", b"instanceof", b"in", b"of", b"new", b"delete",
                                b"void", b"throw", b"case", b"do", b"else", b"yield", b"await"))
_SPACES = b" \t\r\n"
_WORD_BYTE = bytes(1 if chr(c).isalnum() or chr(c) in "_$" or c >= 0x80 else 0 for c in range(256))


class Unsure(Exception):
    """The scan lost track (an unterminated literal, unbalanced braces)."""


@dataclass
class Layout:
    """``blocks``: contents ``(after '{', at '}')`` of blocks that follow ``)`` or ``=>``
    (function bodies and statement blocks), sorted; ``literals``: contents (between the
    quotes) of string and template literals without substitutions, at least
    ``literal_min`` bytes long, sorted; ``comments``: contents of line comments at least
    ``comment_min`` bytes long (an inline source map), from after ``//`` to before its
    last byte (tree-sitter ends a token where an included range does unless it reads
    on after it), sorted. (Not block comments: a line end in one is read for ``;``
    insertion, ``return /*\n*/ x``.)"""
    blocks: list[tuple[int, int]] = field(default_factory=list)
    literals: list[tuple[int, int]] = field(default_factory=list)
    comments: list[tuple[int, int]] = field(default_factory=list)


def layout(data: bytes, literal_min: int = 1 << 62, comment_min: int = 1 << 62, block_min: int = 0) -> Layout:
    """The file's layout, empty when the scan is unsure of it. ``block_min``: blocks
    whose contents are shorter and hold no brace, quote or slash may be left out of
    ``blocks`` (crossed in one step: a minified bundle's ``{return a}``)."""
    try:
        return _scan(data, literal_min, comment_min, block_min)
    except (Unsure, IndexError):
        return Layout()


def _scan(data: bytes, literal_min: int, comment_min: int, block_min: int = 0) -> Layout:
    out = Layout()
    found, literals = out.blocks, out.literals
    stack: list[int] = []     # '{' offsets; -1 for a block we keep; -2 for a template's ${
    n = len(data)
    pos = data.find(b"\n") if data.startswith(b"#!") else 0
    skip = _skipper(literal_min, block_min)
    while pos >= 0:
        i = skip(data, pos).end()
        if i >= n:
            break
        c = data[i]
        if c == 0x7B:      # {
            before = data[i - 1] if i else 0x20      # (the common cases of _opens_body inline)
            if before == 0x29:
                stack.append(i)
            elif before in _SPACES or before == 0x3E:
                stack.append(i if _opens_body(data, i) else -1)
            else:
                stack.append(-1)
            pos = i + 1
        elif c == 0x7D:    # }
            if not stack:
                raise Unsure
            start = stack.pop()
            if start == -2:
                pos = _template(data, i + 1, stack, None, literal_min)
                continue
            if start >= 0:
                found.append((start + 1, i))
            pos = i + 1
        elif c == 0x27 or c == 0x22:
            end = _string_end(data, i + 1, c)
            if end - i - 1 >= literal_min:
                literals.append((i + 1, end))
            pos = end + 1
        elif c == 0x60:    # `
            pos = _template(data, i + 1, stack, literals, literal_min)
        else:              # /
            nxt = data[i + 1:i + 2]
            if nxt == b"/":
                pos = data.find(b"\n", i)
                end = n if pos < 0 else pos
                if end - i - 2 >= comment_min:
                    _line_comment(data, i + 2, end, out.comments)
            elif nxt == b"*":
                j = data.find(b"*/", i + 2)
                if j < 0:
                    raise Unsure
                pos = j + 2
            elif _regex_may_start(data, i):
                m2 = _REGEX.match(data, i + 1)
                if m2 is None:
                    raise Unsure
                pos = m2.end()
            else:
                pos = i + 1
    if stack:
        raise Unsure
    found.sort()
    return out


_SKIPPERS: dict[tuple[int, int], object] = {}


def _skipper(literal_min: int, block_min: int = 0):
    """``match`` of a run of code but braces, quotes and slashes, of one-line strings
    without escapes shorter than ``literal_min`` bytes and of blocks whose contents are
    shorter than ``block_min`` bytes and hold none of those: what the scan crosses without
    a Python step. (Crossing divisions the same way gained nothing: each alternative costs
    the engine at every token.)"""
    k = min(literal_min, 1 << 31)
    if (k, block_min) not in _SKIPPERS:
        length = rb"*+" if k >= 1 << 31 else rb"{0,%d}+" % (k - 1)
        strings = rb"" if k < 1 else rb"""|"[^"\\\r\n]%s"|'[^'\\\r\n]%s'""" % (length, length)
        blocks = rb"" if block_min < 1 else rb"""|\{[^{}'"`/]{0,%d}+\}""" % (block_min - 1)
        _SKIPPERS[k, block_min] = re.compile(rb"""(?:[^{}'"`/]++%s%s)*+""" % (strings, blocks)).match
    return _SKIPPERS[k, block_min]


def _line_comment(data: bytes, a: int, end: int, comments: list) -> None:
    """Note the contents of the line comment from ``a`` to the ``\n`` at ``end`` (or a
    ``\r`` before it) but its last byte; not when U+2028 or U+2029 (also line ends) may be in it."""
    r = data.find(b"\r", a, end)
    b = end if r < 0 else r
    if b - a > 1 and data.find(b"\xe2\x80\xa8", a, b) < 0 and data.find(b"\xe2\x80\xa9", a, b) < 0:
        comments.append((a, b - 1))


def _escaped(data: bytes, j: int) -> bool:
    """Whether the byte at ``j`` follows an odd number of backslashes."""
    k = j - 1
    while data[k] == 0x5C:
        k -= 1
    return (j - 1 - k) % 2 == 1


def _string_end(data: bytes, pos: int, quote: int) -> int:
    """The offset of the quote that closes a string whose body starts at ``pos``."""
    q = b"'" if quote == 0x27 else b'"'
    j = data.find(q, pos)
    while j >= 0 and _escaped(data, j):
        j = data.find(q, j + 1)
    if j < 0:
        raise Unsure
    if data.find(b"\n", pos, j) >= 0 or data.find(b"\r", pos, j) >= 0:
        # a line break in a string must be escaped (a line continuation): scan it exactly
        m = _STRING_SLOW[quote].match(data, pos)
        if m is None:
            raise Unsure
        return m.end() - 1
    return j


def _template(data: bytes, pos: int, stack: list[int], literals: list | None, literal_min: int) -> int:
    """Cross a template literal's text from ``pos`` (just after its opening backquote,
    or after the ``}`` that closes a substitution); on ``${`` push its marker and return
    after it, else return after the closing backquote. A whole template without
    substitutions (``literals`` given) of at least ``literal_min`` bytes is noted."""
    j = data.find(b"`", pos)
    while j >= 0 and _escaped(data, j):
        j = data.find(b"`", j + 1)
    if j < 0:
        raise Unsure
    s = data.find(b"${", pos, j)
    while s >= 0 and _escaped(data, s):
        s = data.find(b"${", s + 1, j)
    if s >= 0:
        stack.append(-2)
        return s + 2
    if literals is not None and j - pos >= literal_min:
        literals.append((pos, j))
    return j + 1


def _prev(data: bytes, i: int) -> tuple[int, int]:
    """The last non-space byte before ``i`` and its offset (-1, -1 at the start)."""
    j = i - 1
    while j >= 0 and data[j] in _SPACES:
        j -= 1
    return (data[j], j) if j >= 0 else (-1, -1)


def _opens_body(data: bytes, i: int) -> bool:
    """Whether the ``{`` at ``i`` follows ``)`` or ``=>``."""
    c = data[i - 1] if i else -1
    if c in (0x20, 0x09, 0x0A, 0x0D):
        c, j = _prev(data, i)
    else:
        j = i - 1
    return c == 0x29 or (c == 0x3E and j > 0 and data[j - 1] == 0x3D)


def _regex_may_start(data: bytes, i: int) -> bool:
    c, j = _prev(data, i)
    if c < 0:
        return True
    if c in b")]}'\"`" or 0x30 <= c <= 0x39:
        return False
    if 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A or c in b"_$" or c >= 0x80:
        m = _WORD_BEFORE.search(data, max(0, j - 20), j + 1)
        return m is not None and m.group(1) in _REGEX_AFTER_WORDS
    return True


_STATEMENT_NEXT = re.compile(rb"[{}'\"`/;]")
_PARENS_NEXT = re.compile(rb"[()'\"`/]")
_FOR = re.compile(rb"for(?:\s+await)?\s*\(")     # (a literal first: the engine's fast scan)
# A ``;`` followed (past spaces and comments) by these words may end a statement nested in the
# one around it (``if (a) b(); else …``, ``do b(); while (c)``): no cut there; nor before a byte
# that may start U+2028/9 (which may end a line comment). One match per ``;``.
_NO_CUT = re.compile(rb"(?:[ \t\n\r\v\f]|/\*(?:[^*]|\*(?!/))*+\*/|//[^\n\r\xe2]*+)*+"
                     rb"(?:\xe2|(?:else|while)(?![\w$\x80-\xff]))")


def statement_starts(data: bytes, a: int, b: int, block_end: dict, block_starts: list | None = None) -> list[int]:
    """Where the statements of the statement list ``data[a:b]`` (a body block's contents)
    may be cut apart: ``a``, then just after each ``;`` at its own level that ends one of
    its statements — not one before ``else`` or ``while``, which may end a statement
    nested in an ``if`` or ``do`` that goes on. ``block_end``: the body blocks inside
    (their contents' starts to ends, ``Layout.blocks``), crossed whole. Empty when the
    scan is unsure of the range. ``block_starts``: ``block_end``'s keys, sorted.

    Parentheses are not followed: outside the body blocks crossed whole, a ``;`` in
    parentheses can only be a ``for`` header's, and those are found first."""
    starts = sorted(block_end) if block_starts is None else block_starts
    try:
        return _statement_starts(data, a, b, block_end, _for_headers(data, a, b, block_end, starts))
    except (Unsure, IndexError):
        return []


def _own_segments(a: int, b: int, block_end: dict, block_starts: list):
    """``[a, b)`` but the contents of the body blocks in it (those of a block nested in
    another are inside it)."""
    k = bisect.bisect_right(block_starts, a)
    while k < len(block_starts) and block_starts[k] < b:
        s = block_starts[k]
        if s > a:
            yield a, s
        a = max(a, block_end[s])
        k = bisect.bisect_left(block_starts, a, k + 1)
    if a < b:
        yield a, b


def _for_headers(data: bytes, a: int, b: int, block_end: dict, block_starts: list) -> list[tuple[int, int]]:
    """``(after '(', at ')')`` of what may be ``for`` headers in ``data[a:b]`` outside the
    body blocks nested in it, which the statement scan crosses whole (also one in a string:
    that only costs cuts)."""
    out = []
    for m in (m for lo, hi in _own_segments(a, b, block_end, block_starts) for m in _FOR.finditer(data, lo, hi)):
        k = m.start() - 1
        if (out and m.start() < out[-1][1]) or data[k] == 0x2E or _WORD_BYTE[data[k]]:
            continue
        depth, pos = 1, m.end()
        while depth:
            t = _PARENS_NEXT.search(data, pos, b)
            if t is None:
                raise Unsure
            i, c = t.start(), data[t.start()]
            if c == 0x28 or c == 0x29:
                depth += 1 if c == 0x28 else -1
                pos = i + 1
            else:
                pos = _cross(data, i, c, [])
        out.append((m.end(), pos - 1))
    return out


def _cross(data: bytes, i: int, c: int, stack: list[int]) -> int:
    """After the string, template (up to its end or first ``${``, pushed on ``stack``),
    comment or regular expression that the quote or ``/`` at ``i`` opens; after a
    division's ``/``."""
    if c == 0x27 or c == 0x22:
        return _string_end(data, i + 1, c) + 1
    if c == 0x60:
        return _template(data, i + 1, stack, None, 0)
    nxt = data[i + 1:i + 2]
    if nxt == b"/":
        j = data.find(b"\n", i)
        return len(data) if j < 0 else j
    if nxt == b"*":
        j = data.find(b"*/", i + 2)
        if j < 0:
            raise Unsure
        return j + 2
    if _regex_may_start(data, i):
        m2 = _REGEX.match(data, i + 1)
        if m2 is None:
            raise Unsure
        return m2.end()
    return i + 1


def _statement_starts(data: bytes, a: int, b: int, block_end: dict, headers: list) -> list[int]:
    out = [a]
    stack: list[int] = []     # { open: 0 a brace, 1 a template's ${
    pos = a
    search = _STATEMENT_NEXT.search
    no_cut = _NO_CUT.match
    h = 0
    while True:
        m = search(data, pos, b)
        if m is None:
            break
        i = m.start()
        c = data[i]
        if c == 0x3B:      # ;
            pos = i + 1
            if stack:
                continue
            while h < len(headers) and headers[h][1] <= i:
                h += 1
            if h < len(headers) and headers[h][0] <= i:
                continue
            if no_cut(data, pos) is None:
                out.append(pos)
        elif c == 0x7B:    # {
            end = block_end.get(i + 1)
            if end is not None:
                pos = end + 1
            else:
                stack.append(0)
                pos = i + 1
        elif c == 0x7D:    # }
            if not stack:
                raise Unsure
            if stack.pop():
                inner: list[int] = []
                pos = _template(data, i + 1, inner, None, 0)
                stack.extend(1 for _ in inner)
            else:
                pos = i + 1
        else:
            inner = []
            pos = _cross(data, i, c, inner)
            stack.extend(1 for _ in inner)
    if stack or pos > b:
        raise Unsure
    return out
