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
    """The source range of consecutive arguments, when nothing but blanks, quotes and
    (between the elements of a list literal) commas lies between them."""
    ranges = []
    for t in toks:
        if not t.text.is_exact():
            return None
        ranges.append(t.text.source_range())
    start, end = ranges[0][0], ranges[-1][1]
    text = toks[0].index.text
    between = text[start:end]
    joined = "".join(t.value for t in toks)
    if "".join(c for c in between if not c.isspace() and c not in QUOTES + ",") != \
            "".join(c for c in joined if not c.isspace() and c not in QUOTES + ","):
        return None
    return start, end


def _list_element(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` (a quoted literal) widened to its element of a list literal
    (``'-sX=1', `` in JS, Python, Meson, Rust), the whole line when it stands alone;
    None when it is a method call's only argument (Rust's ``.arg("-sX=1")``), which cannot go."""
    after, before = end, start
    while after < len(text) and text[after] in " \t":
        after += 1
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    if after < len(text) and text[after] == ")" and before > 0 and text[before - 1] == "(":
        name = before - 1
        while name > 0 and (text[name - 1].isalnum() or text[name - 1] == "_"):
            name -= 1
        if name > 0 and text[name - 1] == ".":
            return None
    if after < len(text) and text[after] == ",":
        end = after + 1
        while end < len(text) and text[end] in " \t":
            end += 1
    elif before > 0 and text[before - 1] == "," and after < len(text) and text[after] in "])":
        start = before - 1
    else:
        return start, end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if not text[line_start:start].strip() and not text[end:line_end].strip() and line_end < len(text):
        return line_start, line_end + 1
    return start, end   # a separator and the blanks after it (or before the last element) go with it


def remove_args(toks: list[Tok]) -> list[Edit]:
    """Delete consecutive arguments and one side's blanks (and their own quotes, and as
    elements of a list literal, their separator)."""
    if not toks or any(t.index is not toks[0].index for t in toks):
        return []
    r = _range(toks)
    if r is None:
        return []
    start, end = r
    text = toks[0].index.text
    if start > 0 and end < len(text) and text[start - 1] == text[end] and text[end] in QUOTES:
        element = _list_element(text, start - 1, end + 1)
        if element is None:
            return []
        if element != (start - 1, end + 1):
            return [Edit(toks[0].index.span(*element), "")]
        start, end = element
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
