"""Modules nothing in production reaches: who uses them, or what the build says of them,
decides their scope (``assign`` runs these after production and the conventions)."""
from __future__ import annotations

import os
import posixpath

from . import QUIET, UNKNOWN, Scoped
from .conventions import FOLDERS, VENDOR_FOLDERS

REACH = ("runs", "imports", "spawns", "loads-wasm", "embeds")
TEST_CODE = Scoped("test", "`#[cfg(test)]` or `#[test]` code")


def used_only_by_quiet_code(project, out: ScopeMap) -> None:
    """A module that nothing in production reaches and no convention places takes the scope
    of the code that uses it, when all of it is test, bench, example, fixture or docs code:
    extism's top-level ``wasm/*.wasm`` plugins, compiled in by ``include_bytes!`` from
    ``runtime/src/tests/`` and ``runtime/benches/`` only, are test material; so is a JS
    module only tests import (scrypted's ``src/threading.ts``, imported by
    ``test/threading-test.ts`` alone). A use in ``#[cfg(test)]`` code is a test's wherever
    its file is."""
    prod = out.files
    in_tests = {f.span for f in project.of_kind("rust-include") if f.in_test}
    for path, kind in project.files.items():
        if kind not in ("wasm", "js") or path in prod:
            continue
        users = [e for e in project.graph.into.get(path, ()) if e.kind in REACH or e.kind == "includes"]
        said = [TEST_CODE if e.span in in_tests else _user_scope(out, e) for e in users]
        if said and all(s.scope in QUIET for s in said):
            first = min(said, key=lambda s: QUIET.index(s.scope))
            where = ", ".join(sorted({f"`{e.span.path}:{e.span.line}`" for e in users})[:3])
            prod[path] = Scoped(first.scope, f"used only by {'/'.join(sorted({s.scope for s in said}, key=QUIET.index))}"
                                             f" code ({where})")


def unrunnable_commonjs(project) -> dict[str, Scoped]:
    """The ``.js`` files that node loads as ES modules (the nearest package.json above says
    ``"type": "module"``) but that are CommonJS only (``js-module`` ``commonjs``: a ``require``
    call on load, no ``import``/``export``): whatever runs one stops at its first ``require``
    (``ReferenceError: require is not defined in ES module scope``), and a browser has no
    ``require`` either. When nothing of the project refers to it (no run, import, bundle entry,
    publication, copy), it is a leftover that nothing runs as it is (wao's root ``cli.js``, an
    older CommonJS copy of its ``src/cli.js`` bin): tooling, and so are the launches in it (its
    ``pm2.start``), as a convention of the file says (``assign`` reads it so)."""
    types = {f.span.path: f.module_type for f in project.of_kind("package-dependencies")}
    out = {}
    for f in project.of_kind("js-module"):
        path = f.span.path
        if not f.commonjs or not path.endswith(".js") or project.graph.into.get(path):
            continue
        # node's package scope: the nearest package.json, whatever it says
        manifest = posixpath.join(project.package_root(path), "package.json")
        if types.get(manifest) == "module":
            out[path] = Scoped("tooling", f"CommonJS (`require` on load) in a `\"type\": \"module\"` package "
                                          f"({manifest}): node stops at its `require`, and nothing of the "
                                          "project runs, imports or ships it")
    return out


def _user_scope(out: ScopeMap, edge) -> Scoped:
    if edge.src.startswith("launch:"):
        return out.launches.get(edge.src, UNKNOWN)
    return out.files.get(edge.src, UNKNOWN)


def unpacked_modules(project, prod: dict[str, Scoped], packed_by: dict[str, set[str]]) -> None:
    """A module committed in a published package's folder (package.json has ``files``) that
    the package does not pack, that nothing in production reaches and that no file of the
    package's own code loads or imports (``src/index.ts`` importing ``./lib/x.wasm``, which
    the bundler copies into ``dist``) is not deployed: material of the package's tests and
    examples (extism's ``wasm/*.wasm`` plugins, which its tests fetch from a local server),
    fixture scope."""
    def used(path: str) -> bool:
        return any(e.kind in REACH and (prod.get(e.src) is None or prod[e.src].scope not in QUIET)
                   for e in project.graph.into.get(path, ()))
    modules = [p for p, kind in project.files.items() if kind == "wasm" and p not in prod]
    for pkg, packed in packed_by.items():
        base = posixpath.dirname(pkg)
        for path in modules:
            if (path not in prod and path not in packed
                    and (not base or path.startswith(base + "/")) and not used(path)):
                prod[path] = Scoped("fixture", f"a module {pkg} does not pack (`files`), and nothing "
                                               "in production loads it")


