"""Give every file, launch and fact of a run its scope, graph first.

1. Launches and entry scripts (``CMD ["./start.sh"]``): what their surface says
   (``role``: a Dockerfile's final stage and compose, Kubernetes, PM2, systemd
   and Procfile units are production, a package.json script is what it runs, a
   CI job tooling or test, a Dockerfile ``RUN`` tooling), then what their own
   command line says (``node --test``, ``--watch``, nodemon). A production
   surface in a file that a convention names (``examples/app/Dockerfile``) takes
   that convention's scope. A launch without a surface (a shell script, a
   shebang) goes by the script it runs, then by its file.
2. Production entry points — production launches and entry scripts,
   package.json's published surface, the folders hosting configs publish
   (``hosting.public``, ``[build] publish``, a ``_headers`` file's folder), the
   artifacts of release builds (not of a debug variant beside a shipped one) — make
   production everything they reach through runs, imports, worker spawns,
   loaders and embedded modules: the graph wins over conventions (an
   ``examples/`` server that the Procfile runs is production). A launch in a
   script that production runs is production too, and reaches further.
3. Every other file: its conventions (``wasmlint.scopes.conventions``), a library
   that a libtool archive describes for later links (a build input: tooling), else
   the scope of a non-production launch that runs it, else ``unknown``. A
   launch with no surface in a script that such a launch runs (the
   ``go_js_wasm_exec`` that ``go test`` runs) takes that scope, and passes it on.
4. A fact: its launch's scope, else the innermost ``scope-hint`` around it (a
   package.json script, a CI job), else a build's artifact when production
   reaches it, else its file's. ``[tool.wasmlint.scopes]`` overrides all of it
   for the files its globs match (paths relative to the configuration's folder).
"""
from __future__ import annotations

import bisect
import os
import posixpath
from collections import deque
from dataclasses import dataclass, field

from ..facts import Span
from ..graph import launch_id
from ..pathmatch import match_any
from . import QUIET, UNKNOWN, Scoped
from .commands import command_scope, node_option_scope
from .conventions import path_scope
from .debug_builds import hand_made_links, unshipped_debug_links
from .dependency_copies import dependency_copies, local_package_copies
from .build_outputs import outputs_scope
from .example_packages import example_packages
from .exports import test_export, test_exports
from .npm_files import npm_packed, packed_in_passing, published
from .unreached import (REACH, libtool_link_inputs, object_file_inputs, program_named_modules, unpacked_modules,
                        unrunnable_commonjs, used_only_by_quiet_code, vendored_copy_modules)

# files whose commands are production only through their own units' roles, never by being reached
SURFACE_KINDS = frozenset(("package-json", "dockerfile", "compose", "k8s", "pm2", "procfile", "systemd",
                           "github-workflow", "nodemon"))
# facts of one link, whose span joins the flags it reads to its command
LINK_KINDS = frozenset(("emcc-invocation", "rust-link"))
DEV_WRAPPERS = {"nodemon": "nodemon, a development watcher"}
NO_SURFACE = Scoped("unknown", "no production surface runs it")


