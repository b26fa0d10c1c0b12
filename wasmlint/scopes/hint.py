"""``scope-hint``: a region of a file that a surface gives a scope — a package.json
script run by a test runner, a CI job that only tests. Facts inside the region
(a build in the script, NODE_OPTIONS in the job) take its scope."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..facts import Fact, Span
from . import Scoped


@dataclass
class ScopeHint(Fact):
    kind: ClassVar[str] = "scope-hint"
    scope: str = "unknown"
    reason: str = ""
    name: str = ""       # the unit's, as shown (`script emcc-debug`, `job build`)

    @property
    def scoped(self) -> Scoped:
        return Scoped(self.scope, self.reason)

    def contains(self, span: Span) -> bool:
        s = self.span
        return (s.path == span.path and (s.line, s.column) <= (span.line, span.column)
                and (span.end_line or span.line, span.end_column or span.column)
                <= (s.end_line or s.line, s.end_column or s.column))
