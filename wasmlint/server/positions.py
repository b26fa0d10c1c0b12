"""wasmlint's positions (1-based lines, columns in code points of the line) and LSP's
(0-based lines, columns in UTF-16 code units). Lines end at ``\\n``; a ``\\r`` before it
is part of the line for both."""
from __future__ import annotations

import bisect

from lsprotocol import types

from ..edits import Positions
from ..facts import Span


def utf16_len(text: str) -> int:
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _code_points(text: str, units: int) -> int:
    """How many code points of ``text`` its first ``units`` UTF-16 units cover."""
    if text.isascii():
        return min(units, len(text))
    n = 0
    for i, c in enumerate(text):
        n += 2 if ord(c) > 0xFFFF else 1
        if n > units:
            return i
    return len(text)


class LineMap(Positions):
    """One text's lines, to convert positions both ways."""

    def line_text(self, index: int) -> str:
        """Line ``index`` (0-based) without its ``\\n``."""
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index]:end]

    def position(self, line: int, column: int) -> types.Position:
        """wasmlint's (line, column) → LSP, clamped to the text."""
        if line < 1:
            return types.Position(0, 0)
        if line > len(self.starts):
            last = len(self.starts) - 1
            return types.Position(last, utf16_len(self.line_text(last)))
        text = self.line_text(line - 1)
        return types.Position(line - 1, utf16_len(text[:max(0, min(column - 1, len(text)))]))

    def lsp_range(self, span: Span) -> types.Range:
        start = self.position(span.line, span.column)
        end = self.position(span.end_line if span.end_line is not None else span.line,
                            span.end_column if span.end_column is not None else span.column)
        return types.Range(start, end if (end.line, end.character) >= (start.line, start.character) else start)

    def line_column(self, pos: types.Position) -> tuple[int, int]:
        """LSP → wasmlint's (line, column), clamped to the text."""
        index = max(0, min(pos.line, len(self.starts) - 1))
        return index + 1, _code_points(self.line_text(index), max(0, pos.character)) + 1

    def offset_position(self, offset: int) -> types.Position:
        """A character offset into the text → LSP."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self.starts, offset) - 1
        return types.Position(index, utf16_len(self.text[self.starts[index]:offset]))


def text_edit(old: str, new: str) -> types.TextEdit | None:
    """The one edit that turns ``old`` into ``new``: the part between their common
    start and common end (None when they are equal)."""
    if old == new:
        return None
    a = 0
    limit = min(len(old), len(new))
    while a < limit and old[a] == new[a]:
        a += 1
    b = 0
    while b < limit - a and old[len(old) - 1 - b] == new[len(new) - 1 - b]:
        b += 1
    lines = LineMap(old)
    return types.TextEdit(types.Range(lines.offset_position(a), lines.offset_position(len(old) - b)),
                          new[a:len(new) - b])
