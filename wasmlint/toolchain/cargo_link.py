"""What only the whole project decides about Cargo builds (``link.py`` calls ``settle``).

* Profiles as cargo reads them: cargo takes ``[profile.*]`` from the workspace root
  only. A member's profiles are ignored (cargo warns "profiles for the non root package
  will be ignored"); a package is a member when an ancestor folder's ``Cargo.toml`` has
  a ``[workspace]`` that does not ``exclude`` it (cargo's root search), or when its
  ``package.workspace`` names a root. A cargo-fuzz package (``[package.metadata]
  cargo-fuzz = true``) is built by ``cargo fuzz`` for the host, never for WebAssembly.
* The module a build writes: ``wasm-pack build [PATH]`` writes
  ``PATH/<out-dir or pkg>/<out-name or crate>_bg.wasm``; ``cargo build`` writes
  ``<target-dir or the workspace root's target>/<triple>/<profile dir>/<crate>.wasm``,
  where ``<crate>`` is the ``[lib]`` name (or the package's) with ``-`` as ``_`` for a
  ``cdylib``, the package name for a binary; an example (``--example NAME``, ``--examples``)
  goes to ``<profile dir>/examples/<name>.wasm``.
* Whether it links a module at all: a package's library is an ``rlib`` unless its
  ``crate-type`` says ``cdylib``; rustc links a wasm module only for a ``cdylib`` or a
  binary, so a `cargo build` of a library-only package writes no ``.wasm`` (``_links_module``).
* Which link decides the memory: the package's ``build.rs`` when it prints memory link
  args (``cargo:rustc-link-arg=--import-memory``: cargo passes them to every link of the
  package); else the rustflags of the cargo configs of the build's folder and the folders
  above it (no RUSTFLAGS set). When one of them states the memory (``--max-memory``,
  ``+atomics`` …) it decides it and takes the build's module as its artifact; else the
  build has Rust's default memory and is the cause.
"""
from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import replace

from ..facts import Fact
from .cargo import CargoManifest, CargoProfile, _command_folder, config_applies, resolve_build_targets
from .rust import RustLink
from .project_files import folders_up


def settle(facts: list[Fact], files: dict[str, str]) -> list[Fact]:
    facts = resolve_build_targets(facts, files)
    if not any(isinstance(f, (CargoProfile, RustLink)) for f in facts):
        return facts
    manifests = {f.folder: f for f in facts if isinstance(f, CargoManifest)}
    facts = _decide_memory(facts, manifests, files)
    wasm = _wasm_workspaces(facts, manifests)
    return [f for f in facts if not (isinstance(f, CargoProfile) and not _profile_read(f, manifests, wasm))]


def workspace_root(m: CargoManifest, manifests: dict[str, CargoManifest]) -> str | None:
    """The folder of the workspace root cargo finds for ``m`` (its own when it is a root
    or stands alone); None when ``package.workspace`` names a root outside the run."""
    if m.workspace:
        return m.folder
    if m.package_workspace:
        root = posixpath.normpath(posixpath.join(m.folder, m.package_workspace))
        return root if root in manifests else None
    folder = m.folder
    for _ in range(256):                         # a path has fewer parents than this
        if not folder or posixpath.dirname(folder) == folder:
            break
        folder = posixpath.dirname(folder)
        up = manifests.get(folder)
        if up is not None and up.workspace and not _excluded(up, m.folder):
            return folder
    return m.folder


def _listed(root: CargoManifest | None, folder: str) -> bool:
    """Whether cargo builds the package in ``folder`` in this workspace: the root's own, one
    its ``members`` globs name, or any when it lists none (its path dependencies are members
    then). A package below a root that does not list it is refused ("current package
    believes it's in a workspace when it's not"): an example left out of the workspace."""
    if root is None or root.folder == folder or not root.workspace_members:
        return True
    rel = posixpath.relpath(folder, root.folder or ".")
    return any(fnmatch.fnmatchcase(rel, posixpath.normpath(p)) for p in root.workspace_members)


def _excluded(root: CargoManifest, folder: str) -> bool:
    """cargo's ``is_excluded``: under an ``exclude`` path and not under an explicit member path."""
    rel = posixpath.relpath(folder, root.folder or ".")

    def under(paths: list) -> bool:
        return any(rel == p or rel.startswith(p + "/") for p in (posixpath.normpath(x) for x in paths))
    return under(root.workspace_exclude) and not under(root.workspace_members)


def _profile_read(p: CargoProfile, manifests: dict[str, CargoManifest], wasm: set[str] | None) -> bool:
    """Whether a WebAssembly build reads this profile. wasm-pack reads its own profiles from
    the crate it builds, member or not; cargo's are the workspace root's, and only a
    workspace that builds WebAssembly reads them for it (``wasm``: None when unknown)."""
    m = manifests.get(posixpath.dirname(p.span.path))
    if p.tool != "cargo" or m is None:
        return True
    return workspace_root(m, manifests) == m.folder and not m.cargo_fuzz and (wasm is None or m.folder in wasm)


