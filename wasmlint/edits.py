"""Apply text edits to one file's text (used by ``--fix`` and ``--diff``).

Edit positions are 1-based lines and columns counted in Unicode code points of
the decoded text (a UTF-8 byte order mark is not part of line 1); the end is
exclusive. ``(last line + 1, 1)`` addresses the end of a file without a final
newline. Fixes are applied whole or not at all: a fix with an edit that
overlaps an edit already chosen in this round is skipped (it is re-evaluated
in the next round, on the changed text); identical edits from several fixes
(a per-target rule reports one fix per target) are applied once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

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


Resolved = tuple[int, int, str]   # start offset, end offset, new text


def _overlaps(x: Resolved, y: Resolved) -> bool:
    (a1, a2, _), (b1, b2, _) = x, y
    if a1 == a2 and b1 == b2:
        return a1 == b1                      # two insertions at one point: order unknown
    if a1 == a2:
        return b1 < a1 < b2
    if b1 == b2:
        return a1 < b1 < a2
    return a1 < b2 and b1 < a2


@dataclass
class Selection:
    """The edits chosen for one file in one round."""

    chosen: list[Resolved] = field(default_factory=list)

    def conflicts(self, edits: list[Resolved]) -> bool:
        """Whether ``edits`` overlap an edit already chosen or each other."""
        new = [e for e in dict.fromkeys(edits) if e not in self.chosen]
        return any(any(_overlaps(e, c) for c in self.chosen)
                   or any(_overlaps(e, o) for o in new[i + 1:]) for i, e in enumerate(new))

    def add(self, edits: list[Resolved]) -> None:
        self.chosen.extend(e for e in edits if e not in self.chosen)

    def try_add(self, edits: list[Resolved]) -> bool:
        """Take all of ``edits`` unless one conflicts with an edit already chosen."""
        if self.conflicts(edits):
            return False
        self.add(edits)
        return True

    def apply(self, text: str) -> str:
        out, pos = [], 0
        for a, b, content in sorted(self.chosen, key=lambda e: (e[0], e[1])):
            out.append(text[pos:a])
            out.append(content)
            pos = b
        out.append(text[pos:])
        return "".join(out)


def apply_edits(text: str, edits: list[Edit]) -> str:
    """All ``edits`` applied to ``text``; raises EditError when they overlap or miss."""
    pos = Positions(text)
    sel = Selection()
    if not sel.try_add([(*pos.range(e), e.content) for e in edits]):
        raise EditError("edits overlap")
    return sel.apply(text)