def libtool_link_inputs(project, prod: dict[str, Scoped]) -> None:
    """A module that a libtool archive beside it names as a library links read
    (``libpng16.la``: ``library_names='libpng16.so.16.39.0 …'``, ``shouldnotlink=no``) is
    an input of a later link (``-L…/lib -lpng16``), committed as a build cache
    (wordpress-playground's ``compile/libpng16/*/dist/root/lib/lib/``): what ships is what
    that link writes, built with its own flags. Unless production reaches it (served,
    published, loaded), it is build material: tooling. A ``-module`` library
    (``shouldnotlink=yes``, a PHP extension ``dlopen``ed at run time) keeps its scope."""
    for f in project.of_kind("libtool-library"):
        if not f.linkable:
            continue
        folder = posixpath.dirname(f.span.path)
        for name in f.library_names:
            path = posixpath.join(folder, name) if folder else name
            if project.files.get(path) == "wasm" and path not in prod:
                prod[path] = Scoped("tooling", f"a library `{posixpath.basename(f.span.path)}` describes for later "
                                               "links to read (libtool: shouldnotlink=no), a build input; the "
                                               "link that reads it decides what ships")


def object_file_inputs(project, prod: dict[str, Scoped]) -> None:
    """A relocatable object (a module with a ``linking`` section: LLVM's wasm object format,
    WebAssembly/tool-conventions Linking.md, what ``emcc -c`` writes whatever its name —
    webc2e's committed ``common/*.od``) is an input of wasm-ld: no runtime loads it, and
    what ships is what the link writes, with the link's own flags and stripping. Unless
    production reaches it, it is build material: tooling."""
    for f in project.of_kind("wasm-module"):
        path = f.span.path
        if "linking" in getattr(f, "custom_sections", ()) and path not in prod and "#" not in path:
            prod[path] = Scoped("tooling", "a relocatable object (its `linking` section), an input of wasm-ld: "
                                           "the link that reads it decides what ships")


# edges by which a file makes a module part of what it builds or ships
_MAKES = ("builds", "publishes", "deploys", "includes")
# the build files at a folder's root that make it a project of its own (one its copy builds)
PROJECT_BUILD_KINDS = frozenset(("cmake", "makefile", "meson", "autoconf", "cargo-toml", "package-json",
                                 "zig-build", "bazel-build"))


def vendored_copy_modules(project, prod: dict[str, Scoped], rel: dict[str, str]) -> None:
    """A module inside a vendored copy of another project (``external/basis_universal/``,
    a folder under ``external``, ``third_party``, ``vendor`` … with its own build file at its
    root) that nothing in production reaches and that no file outside that copy loads,
    embeds or runs (KTX-Software's ``external/basis_universal/python/basisu_py/wasm/*.wasm``,
    built and loaded by basis_universal's own Python package) belongs to that project, not
    this one: vendored. One that this project's own build writes, publishes or deploys is
    this project's. A copy holding only modules (pdf.js's ``external/jbig2/``, no build
    of its own) is what the project ships, and keeps its scope."""
    builds = {posixpath.dirname(p) for p, kind in project.files.items() if kind in PROJECT_BUILD_KINDS}
    for path, kind in project.files.items():
        if kind != "wasm" or path in prod:
            continue
        copy, named = _vendored_copy(path, rel.get(path, path))
        if copy is None or copy not in builds:
            continue
        users = [e.src for e in project.graph.into.get(path, ()) if e.kind in REACH or e.kind in _MAKES]
        if all(u.startswith(copy + "/") for u in users):
            prod[path] = Scoped("vendored", f"under `{named}/`, a copy of another project with its own "
                                            "build; nothing outside the copy loads it")