def _wasm_workspaces(facts: list[Fact], manifests: dict[str, CargoManifest]) -> set[str] | None:
    """The workspace roots that build WebAssembly: one holding a ``cdylib`` package (what
    wasm-bindgen and wasm-pack build), or one a wasm link of the project compiles or whose
    folder a cargo config targeting wasm sits in. None when a wasm build's crate is unknown."""
    roots = {root for m in manifests.values() if "cdylib" in m.crate_types
             for root in [workspace_root(m, manifests)] if _listed(manifests.get(root), m.folder)}
    for f in facts:
        if not isinstance(f, RustLink):
            continue
        if f.crate_folder is not None and f.crate_folder in manifests:
            roots.add(workspace_root(manifests[f.crate_folder], manifests))
        elif f.origin == "cargo-config":
            folder = posixpath.dirname(posixpath.dirname(f.span.path))   # `.cargo/config.toml`'s folder
            roots |= {workspace_root(m, manifests) for m in manifests.values()
                      if m.folder == folder or m.folder.startswith(folder + "/") or not folder}
        elif f.build is not None:
            return None
    return roots


def _decide_memory(facts: list[Fact], manifests: dict[str, CargoManifest], files: dict[str, str]) -> list[Fact]:
    configs = [f for f in facts if isinstance(f, RustLink) and f.origin == "cargo-config" and f.decides_memory]
    # a package's build.rs prints link args for every link of that package
    build_scripts = {posixpath.dirname(f.span.path): f for f in facts if isinstance(f, RustLink) and f.origin == "build.rs"}
    taken: dict[int, list[str]] = {}
    out: list[Fact] = []
    for f in facts:
        if not isinstance(f, RustLink) or f.build is None:
            out.append(f)
            continue
        crate, cwd = _crate(f, manifests, files)
        if crate is None and f.origin == "build":
            continue        # a crate the project does not hold (a submodule, a folder it `cd`s to): unknown
        if crate is not None and not _links_module(f, crate, files):
            continue
        f = replace(f, artifacts=_artifacts(f, crate, cwd, manifests, files) if crate else [],
                    crate_folder=crate.folder if crate else None,
                    workspace_folder=workspace_root(crate, manifests) if crate else None)
        decider = build_scripts.get(crate.folder) if crate is not None and f.origin == "build" else None
        # a `cd` before the command moves where cargo starts looking for its config too, and
        # wasm-pack runs cargo in the crate's folder (`wasm-pack build executor`)
        ran_in = crate.folder if crate is not None and f.build.tool == "wasm-pack" else cwd if f.moved_to else None
        decider = decider or next((c for c in configs if f.origin == "build" and _reads(f, c, files, ran_in)), None)
        if decider is None:
            out.append(f)
        else:
            taken.setdefault(id(decider), []).extend(f.artifacts)
    if not taken:
        return out
    return [replace(f, artifacts=sorted(set(f.artifacts) | set(taken[id(f)]))) if id(f) in taken else f
            for f in out]


def _links_module(link: RustLink, m: CargoManifest, files: dict[str, str]) -> bool:
    """Whether a cargo build links a WebAssembly module of the package: a ``cdylib`` library
    (the manifest's or `cargo rustc --crate-type`'s) or a binary. A library's default crate
    type is ``rlib`` (cargo's target reference), an archive rustc links nothing into; `cargo
    build` builds the library and the binaries (`[[bin]]`, src/main.rs, src/bin/), `--lib`
    the library alone. Another selection (`--example`, `--tests`, `--workspace` …): assumed to link."""
    b = link.build
    if b is None or b.tool not in ("cargo", "cross"):
        return True
    if "cdylib" in m.crate_types or "cdylib" in b.crate_types or "bin" in b.crate_types or b.selects - {"--lib"}:
        return True
    if m.default_members and not b.package:
        return True     # a plain `cargo build` at the root builds the default members, maybe not this package
    if "--lib" in b.selects:
        return False
    src = _join(m.folder, "src")
    return m.bin_tables or (m.autobins and any(p == src + "/main.rs" or p.startswith(src + "/bin/") for p in files))


def _reads(build: RustLink, config: RustLink, files: dict[str, str], cwd: str | None = None) -> bool:
    """Whether cargo passes this config's rustflags to the build (its folder, or ``cwd``, and
    the ones above it; the build's triple, a `cfg(…)` table, or `[build] rustflags`)."""
    if not config_applies(config.span.path, build.span.path, files, cwd):
        return False
    return config.target is None or config.target == build.target or config.target.startswith("cfg(")


