"""Human output: each finding with a code frame (text) or a hex frame (binaries)
and its fix, then a summary."""
from __future__ import annotations

from collections import Counter

from .escape import clip, visible

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


def _source_lines(abspath: str, cache: dict) -> list[str] | None:
    if abspath not in cache:
        try:
            with open(abspath, "rb") as fh:
                raw = fh.read(16 << 20)
            cache[abspath] = None if b"\0" in raw[:8192] else raw.decode("utf-8", "replace").splitlines()
        except OSError:
            cache[abspath] = None
    return cache[abspath]


FRAME_WIDTH = 120     # characters of a source line shown around the finding


def _frame(text: str, span) -> tuple[str, str]:
    """The source line (a window around the span when it is long, with `…` where cut)
    and the caret line under the span's part of it."""
    start = span.column - 1
    end = span.end_column - 1 if span.end_line in (None, span.line) and span.end_column else len(text)
    end = max(start + 1, min(end, len(text) + 1))
    lo = 0 if len(text) <= FRAME_WIDTH or start < FRAME_WIDTH // 3 else start - FRAME_WIDTH // 3
    hi = min(len(text), lo + FRAME_WIDTH)
    window = text[lo:hi].replace("\t", " ")     # one column each, so the caret stays under the span
    shown = ("…" if lo else "") + visible(window) + ("…" if hi < len(text) else "")
    caret_from = start - lo + (1 if lo else 0)
    caret_len = max(1, min(end, hi + 1) - start)
    return shown, " " * max(0, caret_from) + "^" * min(caret_len, FRAME_WIDTH)


def _hex_frame(abspath: str, offset: int) -> list[str]:
    start = max(0, (offset // 16) * 16 - 16)
    try:
        with open(abspath, "rb") as fh:
            fh.seek(start)
            chunk = fh.read(48)
    except OSError:
        return []
    rows = []
    for i in range(0, len(chunk), 16):
        row = chunk[i:i + 16]
        hexes = " ".join(f"{b:02x}" for b in row)
        mark = "  <--" if start + i <= offset < start + i + 16 else ""
        rows.append(f"0x{start + i:08x}  {hexes:<47}{mark}")
    return rows


def render(diags, out, *, paths=None, fixable=0, hidden=0, show_fixes=True, quiet=False, **_) -> None:
    """All of it goes out as one rich ``Text`` (one print, not one per line: a run with
    thousands of findings would otherwise spend seconds in rich)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True)
    doc = Text()

    def line(text: str = "", style: str | None = None) -> None:
        doc.append(text, style=style)
        doc.append("\n")

    abspaths = paths or {}
    cache: dict = {}
    for d in diags:
        doc.append(visible(f"{d.span.path}:{d.span.line}:{d.span.column}"), style="bold")
        doc.append(": ")
        doc.append(f"{d.severity}[{d.code}]", style=_STYLE[d.severity])
        doc.append(" " + visible(d.message))
        if d.target and d.target not in d.message:
            doc.append(f" (target {d.target})", style="dim")
        line()
        ap = abspaths.get(d.span.path.split("#", 1)[0])
        lines = _source_lines(ap, cache) if ap else None
        if lines is not None and 1 <= d.span.line <= len(lines) and "#wasm@" not in d.span.path:
            shown, caret = _frame(lines[d.span.line - 1], d.span)
            width = len(str(d.span.line))
            line(f"  {d.span.line} | {shown}")
            line(f"  {' ' * width} | " + caret, _STYLE[d.severity])
            if d.span.end_line and d.span.end_line > d.span.line:
                line(f"  {' ' * width} | … and {d.span.end_line - d.span.line} more line"
                     f"{'s' if d.span.end_line - d.span.line > 1 else ''}", "dim")
        elif d.span.offset is not None and ap:
            for row in _hex_frame(ap, d.span.offset):
                line(f"  {row}", "dim")
        for r in d.related:
            line(visible(f"  = related: {r.span.path}:{r.span.line}:{r.span.column}: {r.message}"), "dim")
        if d.fix and show_fixes:
            label = {"safe": "fix", "unsafe": "unsafe fix", "suggestion": "help"}[d.fix.applicability]
            line(f"  = {label}: " + visible(clip(d.fix.description, 300)), "green")
        line()
    counts = Counter(d.severity for d in diags)
    if quiet:     # --quiet: the findings and nothing else
        if diags:
            console.print(doc, end="")
        return
    if diags:
        parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning", "info") if counts[s]]
        summary = f"Found {len(diags)} problem{'s' if len(diags) != 1 else ''} ({', '.join(parts)})."
        if fixable:
            summary += f" {fixable} fixable with --fix."
        if hidden:
            summary += (f" {hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the "
                        "`--unsafe-fixes` option.")
        doc.append(summary, style="bold")
    else:
        doc.append("All checks passed!", style="bold green")
    console.print(doc)
