"""A build's scope from what it writes: a build whose every output is test, bench, example,
fixture or docs material by its folder or its name, unless an output is a package's entry point
or is named as one of the project's own npm packages."""
from __future__ import annotations

import posixpath

from ..graph import output_path
from . import QUIET, Scoped
from .conventions import artifact_name_scope, path_scope


def outputs_scope(project, f, builds) -> Scoped | None:
    """A build whose every output goes to a test, bench, example, fixture or docs folder
    (``-o test/build/codec.js``, a cargo build of a crate under ``testdata/``) or is named so
    (CMake's ``hexfloat_test`` and ``CDemo`` targets) builds
    that material, also when the outputs are not in the tree (a gitignored build folder)."""
    src = f.span.path.split("#", 1)[0]
    rel_src = project.rel(src)
    if not src.endswith(rel_src):
        return None
    root = src[:len(src) - len(rel_src)]
    said = None
    entries = _package_entries(project)
    for e in builds:
        out = e.dst or output_path(e.spec, e.src)
        if not out or not out.startswith(root) or posixpath.normpath(out) in entries:
            return None     # a package's entry point is what npm publishes, whatever its folder is named
        name = posixpath.basename(out)
        said = path_scope(out[len(root):]) or (None if _package_named(project, name) else artifact_name_scope(name))
        if said is None or said.scope not in QUIET:
            return None
    return said and Scoped(said.scope, f"writes `{out}`, {said.reason}")


def _package_named(project, name: str) -> bool:
    """Whether a build output is named as one of the project's own npm packages (not a test's
    or bench's by its folder): ``laz-perf``, the module of the package ``laz-perf``, is that
    package's product, though its name holds the word ``perf``. npm names a package by its
    ``name`` (a scoped ``@org/x`` by ``x`` here); an output's name is its file name less its
    extensions."""
    key = "package-names"
    if key not in project.memo:
        project.memo[key] = {f.name.rpartition("/")[2].lower() for f in project.of_kind("package-dependencies")
                             if f.name and not _quiet_path(project.rel(f.span.path))}
    return name.split(".", 1)[0].lower() in project.memo[key]


def _quiet_path(rel: str) -> bool:
    said = path_scope(rel)
    return said is not None and said.scope in QUIET


def _package_entries(project) -> set[str]:
    """The files package.json files name as entry points (``main``, ``module``, ``browser``,
    ``exports``, ``bin``): fairy-stockfish's npm package ``ffish`` is ``tests/js/ffish.js``."""
    key = "package-entry-files"
    if key not in project.memo:
        project.memo[key] = {posixpath.normpath(posixpath.join(posixpath.dirname(e.span.path), e.spec))
                             for e in project.of_kind("package-entry") if not e.pattern}
    return project.memo[key]
