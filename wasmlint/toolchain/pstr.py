"""Positioned strings: text whose characters remember where they came from.

A build flag passes through several layers before emcc sees it (a Make variable
expanded into a recipe, a CMake string, a JSON string holding a shell line); each
layer decodes the text. ``PStr`` keeps, for every decoded character, the
``[start, end)`` character range of its source in the file, so that an argument
found after all the layers still has an exact span, and a fix can edit the file
where the user wrote it. Characters that come from nowhere (an unresolved
``$(VAR)``, a command substitution) are ``UNKNOWN`` with range ``(-1, -1)``.

(The launch sources' ``textpos.MappedText`` is the same idea; the two can merge.)
"""
from __future__ import annotations

import bisect
import re
from itertools import chain, compress
from dataclasses import dataclass

from ..facts import Span

UNKNOWN = "\ue000"       # stands for text whose value is not known statically
_PLACED = (0).__le__     # a position >= 0: the character is placed in the file


class LineIndex:
    """Character offsets ↔ 1-based line/column of one text. Facts share one
    index per file; the cache stores it once (``SERIAL_ARGS``, see serial.py)."""

    SERIAL_ARGS = ("text", "path")

    def __init__(self, text: str, path: str):
        self.text, self.path = text, path
        self.starts = [0]
        find, i = text.find, text.find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = find("\n", i + 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def span(self, start: int, end: int | None = None) -> Span:
        end = start if end is None else end
        l1, c1 = self.line_col(start)
        l2, c2 = self.line_col(end)
        return Span(self.path, l1, c1, l2, c2)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LineIndex) and (self.text, self.path) == (other.text, other.path)

    def __hash__(self) -> int:
        return hash((self.path, len(self.text)))


class CharOffsets:
    """The character offset in ``text`` of a UTF-8 byte offset a parser reports
    (tree-sitter counts bytes); ``shift``: bytes the parsed data has before ``text``
    (3 for a BOM the text drops)."""

    def __init__(self, text: str, shift: int = 0):
        self.text, self.shift = text, shift
        self._starts: list[int] | None = [] if text.isascii() else None

    def __call__(self, byte: int) -> int:
        b = byte - self.shift
        if self._starts == []:
            return b
        if self._starts is None:
            acc, starts = 0, []
            for c in self.text:
                starts.append(acc)
                acc += len(c.encode("utf-8", "surrogateescape"))
            self._starts = starts
        return bisect.bisect_right(self._starts, b) - 1


STRIDE = 1 << 40        # offsets of the k-th linked file start at k * STRIDE


class LinkedIndex(LineIndex):
    """The index of a file whose values also come from other files (a Makefile run with a
    Dockerfile's ``ENV``): offsets below ``STRIDE`` are this file's, offsets from
    ``k * STRIDE`` are the k-th linked file's, so a span lands in the file that wrote it."""

    SERIAL_ARGS = ("text", "path", "linked")

    def __init__(self, text: str, path: str, linked=()):
        super().__init__(text, path)
        self.linked = tuple(linked)

    def span(self, start: int, end: int | None = None) -> Span:
        k = start // STRIDE
        if k == 0 or k > len(self.linked):
            return super().span(start, end)
        base = k * STRIDE
        end = start if end is None or end // STRIDE != k else end
        return self.linked[k - 1].span(start - base, end - base)


