"""Copies of an npm dependency's files kept in the project.

An app that loads a package's WebAssembly from its own folder copies the package's
``dist`` files there (``setWasmPaths('./')`` of ``@tensorflow/tfjs-backend-wasm`` with
``public/tfjs-backend-wasm-simd.wasm``; canvaskit-wasm's ``canvaskit.wasm``), and a project
that bundles a dependency into one file keeps it beside its other bundled libraries
(``libs/undici.mjs``, rollup's bundle of ``undici``). Such a file is built by the
dependency's project, not this one: it is ``vendored`` when

- a package.json at or above its folder lists the package among its dependencies, and no
  package.json of the project is that package (a workspace builds its own);
- a module (``.wasm``) is named after the package (its name after the scope, also without a
  ``-wasm`` or ``.js`` ending or a ``web-`` start), alone or with variant words
  (``-simd``, ``-threaded-simd``); a bundle (``.js``, ``.mjs``, ``.cjs``) is named exactly
  after it in a folder of other projects' files (``libs``, ``vendor``, ``third_party`` …);
- nothing in production reaches it and no build of the project writes it, nor a file of its
  name elsewhere (libauth's own ``secp256k1.wasm``, which its Dockerfile links as ``secp256k1.js``).

A dependency installed from a folder of the project (``"web-tree-sitter":
"file:node_modules_linked/web-tree-sitter"``) is what npm links into ``node_modules``, which
wasmlint never reads: when that folder's package.json names another repository than the
package.json that depends on it (tree-sitter's, beside the extension's own), the folder is
that other project's published package, copied in: all of it is ``vendored``, reached or
not, but for what a build of this project writes there. A folder package of the same
repository, or of none said, is the project's own (a ``file:pkg`` of wasm-pack's output, a
monorepo's ``file:../core``).
"""
from __future__ import annotations

import posixpath

from . import Scoped
from .conventions import VENDOR_FOLDERS
from .unreached import GENERIC_STEMS

# a folder of other projects' files: `lib/` is too often the project's own code (a `lib/mongodb.js`
# wrapper) to say so
LIBRARY_FOLDERS = VENDOR_FOLDERS | {"libs", "vendors"}
BUNDLE_ENDINGS = (".js", ".mjs", ".cjs")
SHORTEST_NAME = 4        # `zstd`: shorter names (`sql`, `ort`) say too little to tell a package's file
_VARIANT_JOINS = ("-", "_", ".")


def dependency_copies(project, prod: dict[str, Scoped], rel: dict[str, str], makes: tuple[str, ...]) -> None:
    """Mark the copies of a dependency's files (see the module) ``vendored`` in ``prod``."""
    deps, own = _dependencies(project, rel)
    if not deps:
        return
    built = _built_names(project)
    for path, kind in project.files.items():
        if path in prod or "#" in path or any(e.kind in makes for e in project.graph.into.get(path, ())):
            continue
        r = rel.get(path, path)
        name = posixpath.basename(r)
        if name.split(".", 1)[0].lower() in built:
            continue        # libauth's secp256k1.wasm: its Dockerfile's link writes secp256k1.js
        if kind == "wasm" or name.endswith(".wasm"):
            match = _module_match
        elif name.endswith(BUNDLE_ENDINGS) and posixpath.basename(posixpath.dirname(r)).lower() in LIBRARY_FOLDERS:
            match = _bundle_match
        else:
            continue
        for folder, package, declared in deps:
            if package not in own and (not folder or r.startswith(folder + "/")) and match(name, package):
                prod[path] = Scoped("vendored", f"named after `{package}`, a dependency in {declared}: "
                                                "a copy of that package's files, built by its project")
                break


def local_package_copies(project, prod: dict[str, Scoped], rel: dict[str, str], makes: tuple[str, ...]) -> None:
    """Mark the files of a ``file:``/``link:`` dependency that is another repository's package
    (see the module) ``vendored`` in ``prod``."""
    facts = project.of_kind("package-dependencies")
    by_path = {f.span.path: f for f in facts}
    for f in facts:
        for package, spec in f.local if f.repository else ():
            folder = posixpath.normpath(posixpath.join(posixpath.dirname(f.span.path), spec))
            copy = by_path.get(posixpath.join(folder, "package.json"))
            if (copy is None or copy.name != package or not copy.repository or copy.repository == f.repository
                    or f.span.path.startswith(folder + "/")):
                continue    # the project's own package, or one holding the package.json that installs it
            shown = posixpath.dirname(rel.get(copy.span.path, copy.span.path))
            why = Scoped("vendored", f"in `{shown}/`, the package `{package}` of "
                                     f"{copy.repository}, installed from that folder by {rel.get(f.span.path, f.span.path)}"
                                     " (like node_modules): another project's files")
            for path in project.files:
                if path.startswith(folder + "/") and not any(e.kind in makes for e in project.graph.into.get(path, ())):
                    prod[path] = why


def _built_names(project) -> set[str]:
    """The names (before the first dot) of what the project's builds write, wherever."""
    return {posixpath.basename(e.spec).split(".", 1)[0].lower()
            for edges in project.graph.out.values() for e in edges if e.kind == "builds" and e.spec}


def _dependencies(project, rel: dict[str, str]) -> tuple[list[tuple[str, str, str]], set[str]]:
    """(folder, package, package.json) of each dependency the project's package.json files
    list (their ``package-dependencies`` facts), and the names of the project's own packages."""
    deps, own = [], set()
    for f in project.of_kind("package-dependencies"):
        if f.name:
            own.add(f.name)
        folder = posixpath.dirname(rel.get(f.span.path, f.span.path))
        deps += [(folder, name, f.span.path) for name in f.dependencies]
    return deps, own


def _names(package: str) -> set[str]:
    """The file names a package's build gives its module: its name after the scope, also
    without a ``-wasm``/``.js`` ending or a ``web-`` start (``canvaskit-wasm``, ``web-tree-sitter``)."""
    base = package.rsplit("/", 1)[-1].lower()
    names = {base, base.removesuffix("-wasm"), base.removesuffix(".js"), base.removeprefix("web-")}
    return {n for n in names if len(n) >= SHORTEST_NAME and n not in GENERIC_STEMS}


def _module_match(name: str, package: str) -> bool:
    stem = name.lower().removesuffix(".wasm")
    return any(stem == n or stem.startswith(tuple(n + j for j in _VARIANT_JOINS)) for n in _names(package))


def _bundle_match(name: str, package: str) -> bool:
    stem = name.lower().rsplit(".", 1)[0]
    return stem == package.rsplit("/", 1)[-1].lower() and len(stem) >= SHORTEST_NAME and stem not in GENERIC_STEMS
