"""The project graph (pipeline stage 3): all facts of the run, indexed, with
the edges that cross-file rules follow."""
from __future__ import annotations

from dataclasses import dataclass, field

from .facts import Fact


@dataclass
class Project:
    facts: list[Fact]
    files: dict[str, str] = field(default_factory=dict)    # display path -> kind
    by_kind: dict[str, list[Fact]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Fact]:
        return self.by_kind.get(kind, [])

    @property
    def threaded(self) -> list[Fact]:
        """Facts that make a threaded build: shared memories, pthreads link settings."""
        from .memory import MemoryLike
        return [f for f in self.facts
                if (isinstance(f, MemoryLike) and getattr(f, "shared", False)) or getattr(f, "pthreads", False) is True]

    @property
    def uses_threads(self) -> bool:
        return bool(self.threaded)

    @property
    def contains_wasm(self) -> bool:
        """The project ships WebAssembly: a binary or a module embedded in JS."""
        return bool(self.by_kind.get("wasm-module"))


def link(facts: list[Fact], files: dict[str, str]) -> Project:
    by_kind: dict[str, list[Fact]] = {}
    for f in facts:
        by_kind.setdefault(f.kind, []).append(f)
    return Project(facts=facts, files=files, by_kind=by_kind)
