"""Diagnostics, fixes and edits: what rules produce and reporters render."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .facts import Span

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
APPLICABILITIES = ("safe", "unsafe", "suggestion")


@dataclass(frozen=True)
class Edit:
    """Replace the text of ``span`` (line/column based, end exclusive) by ``content``.

    An insertion has start == end. ``merge`` (an insertion of flags into a command
    line, ``launch.args.FlagWords``) lets the fix engine merge it with other
    insertions at the same place: ``merge.combine([...])`` is their one text.
    """

    span: Span
    content: str
    merge: Any = field(default=None, compare=False)

    def to_json(self) -> dict:
        s = self.span.to_json()
        return {"path": s["path"], "line": s["line"], "column": s["column"],
                "end_line": s["end_line"], "end_column": s["end_column"],
                "content": self.content}


@dataclass(frozen=True)
class Fix:
    description: str
    applicability: str = "suggestion"
    edits: tuple[Edit, ...] = ()

    def to_json(self) -> dict:
        return {"applicability": self.applicability, "description": self.description,
                "edits": [e.to_json() for e in self.edits]}


@dataclass(frozen=True)
class Proposal:
    """What a fix builder may return besides edits or a suggestion text: edits
    with their own title, for a fix whose meaning depends on what it found."""

    title: str
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True)
class Related:
    span: Span
    message: str

    def to_json(self) -> dict:
        return {"path": self.span.path, "line": self.span.line,
                "column": self.span.column, "message": self.message}


@dataclass
class Diagnostic:
    code: str
    name: str
    severity: str
    message: str
    span: Span
    target: str | None = None
    related: list[Related] = field(default_factory=list)
    fix: Fix | None = None
    url: str | None = None
    fact: Any = field(default=None, compare=False, repr=False)     # the fact it was found on
    also_at: tuple = field(default=(), compare=False, repr=False)  # other places of its root cause (rootcause.py)
    scope: str | None = field(default=None, compare=False)          # production, test, … (wasmlint.scopes)
    data: dict | None = field(default=None, compare=False)          # a rule's structured detail (its `data` key)

    @property
    def variant(self) -> str | None:
        """The build variant of its fact (``ifdef DEBUG``), if any."""
        return getattr(self.fact, "variant", None)

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.line, self.span.column, self.code,
                self.target or "", self.message)

    def to_json(self) -> dict:
        s = self.span.to_json()
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "path": s["path"],
            "line": s["line"],
            "column": s["column"],
            "end_line": s["end_line"],
            "end_column": s["end_column"],
            "offset": s["offset"],
            "target": self.target,
            "scope": self.scope,
            "related": [r.to_json() for r in self.related],
            "fix": self.fix.to_json() if self.fix else None,
            "url": self.url,
            **({"data": self.data} if self.data is not None else {}),
        }
