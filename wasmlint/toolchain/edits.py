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
    if len(toks) == 1 and text[start:end] == toks[0].value:
        return start, end       # one argument, as written (most edits): nothing lies between
    between = text[start:end].replace("\\\n", "")      # line continuations separate words too
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
    elements of a list literal, their separator); a line left holding only a ``\\``
    continuation goes whole, and when they ended a continued command, the ``\\``
    that continued it goes too."""
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
    start, end = _whole_lines(text, start, end)
    return [Edit(toks[0].index.span(start, end), "")]


def _whole_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a deletion so that it leaves no line holding only a ``\\`` continuation."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    if text[ls:start].strip() or text[end:le].strip() not in ("", "\\"):
        return start, end
    if text[end:le].strip() == "\\":
        return ls, min(le + 1, len(text))          # the line held only these words
    if ls >= 2 and text[ls - 2] == "\\":                # the last words of a continued command
        k = ls - 2
        while k > 0 and text[k - 1] in " \t":
            k -= 1
        return k, le
    return start, end


def remove_many(groups: list[list[Tok]]) -> list[Edit] | None:
    """Delete several arguments (each group: one argument's words), those written
    next to each other in one deletion; None when one of them cannot be edited."""
    groups = sorted((g for g in groups if g), key=lambda g: g[0].text.source_range() or (-1, -1))
    runs: list[list[Tok]] = []
    for g in groups:
        prev = runs[-1] if runs else None
        if prev and prev[-1].index is g[0].index and _adjacent(prev[-1], g[0]):
            prev.extend(g)
        else:
            runs.append(list(g))
    edits = [remove_args(run) for run in runs]
    return None if any(not e for e in edits) else [e for es in edits for e in es]


def _adjacent(a: Tok, b: Tok) -> bool:
    ra, rb = a.text.source_range(), b.text.source_range()
    if ra is None or rb is None or rb[0] < ra[1]:
        return False
    between = a.index.text[ra[1]:rb[0]].replace("\\\n", "")
    return all(c.isspace() or c in QUOTES for c in between)


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
