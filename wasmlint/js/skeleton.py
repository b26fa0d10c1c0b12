"""Big files are parsed as a skeleton: the bodies of blocks that mention nothing
of interest are blanked (every byte but newlines becomes a space) before
tree-sitter sees them, so a 10 MB minified bundle costs what its WebAssembly,
worker and flag code costs.

A block qualifies when its ``{`` follows ``)`` or ``=>`` (function bodies and
statement blocks: blanked, they stay valid JavaScript), it is at least
``MIN_BLOCK`` bytes long and no *interest* offset lies inside it. Offsets,
lines and columns do not change. The scan knows strings, template literals,
comments and regular expression literals; when it is unsure it blanks nothing.

Correctness does not rest on the interest list: ``Doc.offsets`` notes every
searched word found inside a blanked block, and ``wasmlint.sources.js`` parses
again with those offsets added to the interests until no search lands in a
blank — the facts are then those of the whole parse. (On a file with syntax errors in a
blanked body they can differ: tree-sitter's recovery from those errors, which can
also garble the code around them, never happens.)
"""
from __future__ import annotations

import bisect
import re

MIN_FILE = 256 << 10        # files smaller than this are parsed whole
MIN_BLOCK = 64              # blocks smaller than this are not worth blanking
MIN_SHARE = 0.25            # blank nothing unless at least this share of the file goes
# Words the fact builders search for (their byte searches would otherwise land in
# blanks and cost another parse); what decides correctness is Doc.offsets.
INTEREST = (b"WebAssembly", b"Worker", b"NODE_OPTIONS", b"setFlagsFromString", b"child_process",
            b"execArgv", b"iscina", b"workerpool", b"AGFzbQ", b"\0asm", b"\\0asm", b"\\x00asm",
            b"\\u0000asm", b"97,115,109", b"97, 115, 109", b"0x61,0x73,0x6", b"0x61, 0x73, 0x6",
            b"INITIAL_MEMORY", b"TOTAL_MEMORY", b"grow", b"buffer", b"require", b"import", b"export",
            b"headers", b"setHeader", b"pool", b"spawn", b"fork", b"exec", b"Memory", b"arrayBuffer")

_NEXT = re.compile(rb"[{}'\"`/]")
_STRING = {ord("'"): re.compile(rb"[^'\\\n]*(?:\\.[^'\\\n]*)*'", re.S),
           ord('"'): re.compile(rb'[^"\\\n]*(?:\\.[^"\\\n]*)*"', re.S)}
_TEMPLATE = re.compile(rb"[^`\\$]*(?:(?:\\.|\$(?!\{))[^`\\$]*)*(`|\$\{)", re.S)
_REGEX = re.compile(rb"(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\])+/[a-z]*")
_WORD_BEFORE = re.compile(rb"([A-Za-z_$][\w$]*)\s*$")
_REGEX_AFTER_WORDS = frozenset((b"return", b"typeof", b"instanceof", b"in", b"of", b"new", b"delete",
                                b"void", b"throw", b"case", b"do", b"else", b"yield", b"await"))
_SPACE = bytes(b if b in (0x0A, 0x0D) else 0x20 for b in range(256))


class Unsure(Exception):
    """The scan lost track (an unterminated literal, unbalanced braces)."""


def plan(data: bytes) -> tuple[list[int], list[tuple[int, int]]] | None:
    """(interest offsets, body blocks) for a skeleton parse of ``data``, or None when
    blanking could not save much (most of the file is a string, such as an embedded module)."""
    blocks = body_blocks(data)
    outer, end = 0, -1
    for a, b in blocks:
        if a >= end:
            outer, end = outer + b - a, b
    if outer < MIN_SHARE * len(data):
        return None
    return interest_offsets(data), blocks


def interest_offsets(data: bytes) -> list[int]:
    out, find = [], data.find
    for word in INTEREST:
        i = find(word)
        while i >= 0:
            out.append(i)
            i = find(word, i + len(word))
    return sorted(out)


def blank_regions(data: bytes, interests: list[int], blocks: list | None = None) -> list[tuple[int, int]]:
    """Sorted ``(start, end)`` byte ranges (block contents, without the braces) to blank;
    ``blocks`` is ``blocks(data)`` when the caller has it already."""
    blocks = body_blocks(data) if blocks is None else blocks
    out: list[tuple[int, int]] = []
    for a, b in blocks:
        if b - a < MIN_BLOCK or (out and a < out[-1][1]):
            continue
        k = bisect.bisect_left(interests, a)
        if k < len(interests) and interests[k] < b:
            continue
        out.append((a, b))
    return out if sum(b - a for a, b in out) >= MIN_SHARE * len(data) else []


def blank(source: bytes, regions: list[tuple[int, int]]) -> bytes:
    parts, pos = [], 0
    for a, b in regions:
        parts.append(source[pos:a])
        parts.append(source[a:b].translate(_SPACE))
        pos = b
    parts.append(source[pos:])
    return b"".join(parts)


def body_blocks(data: bytes) -> list[tuple[int, int]]:
    """Contents ``(after '{', at '}')`` of blocks that follow ``)`` or ``=>``, sorted;
    none when the scan is unsure of the file."""
    try:
        return sorted(_blocks(data))
    except (Unsure, IndexError):
        return []


def _blocks(data: bytes) -> list[tuple[int, int]]:
    found = []
    stack: list[int] = []     # '{' offsets; -1 for a block we keep; -2 for a template's ${
    pos, n = 0, len(data)
    while True:
        m = _NEXT.search(data, pos)
        if m is None:
            break
        i = m.start()
        c = data[i]
        if c == 0x7B:      # {
            stack.append(i if _opens_body(data, i) else -1)
            pos = i + 1
        elif c == 0x7D:    # }
            if not stack:
                raise Unsure
            start = stack.pop()
            if start == -2:
                pos = _template(data, i + 1, stack)
                continue
            if start >= 0:
                found.append((start + 1, i))
            pos = i + 1
        elif c in _STRING:
            m2 = _STRING[c].match(data, i + 1)
            if m2 is None:
                raise Unsure
            pos = m2.end()
        elif c == 0x60:    # `
            pos = _template(data, i + 1, stack)
        else:              # /
            nxt = data[i + 1:i + 2]
            if nxt == b"/":
                j = data.find(b"\n", i)
                pos = n if j < 0 else j
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
    return found


def _template(data: bytes, pos: int, stack: list[int]) -> int:
    """Scan a template literal from ``pos``; on ``${`` push its marker and return after it."""
    m = _TEMPLATE.match(data, pos)
    if m is None:
        raise Unsure
    if m.group(1) == b"${":
        stack.append(-2)
    return m.end()


def _prev(data: bytes, i: int) -> tuple[int, int]:
    """The last non-space byte before ``i`` and its offset (-1, -1 at the start)."""
    j = i - 1
    while j >= 0 and data[j] in b" \t\r\n":
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
    if c in b")]}'\"`" or chr(c).isdigit():
        return False
    if chr(c).isalnum() or c in b"_$" or c >= 0x80:
        m = _WORD_BEFORE.search(data, max(0, j - 20), j + 1)
        return m is not None and m.group(1) in _REGEX_AFTER_WORDS
    return True