@dataclass
class ScopeMap:
    files: dict[str, Scoped] = field(default_factory=dict)
    launches: dict[str, Scoped] = field(default_factory=dict)   # launch id -> scope
    hints: dict[str, list] = field(default_factory=dict)        # path -> scope-hint facts
    built: dict[tuple, Scoped] = field(default_factory=dict)    # (path, span) of a build -> scope
    overrides: dict[str, Scoped] = field(default_factory=dict)
    conventions: dict[str, Scoped] = field(default_factory=dict)   # what each file's path says
    variants: dict[tuple, Scoped] = field(default_factory=dict)    # (path, span) of a debug variant's link
    debug: dict[tuple, Scoped] = field(default_factory=dict)       # (path, span) of a link made to debug, unshipped
    _by_start: dict[str, tuple] = field(default_factory=dict)      # path -> hints sorted by start (see _around)

    def of_path(self, path: str) -> Scoped:
        path = path.split("#", 1)[0]
        return self.overrides.get(path) or self.files.get(path) or UNKNOWN

    def of_fact(self, fact) -> Scoped:
        path = (getattr(fact, "virtual_path", None) or fact.span.path).split("#", 1)[0]
        if path in self.overrides:
            return self.overrides[path]
        if fact.kind == "node-launch":
            return self.launches.get(launch_id(fact), NO_SURFACE)
        if fact.kind == "deployment":     # what a platform runs: production unless its folder says otherwise
            role = fact.role or (UNKNOWN if fact.launched else Scoped("production", f"deployed by {fact.via}"))
            return self.hinted(fact, path) or demoted(role, self.conventions.get(path))
        return made_by_tests(fact) or self.made_to_debug(fact, path) or self.hinted(fact, path) \
            or self.built.get((path, fact.span)) or self.of_link(fact) or self.ran_quietly(fact, path) \
            or self.of_path(path)

    def made_to_debug(self, fact, path: str) -> Scoped | None:
        """A link made to debug beside the one that ships (``debug_builds``), and its settings:
        a setting that a link not made to debug passes too (a flags variable both read) is not."""
        link = getattr(fact, "link", None)
        if not isinstance(link, Span):
            return self.debug.get((path, fact.span))
        links = [link, *getattr(fact, "also_links", ())]
        said = [self.debug.get((s.path.split("#", 1)[0], s)) for s in links]
        return said[0] if all(said) else None

    def of_link(self, fact) -> Scoped | None:
        """A setting of a link (``emcc-setting``) written in the link's own file is the link's: a
        demo's ``-s`` is the demo's. One written elsewhere (a top CMakeLists' ``CMAKE_EXE_LINKER_FLAGS``)
        reaches other links too, and keeps its own scope."""
        link = getattr(fact, "link", None)
        where = link.path.split("#", 1)[0] if link is not None else None
        return self.built.get((where, link)) if where == fact.span.path.split("#", 1)[0] else None

    def ran_quietly(self, fact, path: str) -> Scoped | None:
        """A link whose flags one file sets (a workflow's ``env: RUSTFLAGS``) and whose
        command another runs: the link is made where the command runs, so a test, bench,
        example … script that runs it (a CI job's ``wasm_bindgen_check.sh``) gives its scope."""
        ran = getattr(fact, "ran_in", None)
        if not ran or ran == path:
            return None
        where = self.of_path(ran)
        return Scoped(where.scope, f"its link runs in `{ran}` ({where.reason})") if where.scope in QUIET else None

    def hinted(self, fact, path: str) -> Scoped | None:
        """The scope of the innermost ``scope-hint`` region around the fact. A link whose span
        runs from the flag variables it reads (``LDFLAGS = …`` at the top of a Makefile) to its
        command is made where its command ends: the region around that end (the recipe of a
        ``pygame-example-static`` target, a CI job) is the link's."""
        around = self.around_fact(fact, path)
        if not around:
            return None
        inner = min(around, key=lambda h: (h.span.end_line or 0) - h.span.line)
        return demoted(inner.scoped, self.conventions.get(path))

    def around_fact(self, fact, path: str) -> list:
        """The ``scope-hint`` regions holding the fact (as ``hinted`` finds them)."""
        around = self._around(fact.span, path)
        if not around and fact.kind in LINK_KINDS and (fact.span.end_line or fact.span.line) > fact.span.line:
            end = fact.span
            around = self._around(Span(end.path, end.end_line, max(1, (end.end_column or 2) - 1)), path)
        return around

    def _around(self, span, path: str) -> list:
        """The hints of ``path`` that hold ``span``, in their order: only those starting
        before it, and only back to where every earlier one has ended (a CI file of
        thousands of jobs asked every job for every fact)."""
        hints = self.hints.get(path, ())
        if path not in self._by_start:
            order = sorted(range(len(hints)), key=lambda i: _start(hints[i].span))
            ends, last = [], None
            for i in order:
                last = _end(hints[i].span) if last is None else max(last, _end(hints[i].span))
                ends.append(last)
            self._by_start[path] = (order, [_start(hints[i].span) for i in order], ends)
        order, starts, ends = self._by_start[path]
        found, end = [], _end(span)
        for k in range(bisect.bisect_right(starts, _start(span)) - 1, -1, -1):
            if ends[k] < end:
                break           # no hint starting earlier reaches the span's end
            if hints[order[k]].contains(span):
                found.append(order[k])
        return [hints[i] for i in sorted(found)]


