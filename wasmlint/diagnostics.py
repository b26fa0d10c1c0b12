"""Diagnostics, fixes and edits: what rules produce and reporters render."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
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


class Deferred:
    """A fix not built yet: ``make()`` builds it (or None) when the fix is first read. A
    check finds thousands of findings and shows few (one per root cause, those of the files
    asked for); their fixes are built for a report, ``--fix`` or the grouping that reads them."""

    __slots__ = ("make", "value")

    def __init__(self, make):
        self.make, self.value = make, None

    def built(self):
        """The fix, built once (the copies ``replaced`` makes of a finding share it)."""
        if self.make is not None:
            self.value, self.make = self.make(), None
        return self.value


class _BuiltOnRead:
    """``Diagnostic.fix``: a ``Deferred`` given for it is built at the first read and kept."""

    def __set_name__(self, owner, name: str) -> None:
        self.slot = "_" + name

    def __get__(self, obj, owner=None):
        if obj is None:
            return None             # the field's default
        value = obj.__dict__[self.slot]
        if type(value) is Deferred:
            value = obj.__dict__[self.slot] = value.built()
        return value

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.slot] = value


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
    fix: Fix | None = _BuiltOnRead()       # type: ignore[assignment]  # a Deferred is built when read
    url: str | None = None
    fact: Any = field(default=None, compare=False, repr=False)     # the fact it was found on
    also_at: tuple = field(default=(), compare=False, repr=False)  # other places of its root cause (rootcause.py)
    scope: str | None = field(default=None, compare=False)          # production, test, … (wasmlint.scopes)
    data: dict | None = field(default=None, compare=False)          # a rule's structured detail (its `data` key)

    def replaced(self, **changes) -> "Diagnostic":
        """``dataclasses.replace`` that leaves a fix not built yet unbuilt."""
        changes.setdefault("fix", self.__dict__["_fix"])
        return replace(self, **changes)

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
