"""What every serving-config source shares: the ``serving-config`` fact (the
response headers a config sets) and cross-origin isolation (WL308)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..facts import Fact

ISOLATION = {
    "cross-origin-opener-policy": ("same-origin",),
    "cross-origin-embedder-policy": ("require-corp", "credentialless"),
}


@dataclass
class ServingConfig(Fact):
    """Response headers a serving config sets (any path it serves)."""

    kind: ClassVar[str] = "serving-config"
    server: str = ""
    headers: dict[str, list[str]] = field(default_factory=dict)   # lower-case name -> values

    def add(self, name: str, value: str) -> None:
        self.headers.setdefault(name.strip().lower(), []).append(value.strip().strip("'\"").strip())

    @property
    def missing_isolation(self) -> list[str]:
        """The isolation headers this config does not set to an isolating value."""
        missing = []
        for name, good in ISOLATION.items():
            values = [v.lower() for v in self.headers.get(name, [])]
            if not any(v.split(";")[0].strip() in good for v in values):
                missing.append({"cross-origin-opener-policy": "Cross-Origin-Opener-Policy: same-origin",
                                "cross-origin-embedder-policy": "Cross-Origin-Embedder-Policy: require-corp"}[name])
        return missing

    def threads_in_project(self, ctx) -> bool:
        project = ctx.project
        return bool(project is not None and project.uses_threads)

    def threaded_builds(self, ctx) -> list:
        """(span, message) of the threaded builds, for related locations."""
        if ctx.project is None:
            return []
        return [(f.span, "threaded build (shared memory)") for f in ctx.project.threaded[:3]]