def _start(span) -> tuple[int, int]:
    return span.line, span.column


def _end(span) -> tuple[int, int]:
    return span.end_line or span.line, span.end_column or span.column


def demoted(role: Scoped, where: Scoped | None) -> Scoped:
    """A production surface in a file that a convention names (``examples/app/Dockerfile``,
    ``bench/package.json``'s ``start``) takes that convention's scope; so does a tooling
    one (a CI job, a Dockerfile ``RUN``) in a test, bench, example, fixture or docs folder."""
    if where is not None and (role.scope == "production" or role.scope == "tooling" and where.scope in QUIET):
        return Scoped(where.scope, f"{role.reason}, {where.reason}")
    return role


def assign(project, config) -> ScopeMap:
    out = ScopeMap()
    rel = {p: project.rel(p) for p in project.files}
    out.overrides = _overrides(project, config)
    out.conventions = {p: s for p in project.files if (s := path_scope(rel[p], project.files[p])) is not None}
    for p, said in unrunnable_commonjs(project).items():
        out.conventions.setdefault(p, said)
    example_packages(project, rel, out.conventions)
    for h in project.of_kind("scope-hint"):
        out.hints.setdefault(h.span.path, []).append(h)
    launches = [f for f in project.of_kind("node-launch") if f.surface != "shebang"]
    scripts = project.of_kind("entry-script")
    entry: dict[int, Scoped] = {}      # id(entry-script fact) -> scope
    for f in launches:
        out.launches[launch_id(f)] = _launch(f, project, rel, out)
    for f in scripts:
        entry[id(f)] = out.overrides.get(f.span.path) or (
            demoted(f.role, out.conventions.get(f.span.path)) if f.role else NO_SURFACE)
    prod = out.files
    packed = npm_packed(project)
    for start, reason in _production_roots(project, out, entry, packed):
        _reach(project, start, reason, prod)
    for start, reason in _release_builds(project, out):
        _reach(project, start, reason, prod)
    out.debug = unshipped_debug_links(project, lambda f: [h.name for h in out.around_fact(f, f.span.path)])
    out.debug.update({k: v for k, v in hand_made_links(project, prod, lambda f: out.hinted(f, f.span.path)).items()
                      if k not in out.debug})
    while _inside_production(project, out, launches, scripts, entry):
        pass
    test_exports(project, prod, lambda f, kind: _edges(project, f, kind))
    for f, sc in [*((f, out.launches[launch_id(f)]) for f in launches), *((f, entry[id(f)]) for f in scripts)]:
        if sc.scope == "production":
            prod.setdefault(f.span.path, Scoped("production", f"holds a production launch ({sc.reason})"))
    for f in [*project.of_kind("emcc-invocation"), *project.of_kind("rust-link")]:
        builds = _edges(project, f, "builds")
        for e in builds:
            if e.dst in prod:
                out.built[(f.span.path, f.span)] = Scoped("production", f"builds `{e.dst}`, {prod[e.dst].reason}")
        if (f.span.path, f.span) not in out.built and (said := outputs_scope(project, f, builds)):
            out.built[(f.span.path, f.span)] = said
    for path, (f, option) in project.emcc_js_inputs.items():
        link = out.built.get((f.span.path, f.span)) or prod.get(f.span.path) or out.conventions.get(f.span.path)
        prod.setdefault(path, Scoped((link or UNKNOWN).scope, f"a fragment of the glue: `{option}` input of "
                                                              f"the emcc link at {f.span.path}:{f.span.line}"))
    for path, said in out.conventions.items():
        prod.setdefault(path, said)
    libtool_link_inputs(project, prod)
    object_file_inputs(project, prod)
    vendored_copy_modules(project, prod, rel)
    dependency_copies(project, prod, rel, ("builds",))
    local_package_copies(project, prod, rel, ("builds",))
    used_only_by_quiet_code(project, out)
    program_named_modules(project, prod, rel)
    unpacked_modules(project, prod, packed)
    # a script that only a test, bench, dev … surface runs takes that surface's scope
    runners = [(out.launches[launch_id(f)], project.graph.out.get(launch_id(f), ()))
               for f in launches if f.role is not None or _own(f) is not None]
    runners += [(entry[id(f)], _edges(project, f, "runs")) for f in scripts if f.role is not None]
    ran: set[str] = set()      # files whose scope is the surface's that runs them
    _published_by_ci(project, prod, scripts, ran)
    for sc, edges in runners:
        for e in edges:
            # a test … surface that runs a file says more than the folder it sits in
            # (`scripts/build-node.sh` that only `npm test` runs is test code)
            if e.kind != "runs" or not e.dst:
                continue
            said = prod.get(e.dst)
            if said is None or (said is out.conventions.get(e.dst) and said.scope == "tooling" and sc.scope in QUIET):
                prod[e.dst] = Scoped(sc.scope, f"run by {sc.reason}")
                ran.add(e.dst)
    while _inside_run_scripts(project, out, launches, ran):
        pass
    for f in project.of_kind("node-launch"):      # a shebang launches its own file
        if f.surface == "shebang":
            out.launches[launch_id(f)] = out.of_path(f.span.path)
    return out


