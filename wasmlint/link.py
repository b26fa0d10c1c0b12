"""The project graph (pipeline stage 3): all facts of the run, indexed, with
the edges that cross-file rules follow (``graph.py``)."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import cached_property

from .facts import Fact
from .graph import Graph, build, launch_id, spec_path


@dataclass
class Project:
    facts: list[Fact]
    files: dict[str, str] = field(default_factory=dict)    # display path -> kind
    by_kind: dict[str, list[Fact]] = field(default_factory=dict)
    graph: Graph = field(default_factory=Graph)

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

    @cached_property
    def wasm_files(self) -> set[str]:
        """Files that are, embed or load WebAssembly themselves."""
        out = {f.span.path for f in self.of_kind("wasm-module")}
        out |= {f.span.path for f in self.facts if getattr(f, "uses_webassembly", False)}
        return out

    def package_root(self, path: str) -> str:
        d = posixpath.dirname(path)
        while True:
            if posixpath.join(d, "package.json") in self.files or (d == "" and "package.json" in self.files):
                return d
            if d in ("", "/", "."):
                return ""
            d = posixpath.dirname(d)

    def launch_loads_wasm(self, launch: Fact) -> bool:
        """Whether a node launch reaches WebAssembly. A launch whose script resolves
        follows the graph; an unresolved one counts its package (nearest
        package.json folder) as loading WebAssembly when that package has any."""
        lid = launch_id(launch)
        runs = [e for e in self.graph.out.get(lid, ()) if e.kind == "runs"]
        if any(e.dst for e in runs):
            reached = set(self.graph.reachable(lid))
            return bool(reached & self.wasm_files)
        root = self.package_root(launch.span.path)
        return any(p.startswith(root + "/") or root == "" for p in self.wasm_files)

    @cached_property
    def _launch_reach(self) -> list[tuple[Fact, set[str]]]:
        """Each node launch with the paths it reaches: files of the run, and the files its
        scripts name that the run does not hold (``require('../dist/codec.js')`` of a
        build output made in the image)."""
        out = []
        for launch in self.of_kind("node-launch"):
            nodes = set(self.graph.reachable(launch_id(launch)))
            named = {spec_path(e.spec, e.src) for n in nodes for e in self.graph.out.get(n, ())
                     if e.dst is None}
            out.append((launch, nodes | {p for p in named if p}))
        return out

    def launches_reaching(self, path: str) -> list[Fact]:
        return [f for f, reached in self._launch_reach if path in reached]

    @cached_property
    def _builds(self) -> dict[tuple, list[str]]:
        out: dict[tuple, list[str]] = {}
        for e in self.graph.edges:
            if e.kind == "builds" and e.dst:
                out.setdefault((e.src, e.span), []).append(e.dst)
        return out

    def built_by(self, fact: Fact) -> list[str]:
        """The files of the run a build fact writes (its resolved ``builds`` edges)."""
        return self._builds.get((fact.span.path, fact.span), [])

    @cached_property
    def embedded_modules(self) -> dict[str, list[Fact]]:
        """File → the ``wasm-module`` facts of the modules embedded in it."""
        out: dict[str, list[Fact]] = {}
        for f in self.of_kind("wasm-module"):
            if f.embedded_in:  # type: ignore[attr-defined]
                out.setdefault(f.embedded_in, []).append(f)  # type: ignore[attr-defined]
        return out

    def modules_at(self, path: str) -> list[str]:
        """The modules a file carries: the binary itself, else the modules embedded in it
        (as virtual paths ``file#wasm@OFFSET``), then the binaries it loads (glue)."""
        if self.files.get(path) == "wasm":
            return [path]
        out = [f.virtual_path for f in self.embedded_modules.get(path, ())]  # type: ignore[attr-defined]
        out += [e.dst for e in self.graph.out.get(path, ()) if e.kind == "loads-wasm" and e.dst
                and self.files.get(e.dst) == "wasm"]
        return out

    def targets_for(self, fact: Fact, config) -> list | None:
        """Per-artifact targets (design.md): a module reached from node launches is
        checked against ``node`` with the launches' memory limit as its budget. A build
        is judged by what it writes (``artifact_paths``: an emcc link's JS and .wasm)."""
        from .config import Target
        paths = getattr(fact, "artifact_paths", None) or [
            (getattr(fact, "virtual_path", None) or fact.span.path).split("#", 1)[0]]
        launches = [f for f, reached in self._launch_reach if any(p in reached for p in paths)]
        if not launches:
            return None
        limits = [f.memory_limit_bytes for f in launches if getattr(f, "memory_limit_bytes", None)]
        return [Target("node", min(limits) if limits else None)]


def link(facts: list[Fact], files: dict[str, str]) -> Project:
    """``project.facts``: the facts with those that only the whole project decides settled
    (a RUSTFLAGS build's triple from the cargo config): rules read these."""
    from .toolchain.cargo import resolve_build_targets
    facts = resolve_build_targets(facts, files)
    by_kind: dict[str, list[Fact]] = {}
    for f in facts:
        by_kind.setdefault(f.kind, []).append(f)
    return Project(facts=facts, files=files, by_kind=by_kind, graph=build(facts, files))
