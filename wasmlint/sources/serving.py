"""What every serving-config source shares: the ``serving-config`` fact (the
response headers a config sets) and cross-origin isolation (WL308)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..facts import Fact

UNKNOWN = "\0computed"        # a header value the config computes at run time

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
    served: list[str] = field(default_factory=list)    # folders it publishes, relative to its own folder
    # a vite config of tool sections only (lint, fmt, test…): it serves its folder's
    # index.html, if there is one, and nothing else
    needs_page: bool = False

    def add(self, name: str, value: str) -> None:
        self.headers.setdefault(name.strip().lower(), []).append(value.strip().strip("'\"").strip())

    @property
    def missing_isolation(self) -> list[str]:
        """The isolation headers this config does not set to an isolating value (a value
        it computes, ``UNKNOWN``, may be one: no finding rather than a wrong one)."""
        missing = []
        for name, good in ISOLATION.items():
            values = [v.lower() for v in self.headers.get(name, [])]
            if UNKNOWN not in values and not any(v.split(";")[0].strip() in good for v in values):
                missing.append({"cross-origin-opener-policy": "Cross-Origin-Opener-Policy: same-origin",
                                "cross-origin-embedder-policy": "Cross-Origin-Embedder-Policy: require-corp"}[name])
        return missing

    def _served_threads(self, ctx) -> list:
        """The threaded builds this config may serve: those in its package (the folder of
        the nearest package.json above it, else the whole project) that are deployed or
        built (production, unknown, tooling) or of the config's own scope. A dev server
        does not serve a sibling package's test binaries, nor its own test inputs."""
        project = ctx.project
        if project is None or self.needs_page and not self._has_page(project):
            return []
        root = project.package_root(self.span.path)
        served = {"production", "unknown", "tooling", ctx.scope_of(self).scope}
        return [f for f in project.threaded
                if (not root or f.span.path.split("#", 1)[0].startswith(root + "/"))
                and ctx.scope_of(f).scope in served]

    def _has_page(self, project) -> bool:
        """An ``index.html`` beside the config (what ``vite dev`` serves at ``/``); a config
        the run cannot place counts as having one."""
        names = project.names_beside(self.span.path)
        return names is None or "index.html" in names

    def threads_in_project(self, ctx) -> bool:
        return bool(self._served_threads(ctx))

    def threaded_builds(self, ctx) -> list:
        """(span, message) of the threaded builds, for related locations."""
        return [(f.span, "threaded build (shared memory)") for f in self._served_threads(ctx)[:3]]