def _published_by_ci(project, prod: dict, scripts, ran: set[str]) -> None:
    """A script that a CI job publishing or deploying what it builds runs (``npm publish``, a
    deploy action: the job's role) builds what ships, whatever its name or another job that
    also runs it to test (petgraph-wasm's `bin/ci.sh`, run by the `ci` job beside `wasm-pack
    test` and by the release workflow's `cd` job right before `npm publish`). The job itself
    stays tooling (its workflow is under `.github/`); a script a convention puts with the
    tests, examples or docs keeps that scope."""
    for f in scripts:
        if f.surface != "github-workflow" or f.role is None or f.role.scope != "production":
            continue
        for e in _edges(project, f, "runs"):
            if e.kind != "runs" or not e.dst or e.dst in prod:
                continue
            prod[e.dst] = Scoped("production", f"run by {f.role.reason}")
            ran.add(e.dst)


def _overrides(project, config) -> dict[str, Scoped]:
    globs = getattr(config, "scope_globs", None) or {}
    if not globs:
        return {}
    out = {}
    root = str(config.root)
    for path in project.files:
        abspath = project.abspaths.get(path, path)
        rel = os.path.relpath(abspath, root) if abspath.startswith(root + os.sep) else path
        for pattern, scope in globs.items():
            if match_any(rel.replace(os.sep, "/"), [pattern]):
                out[path] = Scoped(scope, f"configuration scopes glob `{pattern}`")
                break
    return out


def _launch(f, project, rel, out: ScopeMap) -> Scoped:
    path = f.span.path
    if path in out.overrides:
        return out.overrides[path]
    where = out.conventions.get(path)
    if f.role is not None and f.role.scope != "production":
        return demoted(f.role, where)
    own = _own(f)
    if own is not None:
        return demoted(own, where)
    if f.role is not None:
        return demoted(f.role, where)
    for e in project.graph.out.get(launch_id(f), ()):
        said = path_scope(rel.get(e.dst, e.dst)) if e.kind == "runs" and e.dst else None
        if said is not None:
            return Scoped(said.scope, f"runs `{e.dst}` ({said.reason})")
    return where or NO_SURFACE


def _own(f) -> Scoped | None:
    """What a launch's own command line says: ``node --test``, ``--watch``, nodemon."""
    own = node_option_scope(f.options_before_script)
    if own is None and f.wrapper in DEV_WRAPPERS:
        own = Scoped("tooling", f"runs under {DEV_WRAPPERS[f.wrapper]}")
    return own


