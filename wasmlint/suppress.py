"""Inline suppressions and per-file ignores (pipeline stage 5).

``wasmlint: disable=WL101,growable-memory`` at the end of a line,
``wasmlint: disable-next-line=…`` on the line before, ``wasmlint: disable-file=…``
anywhere; always inside a comment of the file's own syntax.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .diagnostics import Diagnostic
from .pathmatch import match_any

_DIRECTIVE = re.compile(
    r"wasmlint:\s*(disable-next-line|disable-file|disable)\s*=\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)")
# Comment openers per kind family; JSON has none (use per-file-ignores).
_COMMENT = {
    "js": ("//", "/*", "*"),
    "npmrc": (";", "#"),
}
_HASH = ("#",)
_NO_COMMENTS = ("package-json", "nodemon", "firebase", "vercel", "wasm")


@dataclass(frozen=True)
class Directive:
    path: str
    line: int          # the line the directive sits on
    column: int
    action: str        # disable | disable-next-line | disable-file
    selectors: tuple[str, ...]

    def applies_to_line(self) -> int | None:
        if self.action == "disable":
            return self.line
        if self.action == "disable-next-line":
            return self.line + 1
        return None


def scan(path: str, kind: str, text: str) -> list[Directive]:
    if kind in _NO_COMMENTS or "wasmlint:" not in text:
        return []
    openers = _COMMENT.get(kind, _HASH)
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if "wasmlint:" not in line:
            continue
        for m in _DIRECTIVE.finditer(line):
            before = line[:m.start()]
            if not any(op in before for op in openers):
                continue
            sels = tuple(s.strip() for s in m.group(2).split(","))
            out.append(Directive(path, lineno, m.start() + 1, m.group(1), sels))
    return out


def _selected(d: Diagnostic, selectors) -> bool:
    for s in selectors:
        if s.upper() == "ALL" or s.upper() == d.code or s.lower() == d.name:
            return True
    return False


def apply(diags: list[Diagnostic], directives: dict[str, list[Directive]],
          per_file_ignores: dict[str, list[str]]) -> tuple[list[Diagnostic], set[Directive]]:
    """Drop suppressed diagnostics; return the kept ones and the directives used."""
    kept, used = [], set()
    for d in diags:
        path = d.span.path.split("#", 1)[0]
        suppressed = False
        for directive in directives.get(path, ()):
            line = directive.applies_to_line()
            if (line is None or line == d.span.line) and _selected(d, directive.selectors):
                used.add(directive)
                suppressed = True
        if not suppressed:
            for pattern, sels in per_file_ignores.items():
                if match_any(path, [pattern]) and _selected(d, sels):
                    suppressed = True
                    break
        if not suppressed:
            kept.append(d)
    return kept, used
