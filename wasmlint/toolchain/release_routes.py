"""The ways a project releases a build: the npm lifecycle scripts that run when its package
is packed or published, and the CI jobs that take a build to its users.

npm runs ``prepare``, ``prepublishOnly`` and ``prepack`` (and the older ``prepublish``)
when it packs or publishes a package (npm docs, "Life Cycle Scripts"), before it reads
``files``: what they build and leave in the package is what users install (re2-wasm's
``prepare`` → ``compile`` → ``make``, then ``cp -r wasm build/``). A private package is never
published. A CI job releases when it uploads to a GitHub release (``gh release upload``,
``softprops/action-gh-release``, ``actions/upload-release-asset`` …), publishes a package
(``npm publish``), deploys pages, or uploads an artifact in a run made for a tag or a release
(``on: push: tags``, ``on: release``, a step conditioned on ``refs/tags/``). A multi-stage
Dockerfile's final stage takes what it copies from the build stages (``docker_routes``). What
each runs is read by ``route_commands``.
"""
from __future__ import annotations

import posixpath
import re

from .docker_routes import routes as docker_routes
from .pstr import UNKNOWN
from .route_commands import Route, Walk, follow, package_object, run_script

LIFECYCLE = ("prepublish", "prepare", "prepublishOnly", "prepack")
RELEASE_ACTIONS = ("softprops/action-gh-release", "actions/upload-release-asset", "ncipollo/release-action",
                   "svenstaro/upload-release-action", "JS-DevTools/npm-publish", "actions/deploy-pages",
                   "peaceiris/actions-gh-pages", "JamesIves/github-pages-deploy-action", "xresloader/upload-to-github-release")
ARTIFACT_ACTION = "actions/upload-artifact"
UPLOAD_KEYS = ("path", "files", "asset_path", "file")      # what an upload action's ``with:`` names
_RELEASE_COMMAND = re.compile(r"\b(gh release (upload|create)|(npm|yarn|pnpm) publish|hub release)\b")
_TAG_RUN = re.compile(r"refs/tags/|ref_type\s*==\s*'tag'|github\.event_name\s*==\s*'release'")
WORKFLOWS = ".github/workflows"


def routes(walk: Walk) -> list[Route]:
    """The release routes of the project: the lifecycle scripts of its packages, its
    workflows' releasing jobs."""
    out: list[Route] = []
    for rel in walk.packages:
        out += _lifecycle(walk, rel)
    for name in walk.files.list(WORKFLOWS):
        if name.endswith((".yml", ".yaml")):
            out += _jobs(walk, f"{WORKFLOWS}/{name}")
    return out + docker_routes(walk)


def _lifecycle(walk: Walk, rel: str) -> list[Route]:
    root = package_object(walk.files, rel)
    scripts = root.get("scripts") if root is not None and not _true(root.get("private")) else None
    if scripts is None or scripts.type != "object":
        return []
    shown = walk.files.shown(rel)
    out = []
    for name in dict.fromkeys(k.value for k, _ in scripts.pairs if k.value in LIFECYCLE):
        route = Route(f"`{name}` of {shown} (run when npm packs the package)", package=shown)
        run_script(walk, route, rel, name)
        out.append(route)
    return out


def _true(node) -> bool:
    return node is not None and node.type == "bool" and node.value is True


def _jobs(walk: Walk, rel: str) -> list[Route]:
    from .. import yamlpos
    from ..sources.github_workflow import _mask, checkout_path, in_checkout, working_directory
    project = walk.files
    text = project.read(rel)
    if text is None:
        return []
    try:
        docs = yamlpos.documents(text)
    except yamlpos.YamlPosError:
        return []
    out = []
    for doc in docs:
        tagged = _runs_for_tags(doc)
        for name, job in yamlpos.pairs(yamlpos.get(doc, "jobs")):
            why = _releases(job, text, tagged)
            if why is None:
                continue
            route = Route(f"CI job `{name.value}` in {project.shown(rel)} ({why})")
            route.regions.append((project.shown(rel), job.start_mark.line + 1, job.end_mark.line + 1))
            checkout = checkout_path(job)
            for step in yamlpos.items(yamlpos.get(job, "steps")):
                given = yamlpos.get(step, "with")
                route.uploads += [w for k in UPLOAD_KEYS for w in (yamlpos.str_of(yamlpos.get(given, k)) or "").split()]
                run = yamlpos.get(step, "run")
                where = working_directory(doc, job, step, checkout)
                if yamlpos.is_scalar(run) and where is not None:
                    script = _mask(in_checkout(yamlpos.scalar_text(run, text), checkout)).value
                    follow(walk, route, rel, script, where)
            out.append(route)
    return out


def _runs_for_tags(doc) -> bool:
    """Whether the workflow runs for a tag push or a release (``on: push: tags``,
    ``on: release``, ``on: [release]``)."""
    from .. import yamlpos
    on = yamlpos.get(doc, "on")
    if yamlpos.is_scalar(on):
        return on.value in ("release", "create")
    if yamlpos.is_seq(on):
        return any(yamlpos.str_of(v) in ("release", "create") for v in yamlpos.items(on))
    return yamlpos.get(on, "release") is not None or yamlpos.get(yamlpos.get(on, "push"), "tags") is not None


