"""Give every file, launch and fact of a run its scope, graph first.

1. Launches: what their own command line says (``node --test``, ``--watch``,
   nodemon), then what their surface says (``role``: a Dockerfile's final stage
   and compose, Kubernetes, PM2, systemd and Procfile units are production, a
   package.json script is what it runs, a CI job tooling or test) — a production
   surface in a folder that a convention names (``examples/app/Dockerfile``)
   takes that folder's scope — then the script they run, then their file.
2. Production entry points — production launches, package.json's published
   surface, the artifacts of release builds — make production everything they
   reach through runs, imports, worker spawns, loaders and embedded modules:
   the graph wins over conventions (an ``examples/`` server that the Dockerfile
   runs is production).
3. Every other file: its conventions (``wasmlint.scopes.conventions``), else
   the scope of a non-production launch that runs it, else ``unknown``.
4. A fact: its launch's scope, else the innermost ``scope-hint`` around it (a
   package.json script, a CI job), else a build's artifact when production
   reaches it, else its file's. ``[tool.wasmlint.scopes]`` overrides all of it
   for the files its globs match (paths relative to the configuration's folder).
"""
from __future__ import annotations

import fnmatch
import os
import posixpath
from collections import deque
from dataclasses import dataclass, field

from ..graph import launch_id
from ..pathmatch import match_any
from . import UNKNOWN, Scoped
from .commands import node_option_scope
from .conventions import path_scope

REACH = ("runs", "imports", "spawns", "loads-wasm", "embeds")
DEV_WRAPPERS = {"nodemon": "nodemon, a development watcher"}
NO_SURFACE = Scoped("unknown", "no production surface runs it")


@dataclass
class ScopeMap:
    files: dict[str, Scoped] = field(default_factory=dict)
    launches: dict[str, Scoped] = field(default_factory=dict)
    hints: dict[str, list] = field(default_factory=dict)        # path -> scope-hint facts
    built: dict[tuple, Scoped] = field(default_factory=dict)    # (path, span) of a build -> scope
    overrides: dict[str, Scoped] = field(default_factory=dict)
    conventions: dict[str, Scoped] = field(default_factory=dict)   # what each file's path says

    def of_path(self, path: str) -> Scoped:
        path = path.split("#", 1)[0]
        return self.overrides.get(path) or self.files.get(path) or UNKNOWN

    def of_fact(self, fact) -> Scoped:
        path = (getattr(fact, "virtual_path", None) or fact.span.path).split("#", 1)[0]
        if path in self.overrides:
            return self.overrides[path]
        if fact.kind == "node-launch":
            return self.launches.get(launch_id(fact), NO_SURFACE)
        return self.hinted(fact, path) or self.built.get((path, fact.span)) or self.of_path(path)

    def hinted(self, fact, path: str) -> Scoped | None:
        """The scope of the innermost ``scope-hint`` region around the fact."""
        around = [h for h in self.hints.get(path, ()) if h.contains(fact.span)]
        if not around:
            return None
        inner = min(around, key=lambda h: (h.span.end_line or 0) - h.span.line)
        return demoted(inner.scoped, self.conventions.get(path))


def demoted(role: Scoped, where: Scoped | None) -> Scoped:
    """A production surface in a file that a convention names (``examples/app/Dockerfile``,
    ``bench/package.json``'s ``start``) takes that convention's scope."""
    if role.scope == "production" and where is not None:
        return Scoped(where.scope, f"{role.reason}, {where.reason}")
    return role


