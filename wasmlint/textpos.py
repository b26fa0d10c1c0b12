"""Positions in text files, shared by every text source.

``LineIndex`` turns character offsets into 1-based line/column ``Span``s (with
UTF-8 byte offsets). ``MappedText`` is a decoded value — a JSON string, a YAML
scalar, a shell word after quote removal — that remembers, for each of its
characters, where it came from in the file, so that a parser of the value (a
shell, NODE_OPTIONS) still reports exact spans and fixes can edit the file.
JSON and YAML with positions: ``wasmlint.jsonpos`` and ``wasmlint.yamlpos``.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from typing import Callable

from .facts import Span


class LineIndex:
    """Offsets (characters) ↔ line/column (1-based, characters) of one text."""

    def __init__(self, text: str, path: str = ""):
        self.text, self.path = text, path
        self.starts = [0]
        find, i = text.find, text.find("\n")
        while i >= 0:
            self.starts.append(i + 1)
            i = find("\n", i + 1)
        self._ascii = text.isascii()
        self._byte_starts: list[int] | None = None
        self._points: dict[int, tuple[int, int, int]] = {}

    def line_col(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    def byte_offset(self, offset: int) -> int:
        if self._ascii:
            return offset
        if self._byte_starts is None:
            acc, self._byte_starts = 0, []
            prev = 0
            for s in self.starts:
                acc += len(self.text[prev:s].encode("utf-8"))
                self._byte_starts.append(acc)
                prev = s
        line = bisect.bisect_right(self.starts, offset) - 1
        return self._byte_starts[line] + len(self.text[self.starts[line]:offset].encode("utf-8"))

    def span(self, start: int, end: int | None = None) -> Span:
        points = self._points              # ``_point``'s memo, read here first (a call a span less)
        a = points.get(start) or self._point(start)
        b = a if end is None or end == start else points.get(end) or self._point(end)
        return Span(self.path, a[0], a[1], b[0], b[1], a[2], b[2])

    def _point(self, offset: int) -> tuple[int, int, int]:
        """Line, column and byte offset of ``offset``, once per offset (a word's edges are
        its span's, its neighbour's and its insertion points')."""
        got = self._points.get(offset)
        if got is None:
            got = self._points[offset] = (*self.line_col(offset), self.byte_offset(offset))
        return got

    def line_text(self, line: int) -> str:
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return self.text[start:end]

    def line_start(self, offset: int) -> int:
        return self.starts[bisect.bisect_right(self.starts, offset) - 1]


def matching_brace(text: str, start: int, end: int | None = None) -> int | None:
    """The ``}`` that closes the ``{`` at ``start`` (a template or f-string field), past
    nested brackets and quoted strings; None when it is not closed before ``end``."""
    depth, quote = 0, None
    for j in range(start, len(text) if end is None else end):
        c = text[j]
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0 and c == "}":
                return j
    return None


def json_escape(s: str) -> str:
    return json.dumps(s)[1:-1]


def yaml_dq_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def yaml_sq_escape(s: str) -> str:
    return s.replace("'", "''")


def js_sq_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("'", "\\'")


def no_escape(s: str) -> str:
    return s


@dataclass
class MappedText:
    """A decoded string and, per character, the ``[start, end)`` of its source text.

    ``exact`` is false when the mapping is approximate (a folded YAML scalar, a
    variable expanded from elsewhere): spans then cover the whole source and no
    fix edits inside it. ``escape`` turns plain text into text that can be inserted
    into the source at one of its positions (JSON string, YAML quoted scalar).
    """

    value: str
    starts: list[int]
    ends: list[int]
    src_start: int = 0
    src_end: int = 0
    exact: bool = True
    escape: Callable[[str], str] = no_escape

    @classmethod
    def verbatim(cls, value: str, start: int, escape: Callable[[str], str] = no_escape) -> "MappedText":
        n = len(value)
        return cls(value, list(range(start, start + n)), list(range(start + 1, start + n + 1)),
                   start, start + n, True, escape)

    @classmethod
    def opaque(cls, value: str, start: int, end: int) -> "MappedText":
        """A value whose characters cannot be placed: every one maps to the whole source."""
        n = len(value)
        return cls(value, [start] * n, [end] * n, start, end, False)

    def source_range(self, i: int, j: int) -> tuple[int, int]:
        """The source ``[start, end)`` of the decoded characters ``[i, j)``."""
        if not self.value:
            return self.src_start, self.src_end
        if i >= len(self.value):
            return self.src_end, self.src_end
        if j <= i:
            return self.starts[i], self.starts[i]
        if self.ends[j - 1] < self.starts[i]:  # pieces from elsewhere (an expanded variable)
            return min(self.starts[i:j]), max(self.ends[i:j])
        return self.starts[i], self.ends[j - 1]

    def is_exact(self, i: int, j: int) -> bool:
        """Whether ``[i, j)`` is placed exactly and contiguously in the source."""
        if not self.exact:
            return False
        j = min(j, len(self.value))
        if j - i < 2:
            return True
        breaks = self.__dict__.get("_breaks")
        if breaks is None:         # where a character does not go on from the one before: found once
            ends, starts = self.ends, self.starts
            # none, in a text copied verbatim (a whole file): told by one comparison in C
            breaks = self.__dict__["_breaks"] = [] if ends[:-1] == starts[1:] else \
                [k for k in range(len(self.value) - 1) if ends[k] != starts[k + 1]]
        k = bisect.bisect_left(breaks, i)
        return k == len(breaks) or breaks[k] >= j - 1

    def slice(self, i: int, j: int) -> "MappedText":
        s, e = self.source_range(i, j)
        return MappedText(self.value[i:j], self.starts[i:j], self.ends[i:j], s, e,
                          self.exact, self.escape)


@dataclass
class TextBuilder:
    """Accumulates a MappedText piece by piece (shell words, quoted scalars)."""

    chars: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    exact: bool = True

    def add(self, s: str, start: int, end: int | None = None) -> None:
        """``s`` copied verbatim from ``start`` (or, with ``end``, all of it from one range)."""
        n = len(s)
        self.chars.extend(s)
        if end is None:
            self.starts.extend(range(start, start + n))
            self.ends.extend(range(start + 1, start + n + 1))
        else:
            self.starts.extend([start] * n)
            self.ends.extend([end] * n)

    def add_mapped(self, m: MappedText) -> None:
        self.chars.extend(m.value)
        self.starts.extend(m.starts)
        self.ends.extend(m.ends)
        self.exact = self.exact and m.exact

    def build(self, src_start: int, src_end: int, escape: Callable[[str], str] = no_escape) -> MappedText:
        return MappedText("".join(self.chars), self.starts, self.ends, src_start, src_end,
                          self.exact, escape)


def compose(inner: MappedText, outer: MappedText) -> MappedText:
    """``inner`` maps into ``outer.value``; the result maps into ``outer``'s source."""
    n = len(outer.value)
    starts = [outer.starts[min(s, n - 1)] if n else outer.src_start for s in inner.starts]
    ends = [outer.ends[min(max(e - 1, 0), n - 1)] if n else outer.src_end for e in inner.ends]
    s, e = outer.source_range(inner.src_start, inner.src_end) if n else (outer.src_start, outer.src_end)
    return MappedText(inner.value, starts, ends, s, e, inner.exact and outer.exact, inner.escape)


def replace_delimited(text: str, opening: str, closing: str, repl) -> str:
    """Each shortest ``opening … closing`` run (left to right, not overlapping) replaced by
    ``repl(run)``: what ``re.sub(opening.*?closing, re.S)`` does, in linear time (the
    regular expression rescans to the end from every unclosed opening)."""
    out, pos = [], 0
    while True:
        start = text.find(opening, pos)
        if start < 0:
            break
        end = text.find(closing, start + len(opening))
        if end < 0:
            break
        end += len(closing)
        out.append(text[pos:start])
        out.append(repl(text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)