def _vendored_copy(path: str, rel: str) -> tuple[str | None, str]:
    """The folder of the vendored copy holding ``path``: the folder right under the first
    vendor folder of its project-relative path, as ``project.files`` names it and as the
    project does."""
    parts = rel.split("/")[:-1]
    at = next((i for i, p in enumerate(parts) if p.lower() in VENDOR_FOLDERS), None)
    if at is None or at + 1 >= len(parts) or not path.endswith(rel):
        return None, ""
    named = "/".join(parts[:at + 2])
    return path[:len(path) - len(rel)] + named, named


# sources of languages built to WebAssembly: a module named after one is that program's build
COMPILED_SOURCES = (".c", ".cc", ".cpp", ".cxx", ".rs", ".zig", ".go", ".wat", ".nim", ".odin", ".swift")
# names too common to tell which program a module is built from
GENERIC_STEMS = frozenset(("main", "lib", "index", "app", "module", "wasm", "core", "bundle", "program", "out"))
PROGRAM_SCOPES = ("test", "bench", "example")
LOOK_UP = 3      # folders searched: the module's own, its parent and one more, within the project


def program_named_modules(project, prod: dict[str, Scoped], rel: dict[str, str]) -> None:
    """A module that nothing in production reaches and no convention places, named after the
    source of a test, bench or example program in a folder beside it (olive.c's committed
    ``wasm/cup3d.wasm``, which its build script compiles from ``demos/cup3d.c`` for the demo
    page; the same files in a copy of olive.c inside another project) is that program's
    build and takes its scope. A module whose name is also a source outside such folders
    (``src/codec.c`` beside ``examples/codec.c``), or a common one (``main.wasm``), is not
    decided so."""
    listings: dict[str, list] = {}
    for path, kind in project.files.items():
        abspath = project.abspaths.get(path)
        if kind != "wasm" or path in prod or abspath is None or "#" in path:
            continue
        said = _program_source(abspath, rel.get(path, path), listings)
        if said is not None:
            prod[path] = said


def _program_source(abspath: str, rel: str, listings: dict[str, list]) -> Scoped | None:
    stem = posixpath.basename(rel)[:-len(".wasm")] if rel.endswith(".wasm") else ""
    if not stem or stem.lower() in GENERIC_STEMS:
        return None
    names = {stem + ext for ext in COMPILED_SOURCES}
    folder, shown = os.path.dirname(abspath), posixpath.dirname(rel)
    for _level in range(min(LOOK_UP, rel.count("/") + 1)):
        entries = _listing(folder, listings)
        if any(not is_dir and name in names for name, is_dir in entries):
            return None     # the folder's own source of that name: not only a program's
        for sub, is_dir in entries:
            scope = FOLDERS.get(sub.lower())
            if not is_dir or scope not in PROGRAM_SCOPES:
                continue
            inside = _listing(os.path.join(folder, sub), listings)
            source = next((n for n, d in inside if not d and n in names), None)
            if source is None and (stem, True) in inside and any(
                    not d and n.endswith(COMPILED_SOURCES) for n, d in _listing(os.path.join(folder, sub, stem), listings)):
                source = stem + "/"
            if source is None:
                continue
            if _also_elsewhere(folder, entries, names, listings):
                return None     # `src/codec.c` beside `examples/codec.c`: not only a program's
            where = posixpath.join(shown, sub, source)
            return Scoped(scope, f"named after `{where}`, the source of a program under `{posixpath.join(shown, sub)}/`"
                                 " (its build)")
        folder, shown = os.path.dirname(folder), posixpath.dirname(shown)
    return None


def _also_elsewhere(folder: str, entries: list, names: set[str], listings: dict[str, list]) -> bool:
    """A source of that name in another folder of ``folder`` than its test, bench and example
    folders (``src/``, ``lib/``)."""
    return any(is_dir and FOLDERS.get(sub.lower()) not in PROGRAM_SCOPES and not sub.startswith(".")
               and any(not d and n in names for n, d in _listing(os.path.join(folder, sub), listings))
               for sub, is_dir in entries)


def _listing(folder: str, listings: dict[str, list]) -> list[tuple[str, bool]]:
    """(name, is a folder) of each entry of ``folder`` (links not followed), read once per run;
    [] when it cannot be listed."""
    if folder not in listings:
        try:
            with os.scandir(folder) as it:
                listings[folder] = [(e.name, e.is_dir(follow_symlinks=False)) for e in it]
        except OSError:
            listings[folder] = []
    return listings[folder]
