"""The project graph (pipeline stage 3): all facts of the run, indexed, with
the edges that cross-file rules follow (``graph.py``) and the scope of every
file, launch and fact (``scopes/assign.py``)."""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from functools import cached_property

from .facts import Fact, Span
from .graph import Graph, build, launch_id, spec_path


@dataclass
class Project:
    facts: list[Fact]
    files: dict[str, str] = field(default_factory=dict)    # display path -> kind
    by_kind: dict[str, list[Fact]] = field(default_factory=dict)
    graph: Graph = field(default_factory=Graph)
    abspaths: dict[str, str] = field(default_factory=dict)  # display path -> absolute path
    roots: list[str] = field(default_factory=list)          # the run's folders (runpaths.run_roots)
    _scopes: dict = field(default_factory=dict, repr=False)
    _rel: dict[str, str] = field(default_factory=dict, repr=False)
    memo: dict = field(default_factory=dict)     # what rules derive once per run, keyed by its owner

    def rel(self, path: str) -> str:
        """``path`` relative to the run's folder holding it (else as displayed)."""
        known = self._rel.get(path)
        if known is None:       # once per path: every fact, finding and output of a file asks
            from .runpaths import project_relative
            abspath = self.abspaths.get(path)
            known = self._rel[path] = (project_relative(abspath, self.roots) if abspath else None) or path
        return known

    def scopes(self, config):
        """The scope map of this project under ``config`` (computed once)."""
        key = id(config)
        if key not in self._scopes:
            from .scopes.assign import assign
            self._scopes[key] = assign(self, config)
        return self._scopes[key]

    def of_kind(self, kind: str) -> list[Fact]:
        return self.by_kind.get(kind, [])

    def names_beside(self, path: str) -> list[str] | None:
        """The names of the regular files in the folder of ``path`` on disk, read or not
        (wasmlint reads no HTML: the page beside a vite config is looked up there); None
        when the run did not place ``path``."""
        from .paths import file_names
        abspath = self.abspaths.get(path)
        return None if abspath is None else file_names(os.path.dirname(abspath), 100_000)

    def executable(self, path: str) -> bool | None:
        """Whether the file has an execute bit (the kernel runs it, shebang and all); None
        when the run did not place it or cannot stat it."""
        abspath = self.abspaths.get(path)
        try:
            return None if abspath is None else bool(os.stat(abspath).st_mode & 0o111)
        except OSError:
            return None

    def at(self, kind: str, path: str) -> list[Fact]:
        """The facts of ``kind`` found in the file ``path``."""
        if ("at", kind) not in self.memo:
            index: dict[str, list[Fact]] = {}
            for f in self.of_kind(kind):
                index.setdefault(f.span.path, []).append(f)
            self.memo[("at", kind)] = index
        return self.memo[("at", kind)].get(path, [])

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
        """The nearest folder above ``path`` holding a package.json ("" at the top); once a
        path per run (every launch of a file asks)."""
        roots = self.memo.setdefault("package_root", {})
        root = roots.get(path)
        if root is None:
            root = roots[path] = self._package_root(path)
        return root

    def _package_root(self, path: str) -> str:
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

    @cached_property
    def _launches_by_path(self) -> dict[str, list[tuple[int, Fact]]]:
        """Path → (order, launch) of the launches reaching it (a scan of every launch per
        fact was quadratic)."""
        index: dict[str, list[tuple[int, Fact]]] = {}
        for k, (f, reached) in enumerate(self._launch_reach):
            for p in reached:
                index.setdefault(p, []).append((k, f))
        return index

    @cached_property
    def edges_by_span(self) -> dict[tuple, list]:
        """(kind, span) → the graph edges of the fact at that span."""
        index: dict[tuple, list] = {}
        for edges in self.graph.out.values():
            for e in edges:
                index.setdefault((e.kind, e.span), []).append(e)
        return index

    @cached_property
    def cargo_configs(self) -> list[Fact]:
        """The ``rust-link`` facts of cargo config files (a scan of every link per build was quadratic)."""
        return [f for f in self.of_kind("rust-link") if getattr(f, "origin", None) == "cargo-config"]

    @cached_property
    def grows_by_receiver(self) -> dict[tuple[str, str], list[Fact]]:
        """(file, receiver) → the ``grow`` calls on that name in that file."""
        index: dict[tuple[str, str], list[Fact]] = {}
        for g in self.of_kind("js-memory-grow"):
            index.setdefault((g.span.path, g.receiver), []).append(g)   # type: ignore[attr-defined]
        return index

    def launches_reaching(self, path: str) -> list[Fact]:
        return [f for _, f in self._launches_by_path.get(path, ())]

    @cached_property
    def _builds(self) -> dict[tuple, list[str]]:
        out: dict[tuple, list[str]] = {}
        for e in self.graph.edges:
            if e.kind == "builds" and e.dst:
                out.setdefault((e.src, e.span), []).append(e.dst)
        return out

    @cached_property
    def emcc_js_inputs(self) -> dict[str, tuple[Fact, str]]:
        """File → (the emcc link, its option) of the JavaScript a link pastes into the glue
        it writes (``--pre-js``, ``--js-library`` …): a fragment of that glue, which may not
        parse on its own (a pre-js opens a block its post-js closes)."""
        out: dict[str, tuple[Fact, str]] = {}
        for f in self.of_kind("emcc-invocation"):
            ends = {e.spec: e.dst for e in self.edges_by_span.get(("links-js", f.span), ())
                    if e.src == f.span.path and e.dst}
            for option, spec in f.js_inputs:      # type: ignore[attr-defined]
                if spec in ends:
                    out.setdefault(ends[spec], (f, option))
        return out

    def emcc_js_input(self, path: str) -> str | None:
        """How an emcc link uses ``path`` (``--pre-js` of the emcc link at Makefile:90``), or None."""
        found = self.emcc_js_inputs.get(path)
        return None if found is None else f"`{found[1]}` of the emcc link at {found[0].span.path}:{found[0].span.line}"

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

    @cached_property
    def _node_glue(self) -> set[str]:
        """Files that run in node only: Emscripten glue built for node (``js.emscripten_env``),
        a file whose module scope loads a node-only builtin (``js.node_runtime``), what the node
        twin of a web link writes (``node_twins``), what a package publishes for node alone
        (``node_entries``)."""
        from .node_entries import node_only_published
        from .node_twins import node_twin_outputs
        return {f.span.path for f in self.of_kind("js-module")
                if getattr(f, "node_glue", False) or getattr(f, "node_runtime", None)} \
            | node_twin_outputs(self.of_kind("emcc-invocation")) | node_only_published(self)

    def _node_variant(self, path: str) -> bool:
        """``path`` runs in node only (glue built for node, a loader that requires node's own
        modules), or is a module that only such files load."""
        if path in self._node_glue:
            return True
        loaders = [e.src for e in self.graph.into.get(path, ()) if e.kind == "loads-wasm"]
        return bool(loaders) and all(src in self._node_glue for src in loaders)

    def targets_for(self, fact: Fact, config) -> list | None:
        """Per-artifact targets (design.md): a module a deployment ships (``deployment.py``)
        is checked against that platform, with the memory the deployment configures; a
        module reached from node launches against ``node`` with the launches' memory limit
        as its budget; so is a variant built for node only (Emscripten glue with
        ``-sENVIRONMENT=node``, a loader whose module scope requires ``node:wasi``, and the
        module only such files load), without a budget. A
        build is judged by what it writes (``artifact_paths``: an emcc link's JS and .wasm)."""
        if not (self._deployments_by_path or self._launches_by_path or self._node_glue):
            return None     # no fact has targets of its own: nothing to look up per fact
        paths = getattr(fact, "artifact_paths", None) or [
            (getattr(fact, "virtual_path", None) or fact.span.path).split("#", 1)[0]]
        deployed = self.deployment_targets(paths, config)
        node = self._node_targets(paths)
        if not deployed:
            return node
        return deployed + [t for t in node or () if t.name not in {d.name for d in deployed}]

    def _node_targets(self, paths: list[str]) -> list | None:
        from .config import Target
        found = {k: f for p in paths for k, f in self._launches_by_path.get(p, ())}
        launches = [found[k] for k in sorted(found)]
        if not launches:
            return [Target("node", None)] if all(self._node_variant(p) for p in paths) else None
        limits = [f.memory_limit_bytes for f in launches if getattr(f, "memory_limit_bytes", None)]
        return [Target("node", min(limits) if limits else None)]

    @cached_property
    def deployment_reach(self) -> dict[Span, tuple[Fact, set[str]]]:
        """Deployment span → (the deployment, the paths it ships): each entry (a file of the
        run, a glob over them, or a module a build writes that the run does not hold), what
        the entry reaches in the graph, and for an app's manifest (``whole_folder``) every
        module under its folder."""
        from .graph import output_path
        from .pathmatch import match_any
        out: dict[Span, tuple[Fact, set[str]]] = {}
        modules = [p for p, kind in self.files.items() if kind == "wasm"]
        for d in self.of_kind("deployment"):
            starts: set[str] = set()
            for e in self.edges_by_span.get((d.ref_kind, d.span), ()):  # type: ignore[attr-defined]
                start = e.dst or output_path(e.spec, e.src)
                if start:
                    starts.add(start)
            globs = [posixpath.join(d.folder, e) for e in d.entries if any(c in e for c in "*?[")]  # type: ignore[attr-defined]
            starts |= {p for p in self.files if globs and match_any(p, globs)}
            reached = set(starts)
            for start in starts:
                reached.update(self.graph.reachable(start))
            if d.whole_folder:  # type: ignore[attr-defined]
                folder = d.folder  # type: ignore[attr-defined]
                reached.update(p for p in modules if not folder or p.startswith(folder + "/"))
            out[d.span] = (d, reached)
        return out

    @cached_property
    def _deployments_by_path(self) -> dict[str, list[Fact]]:
        index: dict[str, list[Fact]] = {}
        for d, reached in self.deployment_reach.values():
            for p in reached:
                index.setdefault(p, []).append(d)
        return index

    def deployments_reaching(self, path: str) -> list[Fact]:
        return self._deployments_by_path.get(path, [])

    def deployment_targets(self, paths: list[str], config) -> list:
        """The platform targets of the deployments that ship any of ``paths``: one per
        platform, with the smallest memory its deployments configure, and the built-in
        targets the platform's profile also checks (``also-targets``: Electron's Chromium
        is ``desktop``)."""
        best: dict[str, object] = {}
        for d in {id(d): d for p in paths for d in self._deployments_by_path.get(p, ())}.values():
            t = d.target(config)  # type: ignore[attr-defined]
            have = best.get(t.name)
            if have is None or (t.budget_bytes or 1 << 62) < (have.budget_bytes or 1 << 62):  # type: ignore[attr-defined]
                best[t.name] = t
            for extra in t.limit("also_targets") or ():
                best.setdefault(extra, config.target(extra))
        return list(best.values())