def _production_roots(project, out: ScopeMap, entry: dict[int, Scoped],
                      packed: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(graph node, reason) of every production entry point, most telling first."""
    roots = []
    for f in sorted(project.of_kind("node-launch"), key=lambda f: (f.span.path, f.span.line, f.span.column)):
        sc = out.launches.get(launch_id(f))
        if sc is not None and sc.scope == "production":
            roots.append((launch_id(f), f"reached from {sc.reason} ({f.span.path}:{f.span.line})"))
    for f in project.of_kind("entry-script"):
        if entry[id(f)].scope == "production":
            roots += [(e.dst, f"reached from {entry[id(f)].reason} ({f.span.path}:{f.span.line})")
                      for e in _edges(project, f, "runs") if e.dst]
    entries = project.of_kind("package-entry")
    # what an `exports` subpath publishes for the users' tests; packed by `files` too, it is still test code
    testing = {e.dst for f in entries if test_export(f) is not None for e in _edges(project, f, "publishes") if e.dst}
    for f in entries:
        pkg = f.span.path
        if _by_convention(f, out).scope not in ("production", "unknown"):
            continue     # an example's or a fixture's package.json publishes nothing of the project's
        if test_export(f) is not None:
            continue     # test utilities for the package's users (`test_exports`)
        reason = f"reached from {pkg} `{f.field}`"
        if f.pattern:
            found = [p for p in published(f, pkg, project.files) if not packed_in_passing(f, pkg, p, project.files[p])]
        else:
            found = [e.dst for e in _edges(project, f, "publishes") if e.dst]
        if f.field not in ("files", "main", "bin") and pkg in packed:
            found = [p for p in found if p in packed[pkg]]
        if f.field == "files":
            found = [p for p in found if p not in testing]
        roots += [(p, reason) for p in found]
    for f in project.of_kind("serving-config"):
        if _by_convention(f, out).scope in ("production", "unknown"):
            roots += [(p, f"served by {f.span.path} ({f.server})") for p in _served(f, project.files)]
    for f in project.of_kind("deployment"):     # wrangler `main`, a Lambda handler, an edge function
        if _by_convention(f, out).scope in ("production", "unknown") and (
                f.role is None or f.role.scope in ("production", "unknown")):
            roots += [(e.dst, f"deployed by {f.via} ({f.span.path}:{f.span.line})")
                      for e in _edges(project, f, f.ref_kind) if e.dst]
    return roots


def made_by_tests(fact) -> Scoped | None:
    """A Rust link whose flags an environment sets (a workflow's ``env: RUSTFLAGS``) and
    whose command is a test or bench runner (``wasm-pack test --node``, ``cargo test --target
    wasm32-…``) links test binaries, wherever its flags are written (gleam's workflow-level
    RUSTFLAGS, read by wasm32 only in its `wasm-pack test` job)."""
    command = getattr(fact, "command", None) if fact.kind == "rust-link" else None
    said = command_scope(command.split()) if command else None
    return Scoped(said.scope, f"its link is made by `{command}`") if said and said.scope in ("test", "bench") else None


def _release_builds(project, out: ScopeMap) -> list[tuple[str, str]]:
    """(artifact, reason) of the release links, once what the project publishes and serves
    is known. A link flagged to debug (``-g3``, ``ASSERTIONS``, ``-O0`` beside its ``-O3``)
    whose outputs nothing publishes or serves, while another link's outputs are, is a
    debug variant (opus-recorder's readable ``dist-unminified/`` beside the published
    ``dist/*.min.js``): not a release build, and its outputs are not production."""
    prod = out.files
    # a link left at emcc's default -O0 (``default_o0``) is reported as a release build's, but it
    # is no sign that its outputs ship
    releases = [f for f in project.of_kind("emcc-invocation")
                if getattr(f, "release", False) and not getattr(f, "default_o0", False)
                and _by_convention(f, out).scope in ("production", "unknown")]
    written = {id(f): [e.dst for e in _edges(project, f, "builds") if e.dst in project.files] for f in releases}
    shipped = [f for f in releases
               if any(prod.get(p, UNKNOWN).scope == "production" for p in written[id(f)])]
    roots = []
    for f in releases:
        twin = next((g for g in shipped if g is not f), None)
        if f.debug_settings and twin is not None and f not in shipped:
            what = Scoped("tooling", f"a debug variant ({', '.join(f.debug_settings)}) whose outputs nothing "
                                     f"publishes or serves; the link at {twin.span.path}:{twin.span.line} "
                                     "builds what is shipped")
            out.built[(f.span.path, f.span)] = out.variants[(f.span.path, f.span)] = what
            for p in written[id(f)]:
                if p not in out.conventions:
                    prod.setdefault(p, Scoped("tooling", f"written by {f.label} at {f.span.path}:{f.span.line}, "
                                                         "a debug variant that is not shipped"))
            continue
        roots += [(p, f"built by the release build at {f.span.path}:{f.span.line}") for p in written[id(f)]]
    return roots


def _inside_production(project, out: ScopeMap, launches, scripts, entry: dict[int, Scoped]) -> bool:
    """Launches and entry scripts with no surface of their own (in a shell script)
    inside a file that production reaches are production, and reach further.
    True when one became production."""
    prod = out.files
    changed = False
    for f in launches:
        path, lid = f.span.path, launch_id(f)
        if (f.role is None and _own(f) is None and path in prod and path not in out.overrides
                and out.launches[lid].scope != "production"):
            out.launches[lid] = Scoped("production", f"in `{path}`, {prod[path].reason}")
            _reach(project, lid, out.launches[lid].reason, prod)
            changed = True
    for f in scripts:
        path = f.span.path
        if f.role is None and path in prod and entry[id(f)].scope != "production" and path not in out.overrides:
            entry[id(f)] = Scoped("production", f"in `{path}`, {prod[path].reason}")
            for e in _edges(project, f, "runs"):
                if e.dst:
                    _reach(project, e.dst, entry[id(f)].reason, prod)
            changed = True
    return changed


def _inside_run_scripts(project, out: ScopeMap, launches, ran: set[str]) -> bool:
    """A launch with no surface of its own (in a shell script) that nothing else
    decided takes the scope of its script, when a test, bench, dev … surface runs
    that script (``go test`` runs ``go_js_wasm_exec``); so does what it runs.
    True when one changed."""
    changed = False
    for f in launches:
        path, lid = f.span.path, launch_id(f)
        said = out.files.get(path)
        if (path in ran and f.role is None and _own(f) is None and out.launches[lid] == NO_SURFACE
                and path not in out.overrides):
            out.launches[lid] = Scoped(said.scope, f"in `{path}`, {said.reason}")
            for e in project.graph.out.get(lid, ()):
                if e.kind == "runs" and e.dst and e.dst not in out.files:
                    out.files[e.dst] = Scoped(said.scope, f"run by the launch in `{path}`, {said.reason}")
                    ran.add(e.dst)
            changed = True
    return changed


def _edges(project, fact, kind: str) -> list:
    """The graph edges of one fact (a file's node holds the edges of all its facts)."""
    index = project.edges_by_span
    return [e for e in index.get((kind, fact.span), ()) if e.src == fact.span.path]


def _by_convention(f, out: ScopeMap) -> Scoped:
    """A fact's scope before the graph has spoken: configuration, the region it is
    in, its file's conventions."""
    path = f.span.path
    return out.overrides.get(path) or out.hinted(f, path) or out.conventions.get(path, UNKNOWN)


def _served(f, files: dict[str, str]) -> list[str]:
    """Files in the folders a serving config publishes. A config that publishes the
    whole project (a ``_headers`` at its root) says nothing about which files matter. A
    test, bench or fixture by its name or folder below the served one (``app.spec.js``
    beside the app) is served as an inert file: no page runs it."""
    out = []
    for folder in f.served:
        root = posixpath.normpath(posixpath.join(posixpath.dirname(f.span.path), folder.removeprefix("/")))
        if root not in (".", "") and not root.startswith("../"):
            out += sorted(p for p in files if p.startswith(root + "/") and not _quiet_below(p[len(root) + 1:], files[p]))
    return out


def _quiet_below(rel: str, kind: str | None) -> bool:
    said = path_scope(rel, kind)
    return said is not None and said.scope in ("test", "bench", "fixture")


def _reach(project, start: str, reason: str, prod: dict[str, Scoped]) -> None:
    """Mark ``start`` (a file, or a launch id) and all it reaches production. Launch
    surfaces (package.json, Dockerfile, …) reached by an import are not expanded:
    their commands are production only through their own units."""
    if not start.startswith("launch:"):
        if start in prod and prod[start].scope == "production":
            return
        prod[start] = Scoped("production", reason)
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if project.files.get(node) in SURFACE_KINDS:
            continue
        for e in project.graph.out.get(node, ()):
            if e.kind in REACH and e.dst and (e.dst not in prod or prod[e.dst].scope != "production"):
                prod[e.dst] = Scoped("production", reason)
                queue.append(e.dst)