def _crate(link: RustLink, manifests: dict[str, CargoManifest],
           files: dict[str, str]) -> tuple[CargoManifest | None, str]:
    """The manifest of the package the build compiles: wasm-pack's PATH, else the nearest
    package manifest at or above its folder; cargo's `--manifest-path`, else the nearest one,
    then `-p NAME` in that workspace (a virtual workspace without `-p` builds several: None). A shell script runs
    in its caller's folder: its own, or the project's root; a `cd` before the command moves
    it from there (`cd wasm/lib && wasm-pack build`). Also the folder it ran in."""
    folders = [_command_folder(link.span.path, files)]
    if files.get(link.span.path) == "shell" and folders[0]:
        folders.append("")
    if link.moved_to:
        folders = [posixpath.normpath(posixpath.join(f, link.moved_to)) for f in folders]
    for cwd in folders:
        m = _crate_from(link, cwd, manifests, files)
        if m is not None:
            return m, cwd
    return None, folders[0]


def _crate_from(link: RustLink, cwd: str, manifests: dict[str, CargoManifest],
                files: dict[str, str]) -> CargoManifest | None:
    b = link.build
    if b is None:
        return None
    if b.tool == "wasm-pack":
        here = manifests.get(_join(cwd, b.crate or "."))
        if here is not None or b.crate is not None:
            return here
        # no PATH and no Cargo.toml here: the nearest one above the folder it runs in, which must
        # be one of the project's (a `cd` into a folder the project lacks fails: no build)
        m = _nearest(cwd, manifests) if _holds_files(cwd, files) else None
        return m if m is not None and m.package else None     # a workspace's root is no crate to pack
    m = manifests.get(_join(cwd, b.crate)) if b.crate is not None else _nearest(cwd, manifests)
    if m is not None and b.package:
        root = workspace_root(m, manifests)
        m = next((x for x in manifests.values() if x.package == b.package
                  and workspace_root(x, manifests) == root), None)
    return m if m is not None and m.package else None


def _artifacts(link: RustLink, m: CargoManifest, cwd: str, manifests: dict[str, CargoManifest],
               files: dict[str, str]) -> list[str]:
    b = link.build
    if b is None or not link.target or "…" in link.target:
        return []
    if b.tool == "wasm-pack":
        name = b.out_name or m.artifact_stem
        return [_join(m.folder, b.out_dir, f"{name}_bg.wasm")] if name else []
    root = workspace_root(m, manifests)
    if root is None:
        return []
    target_dir = _join(cwd, b.target_dir) if b.target_dir else _join(root, "target")
    out = _join(target_dir, link.target, b.profile_dir)
    if b.example or "--examples" in b.selects:
        # cargo writes an example to `<profile>/examples/<name>.wasm`; `--examples` builds
        # every `examples/<name>.rs` and `examples/<name>/main.rs` of the package
        names = [b.example] if b.example else _example_names(m.folder, files)
        return [_join(out, "examples", f"{n.replace('-', '_')}.wasm") for n in names]
    stem = m.artifact_stem if "cdylib" in m.crate_types else m.package
    return [_join(out, f"{stem}.wasm")]


def _example_names(folder: str, files: dict[str, str]) -> list[str]:
    """The examples cargo finds in a package: ``examples/<name>.rs``, ``examples/<name>/main.rs``."""
    found = set()
    for p in files:
        rel = posixpath.relpath(p, folder) if folder else p
        parts = rel.split("/")
        if parts[0] == "examples" and (len(parts) == 2 and rel.endswith(".rs") or parts[2:] == ["main.rs"]):
            found.add(parts[1].removesuffix(".rs"))
    return sorted(found)


def _holds_files(folder: str, files: dict[str, str]) -> bool:
    """Whether ``folder`` is the project's root or a folder holding some of its files (the
    folders of a run's files are listed once: the last run's are kept)."""
    if not folder or folder == ".":
        return True
    if _FOLDERS[0] is not files:
        _FOLDERS[:] = [files, {d for p in files for d in folders_up(posixpath.dirname(p), limit=MAX_DEPTH)}]
    return folder in _FOLDERS[1]


_FOLDERS: list = [None, set()]
MAX_DEPTH = 256      # folders listed above a file (a path is never deeper)


def _nearest(folder: str, manifests: dict[str, CargoManifest]) -> CargoManifest | None:
    """The manifest cargo finds from ``folder``: its own, else the nearest folder above."""
    while True:
        if folder in manifests:
            return manifests[folder]
        if not folder or posixpath.dirname(folder) == folder:   # "/" is its own parent
            return None
        folder = posixpath.dirname(folder)


def _join(*parts: str | None) -> str:
    """Project-relative folders joined; "" is the project's root (a build run there)."""
    parts = [p for p in parts if p]
    if not parts:
        return ""
    path = posixpath.normpath(posixpath.join(*parts))
    return "" if path == "." else path