def _releases(job, text: str, tagged: bool) -> str | None:
    """Why the job releases what it builds, or None."""
    from .. import yamlpos
    job_text = text[job.start_mark.index:job.end_mark.index]
    artifact = False
    for step in yamlpos.items(yamlpos.get(job, "steps")):
        uses = (yamlpos.str_of(yamlpos.get(step, "uses")) or "").split("@", 1)[0]
        if uses.startswith(RELEASE_ACTIONS):
            return f"`{uses}`"
        artifact = artifact or uses == ARTIFACT_ACTION
        m = _RELEASE_COMMAND.search(yamlpos.str_of(yamlpos.get(step, "run")) or "")
        if m:
            return f"`{m.group(0)}`"
    if artifact and (tagged or _TAG_RUN.search(job_text)):
        return "uploads an artifact in a run made for a tag or a release"
    return None


def released(link, project) -> bool:
    """Whether a release route runs the link (``link.Project`` ``project``): it runs the
    script or Makefile the link is written in, or holds the link in its own text, or configures
    the CMake project around it; a lifecycle script's link only when its outputs, or the
    copies the route makes of them, are in the package (``files``, else its folder)."""
    return any(_carries(r, link_outputs(link, project)) if r.package is None else _packs(r, link, project)
               for r in routes_running(link, project))


def routes_running(link, project) -> list[Route]:
    """The release routes that run the link: they run the script or Makefile it is written
    in, hold it in their own text, or configure the CMake project around it."""
    path = posixpath.normpath(link.span.path)
    cmake = project.files.get(link.span.path) == "cmake"
    return [r for r in _project_routes(project, link.span.path)
            if path in r.files or any(p == path and a <= link.span.line <= b for p, a, b in r.regions)
            or cmake and any(path.startswith(t.rstrip("/") + "/") or t == "." for t in r.trees)]


def _project_routes(project, path: str) -> list[Route]:
    """The routes of the run's folder holding ``path``, read once a run."""
    from ..runpaths import project_relative, root_holding
    from ..sources import SourceFile
    from .project_files import ProjectFiles
    abspath = project.abspaths.get(path)
    root = root_holding(abspath, project.roots) if abspath else None
    if root is None:
        return []
    memo = project.memo.setdefault("release-routes", {})
    if root not in memo:
        files = ProjectFiles(SourceFile(path, "", b"", abspath=abspath, root=root))
        packages = [rel for p, kind in project.files.items() if kind == "package-json"
                    and (rel := project_relative(project.abspaths.get(p, ""), [root]))]
        memo[root] = routes(Walk(files, packages))
    return memo[root]


def _packs(route: Route, link, project) -> bool:
    """Whether the package of a lifecycle route packs what the link writes, where the link
    writes it or where the route copies it (``cp -r wasm build/``: ``build/wasm/re2.js``)."""
    from ..scopes.npm_files import published
    outputs = link_outputs(link, project)
    found = set(outputs)
    for src, dst in route.copies:
        for out in outputs:
            if out.startswith(src + "/"):
                found |= {dst + out[len(src):], posixpath.join(dst, posixpath.basename(src)) + out[len(src):]}
            elif _stem(src) == _stem(out):
                found |= {dst, posixpath.join(dst, posixpath.basename(src))}
    entries = [f for f in project.of_kind("package-entry") if f.field == "files" and f.span.path == route.package]
    if not entries:
        folder = posixpath.dirname(route.package)
        return any(not folder or p.startswith(folder + "/") for p in found)
    return any(published(f, f.span.path, dict.fromkeys(found, "")) for f in entries)


def link_outputs(link, project) -> set[str]:
    """What the link writes, as project paths (outputs are relative to its file's folder)."""
    here = posixpath.dirname(link.span.path)
    return {posixpath.normpath(posixpath.join(here, e.spec)) for e in
            project.edges_by_span.get(("builds", link.span), ()) if e.spec and e.src == link.span.path}


def _carries(route: Route, outputs: set[str]) -> bool:
    """Whether a CI job takes one of the outputs out of the runner: it uploads it (its
    folder, a pattern matching it, a file of its name), or copies or moves it (into the folder
    it uploads: x16-emulator's ``cp build/x16emu.wasm emu_binaries/``, not ``makecart``)."""
    taken = [src for src, _ in route.copies] + route.uploads
    return any(_names(path, out) for out in outputs for path in taken)


def _names(path: str, out: str) -> bool:
    """Whether a path a route copies or uploads (a folder, a pattern; a part not known
    matches any text) takes the output: it is the output, a folder above it, a pattern
    matching it, or a file of the output's name (``denoise.wasm`` of ``denoise.js``)."""
    import fnmatch
    pattern = posixpath.normpath(path.removeprefix("./")).removesuffix("/**").removesuffix("/*")
    pattern = pattern.replace(UNKNOWN, "*")
    if pattern in (".", "*"):
        return False
    stem = _stem(path)
    return out == pattern or fnmatch.fnmatchcase(out, pattern) or fnmatch.fnmatchcase(out, pattern + "/*") \
        or (UNKNOWN not in stem and stem == _stem(out))


def _stem(path: str) -> str:
    return posixpath.basename(path).split(".", 1)[0]
