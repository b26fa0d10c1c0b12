"""What a run reads and what it reports.

A project is the nearest folder at or above the first given path holding ``.git``
or a wasmlint configuration. ``wasmlint check ROOT`` reads and reports the whole
project; ``wasmlint check ROOT/sub`` and ``wasmlint check ROOT/sub/file.js`` (how
pre-commit and editors call it) read the whole project too — so that cross-file
rules see the launch, the loader and the binary together, and the node version
and configuration are the project's whichever path was named — and report only on
the given files and folders. With no such folder above them, only the given paths
are read.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .config import find_config
from .paths import real


def project_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` with ``.git`` or a wasmlint configuration."""
    start = real(start)
    if not start.is_dir():
        start = start.parent
    config = find_config(start)
    config_dir = real(config).parent if config is not None else None
    for d in (start, *start.parents):
        if (d / ".git").exists() or d == config_dir:
            return d
    return None


@dataclass
class RunPaths:
    read: list[str]                                 # paths handed to discover
    files: set[str] = field(default_factory=set)    # reported files (absolute); empty: all
    dirs: list[str] = field(default_factory=list)   # reported folders (absolute)
    root: Path = field(default_factory=Path.cwd)    # where .wasmlint_cache/ lives

    @property
    def filtered(self) -> bool:
        return bool(self.files or self.dirs)

    def contains(self, abspath: str) -> bool:
        if not self.filtered:
            return True
        real = os.path.realpath(abspath)
        return real in self.files or any(real == d or real.startswith(d + os.sep) for d in self.dirs)


def resolve_run_paths(paths: list[str], config_root: Path | None = None) -> RunPaths:
    paths = paths or ["."]
    first = Path(paths[0])
    root = project_root(first)
    cache_root = root or (config_root if config_root is not None else Path.cwd())
    if not cache_root.is_dir():      # the configuration root of a lone file is the file itself
        cache_root = cache_root.parent
    if root is None:
        return RunPaths(list(paths), root=cache_root)
    given = [os.path.realpath(p) for p in paths]
    if all(g == str(root) for g in given) or \
            not all(g == str(root) or g.startswith(str(root) + os.sep) for g in given):
        return RunPaths(list(paths), root=cache_root)
    # named folders before the root: conventions (test/, examples/) are read relative to the
    # folder the user named, so `check examples/demo` judges the demo as a project of its own,
    # while the root brings the project's context (launches, node version, builds)
    folders = [p for p in paths if os.path.isdir(p)]
    return RunPaths([*folders, str(root) if Path(root) != real(Path.cwd()) else ".",
                     *(p for p in paths if p not in folders)],
                 files={g for g in given if os.path.isfile(g)},
                 dirs=[g for g in given if os.path.isdir(g)], root=root)



def run_roots(read: list[str]) -> list[str]:
    """The folders a run reads, resolved, in order (a ``check FILE…`` run reads its
    project root first): what project-relative paths are relative to."""
    return [os.path.realpath(p) for p in read if os.path.isdir(p)]


def project_relative(abspath: str, roots: list[str]) -> str | None:
    """``abspath`` relative to the first of ``roots`` holding it (None: none does).
    Conventions (``test/``, ``examples/``) are read on this path, so ``wasmlint check
    examples/demo`` judges the demo as a project of its own."""
    found = _holding(abspath, roots)
    return found and found[1]


def root_holding(abspath: str, roots: list[str]) -> str | None:
    """The first of ``roots`` (the run's folders) holding ``abspath``: the project a file's
    readers may open other files of (a sourced script, a response file), never beyond."""
    found = _holding(abspath, roots)
    return found and found[0]


def _holding(abspath: str, roots: list[str]) -> tuple[str, str] | None:
    for path in (abspath, None):
        if path is None:     # a given file's path may hold a symlinked folder: resolve its folder
            path = os.path.join(os.path.realpath(os.path.dirname(abspath)), os.path.basename(abspath))
        for root in roots:
            prefix = root.rstrip(os.sep) + os.sep
            if path.startswith(prefix):
                return root, path[len(prefix):].replace(os.sep, "/")
    return None