def assign(project, config) -> ScopeMap:
    out = ScopeMap()
    rel = {p: project.rel(p) for p in project.files}
    out.overrides = _overrides(project, config)
    out.conventions = {p: s for p in project.files if (s := path_scope(rel[p], project.files[p])) is not None}
    for h in project.of_kind("scope-hint"):
        out.hints.setdefault(h.span.path, []).append(h)
    launches = project.of_kind("node-launch")
    for f in launches:
        if f.surface != "shebang":
            out.launches[launch_id(f)] = _launch(f, project, rel, out)
    prod = out.files
    for start, reason in _production_roots(project, out):
        _reach(project, start, reason, prod)
    for f in launches:
        sc = out.launches.get(launch_id(f), UNKNOWN)
        if sc.scope == "production":
            prod.setdefault(f.span.path, Scoped("production", f"holds a production launch ({sc.reason})"))
    for f in project.of_kind("emcc-invocation"):
        for e in project.graph.out.get(f.span.path, ()):
            if e.kind == "builds" and e.span == f.span and e.dst in prod:
                out.built[(f.span.path, f.span)] = Scoped("production", f"builds `{e.dst}`, {prod[e.dst].reason}")
    for path, said in out.conventions.items():
        prod.setdefault(path, said)
    for f in launches:          # a script only a non-production launch runs: that launch's scope
        sc = out.launches.get(launch_id(f))
        for e in project.graph.out.get(launch_id(f), ()):
            if sc is not None and e.kind == "runs" and e.dst and e.dst not in prod:
                prod[e.dst] = Scoped(sc.scope, f"run by {sc.reason}")
    for f in launches:          # a shebang launches its own file
        if f.surface == "shebang":
            out.launches[launch_id(f)] = out.overrides.get(f.span.path) or out.of_path(f.span.path)
    return out


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
    own = node_option_scope(f.options_before_script)
    if own is None and f.wrapper in DEV_WRAPPERS:
        own = Scoped("tooling", f"runs under {DEV_WRAPPERS[f.wrapper]}")
    role = f.role
    if role is not None and role.scope != "production":
        return role
    if own is not None:
        return own
    where = out.conventions.get(path)
    if role is not None:
        return demoted(role, where)
    for e in project.graph.out.get(launch_id(f), ()):
        said = path_scope(rel.get(e.dst, e.dst)) if e.kind == "runs" and e.dst else None
        if said is not None:
            return Scoped(said.scope, f"runs `{e.dst}` ({said.reason})")
    return where or NO_SURFACE


def _production_roots(project, out: ScopeMap) -> list[tuple[str, str]]:
    """(graph node, reason) of every production entry point, most telling first."""
    roots = []
    for f in sorted(project.of_kind("node-launch"), key=lambda f: (f.span.path, f.span.line, f.span.column)):
        sc = out.launches.get(launch_id(f))
        if sc is not None and sc.scope == "production":
            roots.append((launch_id(f), f"reached from {sc.reason} ({f.span.path}:{f.span.line})"))
    for f in project.of_kind("package-entry"):
        pkg = f.span.path
        if _by_convention(f, out).scope not in ("production", "unknown"):
            continue     # an example's or a fixture's package.json publishes nothing of the project's
        reason = f"reached from {pkg} `{f.field}`"
        if f.pattern:
            roots += [(p, reason) for p in _published(f, pkg, project.files)]
        else:
            roots += [(e.dst, reason) for e in project.graph.out.get(pkg, ())
                      if e.kind == "publishes" and e.span == f.span and e.dst]
    for f in project.of_kind("emcc-invocation"):
        if getattr(f, "release", False) and _by_convention(f, out).scope in ("production", "unknown"):
            roots += [(e.dst, f"built by the release build at {f.span.path}:{f.span.line}")
                      for e in project.graph.out.get(f.span.path, ()) if e.kind == "builds" and e.span == f.span
                      and e.dst in project.files]
    return roots


def _by_convention(f, out: ScopeMap) -> Scoped:
    """A fact's scope before the graph has spoken: configuration, the region it is
    in, its file's conventions."""
    path = f.span.path
    return out.overrides.get(path) or out.hinted(f, path) or out.conventions.get(path, UNKNOWN)


def _published(f, pkg: str, files: dict[str, str]) -> list[str]:
    """Files of the package that a ``files`` entry or an ``exports`` pattern names."""
    base = posixpath.dirname(pkg)
    spec = f.spec.removeprefix("./").rstrip("/")
    out = []
    for path in files:
        if base and not path.startswith(base + "/"):
            continue
        sub = path[len(base) + 1:] if base else path
        if f.field == "files":
            if match_any(sub, [spec]) or sub.startswith(spec + "/"):
                out.append(path)
        elif fnmatch.fnmatchcase(sub, spec):
            out.append(path)
    return sorted(out)


def _reach(project, start: str, reason: str, prod: dict[str, Scoped]) -> None:
    """Mark ``start`` (a file, or a launch id) and all it reaches production."""
    queue = deque([start])
    if not start.startswith("launch:"):
        if start in prod:
            return
        prod[start] = Scoped("production", reason)
    while queue:
        for e in project.graph.out.get(queue.popleft(), ()):
            if e.kind in REACH and e.dst and e.dst not in prod:
                prod[e.dst] = Scoped("production", reason)
                queue.append(e.dst)
