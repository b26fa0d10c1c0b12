"""Text edits on arguments found through ``Tok`` positions: rename a part of an
argument in place, remove an argument (with the blank that separated it), or
replace one. An edit is offered only where the text is verbatim in the file."""
from __future__ import annotations

from ..diagnostics import Edit
from .pstr import Tok

QUOTES = "'\""


def replace_part(tok: Tok, i: int, j: int, content: str) -> list[Edit]:
    span = tok.exact_span(i, j)
    return [Edit(span, content)] if span is not None else []


def _range(toks: list[Tok]) -> tuple[int, int] | None:
    ranges = []
    for t in toks:
        if not t.text.is_exact():
            return None
        ranges.append(t.text.source_range())
    start, end = ranges[0][0], ranges[-1][1]
    text = toks[0].index.text
    between = text[start:end]
    joined = "".join(t.value for t in toks)
    if "".join(c for c in between if not c.isspace() and c not in QUOTES) != \
            "".join(c for c in joined if not c.isspace() and c not in QUOTES):
        return None
    return start, end


def remove_args(toks: list[Tok]) -> list[Edit]:
    """Delete consecutive arguments and one side's blanks (and their own quotes)."""
    if not toks or any(t.index is not toks[0].index for t in toks):
        return []
    r = _range(toks)
    if r is None:
        return []
    start, end = r
    text = toks[0].index.text
    if start > 0 and end < len(text) and text[start - 1] == text[end] and text[end] in QUOTES:
        start, end = start - 1, end + 1
    if end < len(text) and text[end] in " \t":
        while end < len(text) and text[end] in " \t":
            end += 1
    else:
        while start > 0 and text[start - 1] in " \t":
            start -= 1
    return [Edit(toks[0].index.span(start, end), "")]


def replace_args(toks: list[Tok], content: str) -> list[Edit]:
    if not toks or any(t.index is not toks[0].index for t in toks):
        return []
    r = _range(toks)
    return [] if r is None else [Edit(toks[0].index.span(*r), content)]


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply line/column edits (1-based, end exclusive) to ``text``; used by tests and tools."""
    starts = [0]
    for k, c in enumerate(text):
        if c == "\n":
            starts.append(k + 1)

    def off(line: int, col: int) -> int:
        return starts[line - 1] + col - 1
    ordered = sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True)
    for e in ordered:
        a = off(e.span.line, e.span.column)
        b = off(e.span.end_line or e.span.line, e.span.end_column or e.span.column)
        text = text[:a] + e.content + text[b:]
    return text