@dataclass(frozen=True)
class PStr:
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __init__(self, text: str, starts: tuple[int, ...], ends: tuple[int, ...]):
        # one write to the instance dict: a frozen dataclass's own __init__ sets each field
        # through object.__setattr__, and every slice, join and token makes a PStr
        d = self.__dict__
        d["text"], d["starts"], d["ends"] = text, starts, ends

    @classmethod
    def source(cls, text: str, start: int) -> "PStr":
        """``text`` copied verbatim from offset ``start``."""
        n = len(text)
        return cls(text, tuple(range(start, start + n)), tuple(range(start + 1, start + n + 1)))

    @classmethod
    def synth(cls, text: str) -> "PStr":
        return cls(text, (-1,) * len(text), (-1,) * len(text))

    @classmethod
    def spread(cls, text: str, start: int, end: int) -> "PStr":
        """``text`` decoded from the source ``[start, end)`` as a whole (one escape)."""
        return cls(text, (start,) * len(text), (end,) * len(text))

    @classmethod
    def join(cls, parts: "list[PStr]") -> "PStr":
        if len(parts) == 1 and type(parts[0]) is cls:
            return parts[0]          # immutable: one part is the whole
        if len(parts) == 2:          # the usual case (`$A$B`, a prefix and a value): concatenated in C
            a, b = parts
            return cls(a.text + b.text, a.starts + b.starts, a.ends + b.ends)
        return cls("".join(p.text for p in parts), tuple(chain.from_iterable(p.starts for p in parts)),
                   tuple(chain.from_iterable(p.ends for p in parts)))

    def shifted(self, by: int) -> "PStr":
        """The same text placed ``by`` further (a value moved into a linked file's range)."""
        return PStr(self.text, tuple(s + by if s >= 0 else s for s in self.starts),
                    tuple(e + by if e >= 0 else e for e in self.ends))

    def __add__(self, other: "PStr") -> "PStr":
        return PStr(self.text + other.text, self.starts + other.starts, self.ends + other.ends)

    def __len__(self) -> int:
        return len(self.text)

    def __getitem__(self, key: slice) -> "PStr":
        return PStr(self.text[key], self.starts[key], self.ends[key])

    @property
    def known(self) -> bool:
        return UNKNOWN not in self.text

    def source_range(self, i: int = 0, j: int | None = None) -> tuple[int, int] | None:
        """The source range of characters ``[i, j)``, or None when none is placed."""
        j = len(self.text) if j is None else min(j, len(self.text))
        starts = self.starts[i:j]
        if not starts or max(starts) < 0:
            return None
        if min(starts) >= 0:         # all placed (the usual case): C scans
            return starts[0], max(self.ends[i:j])
        # some placed (a recipe holding `$@`): the placed ones picked out in C as well
        first = starts[0] if starts[0] >= 0 else next(compress(starts, map(_PLACED, starts)))
        return first, max(compress(self.ends[i:j], map(_PLACED, starts)))

    def is_exact(self, i: int = 0, j: int | None = None) -> bool:
        """Whether ``[i, j)`` is verbatim and contiguous source text."""
        j = len(self.text) if j is None else j
        if i >= j:
            return False
        first = self.starts[i]     # exact: positions first, first + 1, … (compared in C)
        return first >= 0 and self.starts[i:j] == tuple(range(first, first + j - i)) \
            and self.ends[i:j] == tuple(range(first + 1, first + 1 + j - i))

    def split_ws(self) -> "list[PStr]":
        """Whitespace-separated fields (no quoting): RUSTFLAGS, `link-args=`."""
        out, i, n = [], 0, len(self.text)
        while i < n:
            while i < n and self.text[i].isspace():
                i += 1
            j = i
            while j < n and not self.text[j].isspace():
                j += 1
            if j > i:
                out.append(self[i:j])
            i = j
        return out

    def strip(self) -> "PStr":
        t = self.text
        i, j = 0, len(t)
        while i < j and t[i].isspace():
            i += 1
        while j > i and t[j - 1].isspace():
            j -= 1
        return self[i:j]


UNKNOWN_TEXT = PStr.synth(UNKNOWN)      # a value known only when the program runs
MAX_DEPTH = 40


def guarded(unknown, key=lambda node: node.id):
    """Make an evaluator's ``_x(self, node, depth)`` the method ``x(self, node, depth=0)``
    that gives ``unknown`` for no node, a node already being evaluated (a name whose value
    refers to itself) or an evaluation deeper than ``MAX_DEPTH``. The evaluator keeps the
    nodes in progress in ``self._active``."""
    def wrap(inner):
        def outer(self, node, depth: int = 0):
            k = key(node) if node is not None else None
            if k is None or depth > MAX_DEPTH or k in self._active:
                return unknown
            self._active.add(k)
            try:
                return inner(self, node, depth + 1)
            finally:
                self._active.discard(k)
        outer.__doc__ = inner.__doc__
        return outer
    return wrap


