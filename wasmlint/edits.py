"""Apply text edits to one file's text (used by ``--fix`` and ``--diff``).

Edit positions are 1-based lines and columns counted in Unicode code points of
the decoded text (a UTF-8 byte order mark is not part of line 1); the end is
exclusive. ``(last line + 1, 1)`` addresses the end of a file without a final
newline. Fixes are applied whole or not at all: a fix with an edit that
overlaps an edit already chosen in this round is skipped (it is re-evaluated
in the next round, on the changed text); identical edits from several fixes
(a per-target rule reports one fix per target) are applied once; edits of one
fix that overlap each other are one edit (``one_fix``); insertions of flags at
one place of a command line merge into one (``Edit.merge``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .diagnostics import Edit

BOM = b"\xef\xbb\xbf"


class EditError(ValueError):
    """An edit does not address a position of the text (stale or malformed)."""


@dataclass
class TextFile:
    """A file's text as fixes see it, and how to turn it back into bytes."""

    text: str
    bom: bool = False

    @classmethod
    def decode(cls, data: bytes) -> "TextFile":
        """Raises UnicodeDecodeError for text that is not UTF-8."""
        bom = data.startswith(BOM)
        return cls((data[3:] if bom else data).decode("utf-8"), bom)

    def encode(self) -> bytes:
        return (BOM if self.bom else b"") + self.text.encode("utf-8")


class Positions:
    """Line/column → offset into a text."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        i = text.find("\n")
        while i != -1:
            self.starts.append(i + 1)
            i = text.find("\n", i + 1)

    def offset(self, line: int, column: int) -> int:
        if line == len(self.starts) + 1 and column == 1 and not self.text.endswith("\n"):
            return len(self.text)
        if not 1 <= line <= len(self.starts) or column < 1:
            raise EditError(f"position {line}:{column} is outside the file")
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        if start + column - 1 > end:
            raise EditError(f"column {column} is past the end of line {line}")
        return start + column - 1

    def range(self, edit: Edit) -> tuple[int, int]:
        s = edit.span
        a = self.offset(s.line, s.column)
        b = self.offset(s.end_line if s.end_line is not None else s.line,
                        s.end_column if s.end_column is not None else s.column)
        if b < a:
            raise EditError(f"edit ends before it starts at {s.line}:{s.column}")
        return a, b


class Piece(NamedTuple):
    """An edit resolved to offsets: ``text[start:end]`` becomes ``content``."""

    start: int
    end: int
    content: str
    merge: Any = None       # insertions with equal ``merge.key`` at one point merge (Edit.merge)


Resolved = Piece


def _mergeable(x: Piece, y: Piece) -> bool:
    return (x.merge is not None and y.merge is not None and x.merge.key == y.merge.key
            and x.start == x.end == y.start == y.end)


def _overlaps(x: Piece, y: Piece) -> bool:
    a1, a2, b1, b2 = x.start, x.end, y.start, y.end
    if a1 == a2 and b1 == b2:
        return a1 == b1 and not _mergeable(x, y)    # two insertions at one point: order unknown
    if a1 == a2:
        return b1 < a1 < b2
    if b1 == b2:
        return a1 < b1 < a2
    return a1 < b2 and b1 < a2


def one_fix(pieces: list, text: str) -> list[Piece]:
    """The edits of one fix, those that overlap joined into one edit: the union of
    their ranges, the text none of them covers kept, each content written where
    its edit starts (in the fix's order at one point)."""
    ordered = sorted((Piece(*p) for p in dict.fromkeys(pieces)), key=lambda p: p.start)
    out: list[list[Piece]] = []
    for p in ordered:
        if out and any(_overlaps(p, q) or (q.start < p.start < q.end) for q in out[-1]):
            out[-1].append(p)
        else:
            out.append([p])
    joined = []
    for group in out:
        if len(group) == 1:
            joined.append(group[0])
            continue
        start, pos, parts = group[0].start, group[0].start, []
        for p in group:
            if p.start > pos:
                parts.append(text[pos:p.start])
            parts.append(p.content)
            pos = max(pos, p.end)
        joined.append(Piece(start, pos, "".join(parts)))
    return joined


@dataclass
class Selection:
    """The edits chosen for one file in one round."""

    chosen: list[Piece] = field(default_factory=list)

    def conflicts(self, edits: list) -> bool:
        """Whether ``edits`` overlap an edit already chosen or each other."""
        new = [e for e in dict.fromkeys(Piece(*e) for e in edits) if e not in self.chosen]
        return any(any(_overlaps(e, c) for c in self.chosen)
                   or any(_overlaps(e, o) for o in new[i + 1:]) for i, e in enumerate(new))

    def add(self, edits: list) -> None:
        self.chosen.extend(e for e in dict.fromkeys(Piece(*e) for e in edits) if e not in self.chosen)

    def try_add(self, edits: list) -> bool:
        """Take all of ``edits`` unless one conflicts with an edit already chosen."""
        if self.conflicts(edits):
            return False
        self.add(edits)
        return True

    def apply(self, text: str) -> str:
        out, pos = [], 0
        ordered = sorted(self.chosen, key=lambda e: (e.start, e.end))
        k = 0
        while k < len(ordered):
            e = ordered[k]
            group = [e]
            while k + len(group) < len(ordered) and _mergeable(e, ordered[k + len(group)]):
                group.append(ordered[k + len(group)])
            out.append(text[pos:e.start])
            out.append(e.merge.combine([g.merge for g in group]) if len(group) > 1 else e.content)
            pos = e.end
            k += len(group)
        out.append(text[pos:])
        return "".join(out)


def apply_fix(text: str, edits: list[Edit]) -> str:
    """``text`` with one fix's ``edits`` applied as ``--fix`` applies them (its
    overlapping edits joined, its insertions at one point merged); raises EditError
    when an edit misses the text."""
    pos = Positions(text)
    sel = Selection()
    sel.add(one_fix([Piece(*pos.range(e), e.content, e.merge) for e in edits], text))
    return sel.apply(text)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """All ``edits`` applied to ``text``; raises EditError when they overlap or miss."""
    pos = Positions(text)
    sel = Selection()
    if not sel.try_add([Piece(*pos.range(e), e.content, e.merge) for e in edits]):
        raise EditError("edits overlap")
    return sel.apply(text)