def _texts(files: dict[str, str], abspaths: dict[str, str]):
    """(path, text) of the run's text files, read when asked (``make_includes``)."""
    for path, kind in files.items():
        if kind == "wasm" or path not in abspaths:
            continue
        try:
            with open(abspaths[path], "rb") as fh:
                data = fh.read(1 << 20)
        except OSError:
            continue
        if b"\0" not in data:
            yield path, data.decode("utf-8", "replace")


def link(facts: list[Fact], files: dict[str, str], abspaths: dict[str, str] | None = None,
         roots: list[str] | None = None) -> Project:
    """``project.facts``: the facts with those that only the whole project decides settled
    (a RUSTFLAGS build's triple from the cargo config, the Cargo profiles cargo reads, the
    module a Rust build writes, the Dockerfile launch a compose service runs, the Emscripten releases
    the builds run with): rules read these.
    ``abspaths`` and ``roots`` (the run's folders) place files for the production scope."""
    from .launch import compose_image
    from .js import module_options
    from .sources import napi_wasm, terraform
    from .toolchain import cargo_link, debug_build, emenv, flag_sets
    facts = flag_sets.settle(compose_image.settle(cargo_link.settle(facts, files)),
                             read=lambda: _texts(files, abspaths or {}))
    facts = emenv.settle(debug_build.settle(facts))
    facts = napi_wasm.settle(module_options.settle(terraform.settle(facts)), files)
    by_kind: dict[str, list[Fact]] = {}
    for f in facts:
        by_kind.setdefault(f.kind, []).append(f)
    return Project(facts=facts, files=files, by_kind=by_kind, graph=build(facts, files),
                   abspaths=abspaths or {}, roots=roots or [])
