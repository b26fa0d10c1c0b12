"""What only the whole project decides about Cargo builds (``link.py`` calls ``settle``).

* Profiles as cargo reads them: cargo takes ``[profile.*]`` from the workspace root
  only. A member's profiles are ignored (cargo warns "profiles for the non root package
  will be ignored"); a package is a member when an ancestor folder's ``Cargo.toml`` has
  a ``[workspace]`` that does not ``exclude`` it (cargo's root search), or when its
  ``package.workspace`` names a root. A cargo-fuzz package (``[package.metadata]
  cargo-fuzz = true``) is built by ``cargo fuzz`` for the host, never for WebAssembly.
"""
from __future__ import annotations

import posixpath

from ..facts import Fact
from .cargo import CargoManifest, CargoProfile, resolve_build_targets


def settle(facts: list[Fact], files: dict[str, str]) -> list[Fact]:
    facts = resolve_build_targets(facts, files)
    if not any(isinstance(f, CargoProfile) for f in facts):
        return facts
    manifests = {f.folder: f for f in facts if isinstance(f, CargoManifest)}
    return [f for f in facts if not (isinstance(f, CargoProfile) and not _profile_read(f, manifests))]


def workspace_root(m: CargoManifest, manifests: dict[str, CargoManifest]) -> str | None:
    """The folder of the workspace root cargo finds for ``m`` (its own when it is a root
    or stands alone); None when ``package.workspace`` names a root outside the run."""
    if m.workspace:
        return m.folder
    if m.package_workspace:
        root = posixpath.normpath(posixpath.join(m.folder, m.package_workspace))
        return root if root in manifests else None
    folder = m.folder
    while folder:
        folder = posixpath.dirname(folder)
        up = manifests.get(folder)
        if up is not None and up.workspace and not _excluded(up, m.folder):
            return folder
    return m.folder


def _excluded(root: CargoManifest, folder: str) -> bool:
    """cargo's ``is_excluded``: under an ``exclude`` path and not under an explicit member path."""
    rel = posixpath.relpath(folder, root.folder or ".")

    def under(paths: list) -> bool:
        return any(rel == p or rel.startswith(p + "/") for p in (posixpath.normpath(x) for x in paths))
    return under(root.workspace_exclude) and not under(root.workspace_members)


def _profile_read(p: CargoProfile, manifests: dict[str, CargoManifest]) -> bool:
    """Whether a WebAssembly build reads this profile. wasm-pack reads its own profiles from
    the crate it builds, member or not."""
    m = manifests.get(posixpath.dirname(p.span.path))
    if p.tool != "cargo" or m is None:
        return True
    return workspace_root(m, manifests) == m.folder and not m.cargo_fuzz