def joined(parts: "list[PStr]", sep: PStr) -> PStr:
    """``sep.join(parts)`` with positions (``array.join(' ')``, ``" ".join(list)``)."""
    out: list[PStr] = []
    for k, p in enumerate(parts):
        out += [sep, p] if k else [p]
    return PStr.join(out) if out else PStr.synth("")


@dataclass(frozen=True)
class Tok:
    """One argument as the tool receives it, and where it was written."""

    text: PStr
    index: LineIndex

    def __init__(self, text: PStr, index: LineIndex):
        d = self.__dict__        # as PStr.__init__
        d["text"], d["index"] = text, index

    @property
    def value(self) -> str:
        return self.text.text

    def span(self, i: int = 0, j: int | None = None) -> Span | None:
        r = self.text.source_range(i, j)
        return None if r is None else self.index.span(*r)

    def exact_span(self, i: int = 0, j: int | None = None) -> Span | None:
        """The span of ``[i, j)`` when it is verbatim in the file (safe to edit)."""
        return self.span(i, j) if self.text.is_exact(i, j) else None

    def sub(self, i: int, j: int | None = None) -> "Tok":
        return Tok(self.text[i:j], self.index)


def join_words(words: "list[PStr]") -> PStr:
    """Words as one string, separated by single blanks (placed nowhere)."""
    parts: list[PStr] = []
    for k, w in enumerate(words):
        if k:
            parts.append(PStr.synth(" "))
        parts.append(w)
    return PStr.join(parts) if parts else PStr.synth("")


_PLAIN = re.compile(r"[^\s'\"\\]+")      # characters that stand for themselves (\s is str.isspace)
_PLAIN_QUOTED = re.compile(r'[^"\\]+')    # … inside double quotes


def shell_split(p: PStr) -> list[PStr]:
    """POSIX-shell word splitting with quote removal (the ``shlex.split`` that emcc
    applies to response files and EMCC_CFLAGS), keeping positions. Runs of plain
    characters are taken as one slice: one per character made a long value slow."""
    words: list[PStr] = []
    cur: list[PStr] = []
    in_word = False
    i, t, n = 0, p.text, len(p.text)
    while i < n:
        c = t[i]
        if c.isspace():
            if in_word:
                words.append(PStr.join(cur))
                cur, in_word = [], False
            i += 1
        elif c == "'":
            j = t.find("'", i + 1)
            j = n if j < 0 else j
            cur.append(p[i + 1:j])
            in_word, i = True, j + 1
        elif c == '"':
            i += 1
            while i < n and t[i] != '"':
                if t[i] == "\\" and i + 1 < n and t[i + 1] in '"\\$`\n':
                    cur.append(PStr(t[i + 1], (p.starts[i],), (p.ends[i + 1],)))
                    i += 2
                else:
                    m = _PLAIN_QUOTED.match(t, i)
                    j = m.end() if m else i + 1
                    cur.append(p[i:j])
                    i = j
            in_word, i = True, i + 1
        elif c == "\\" and i + 1 < n:
            if t[i + 1] != "\n":
                cur.append(PStr(t[i + 1], (p.starts[i],), (p.ends[i + 1],)))
                in_word = True
            i += 2
        else:
            m = _PLAIN.match(t, i)
            j = m.end() if m else i + 1
            cur.append(p[i:j])
            in_word, i = True, j
    if in_word:
        words.append(PStr.join(cur))
    return words


def json_string(text: str, quote: int) -> PStr | None:
    """Decode the JSON string literal whose opening quote is at ``quote``."""
    parts: list[PStr] = []
    i, n = quote + 1, len(text)
    esc = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
    while i < n:
        c = text[i]
        if c == '"':
            return PStr.join(parts)
        if c == "\\" and i + 1 < n:
            e = text[i + 1]
            if e == "u" and i + 6 <= n:
                try:
                    parts.append(PStr.spread(chr(int(text[i + 2:i + 6], 16)), i, i + 6))
                except ValueError:
                    return None
                i += 6
                continue
            if e not in esc:
                return None
            parts.append(PStr.spread(esc[e], i, i + 2))
            i += 2
            continue
        parts.append(PStr.source(c, i))
        i += 1
    return None
