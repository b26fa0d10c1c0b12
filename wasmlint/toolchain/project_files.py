"""Other files of the project, for a build file whose meaning depends on them (a CMake
``include()`` or parent ``CMakeLists.txt``, a Makefile run under a wrapper a script shows).

Reads are confined to the project (the folder the run was given, else the nearest folder
with ``.git`` or a wasmlint configuration, else the working folder when the file is
inside it, else the file's own folder), go through ``paths.read_regular`` (no links
out, no FIFOs), are limited in size and number, and mark the source file as depending
on other files (its facts are then never cached).
"""
from __future__ import annotations

import os
import posixpath
from pathlib import Path

from ..paths import NotRegular, file_names, folder_names, read_regular, real
from ..sources import SourceFile

FILE_LIMIT = 1 << 20       # bytes of one file read for context
MAX_READS = 96             # files one extraction may read
MAX_LISTED = 256           # names of one folder looked at


class ProjectFiles:
    def __init__(self, src: SourceFile):
        self.src = src
        self.root = _root_of(src)
        here = real(src.abspath).parent if src.abspath else None
        rel = os.path.relpath(here, self.root) if here is not None and self.root is not None else "."
        self.rel_dir = "." if rel in (".", "") or rel.startswith("..") else rel.replace(os.sep, "/")
        self.reads = 0
        self._cache: dict[str, str | None] = {}
        self.docker_contexts: dict[str, str] | None = None     # docker_contexts.contexts, read once

    def shown(self, rel: str) -> str:
        """A project-relative path as paths are shown (relative to the working folder)."""
        from ..discover import display_path
        return display_path(Path(str(self.root)) / posixpath.normpath(rel), real(os.getcwd()))

    def resolve(self, rel_dir: str, path: str) -> str | None:
        """``path`` (relative to the project folder ``rel_dir``, or absolute inside the
        project) as a normalised project-relative path, or None when it leaves the project."""
        if not path or "\0" in path or self.root is None:
            return None
        if os.path.isabs(path):
            full = os.path.normpath(path)
            root = str(self.root)
            if not (full == root or full.startswith(root + os.sep)):
                return None
            rel = os.path.relpath(full, root).replace(os.sep, "/")
        else:
            rel = posixpath.normpath(posixpath.join(rel_dir, path))
        if rel == ".." or rel.startswith("../"):
            return None
        return rel

    def read(self, rel: str) -> str | None:
        """The text of a project file (project-relative path), or None."""
        if rel in self._cache:
            return self._cache[rel]
        self.src.read_others = True
        text = None
        if self.root is not None and self.reads < MAX_READS:
            self.reads += 1
            full = os.path.join(str(self.root), rel)
            resolved = real(full)
            root = str(self.root)
            if str(resolved) == root or str(resolved).startswith(root + os.sep):
                try:
                    data = read_regular(full, FILE_LIMIT, follow=True)
                    if len(data) <= FILE_LIMIT:
                        text = data.decode("utf-8-sig")
                except (OSError, NotRegular, UnicodeDecodeError):
                    text = None
        self._cache[rel] = text
        return text

    def list(self, rel_dir: str) -> list[str]:
        """The names of the regular files in a project folder (at most MAX_LISTED)."""
        return self._names(rel_dir, file_names)

    def folders(self, rel_dir: str) -> list[str]:
        """The names of the sub-folders of a project folder (at most MAX_LISTED; no links)."""
        return self._names(rel_dir, folder_names)

    def _names(self, rel_dir: str, lister) -> list[str]:
        if self.root is None:
            return []
        full = real(os.path.join(str(self.root), rel_dir))
        root = str(self.root)
        if not (str(full) == root or str(full).startswith(root + os.sep)):
            return []
        self.src.read_others = True
        return lister(full, MAX_LISTED)

    def is_file(self, rel: str) -> bool:
        if self.root is None:
            return False
        full = real(os.path.join(str(self.root), rel))
        root = str(self.root)
        return (str(full) == root or str(full).startswith(root + os.sep)) and full.is_file()


def folders_up(rel_dir: str, limit: int = 8) -> list[str]:
    """``rel_dir`` and the folders above it, nearest first, up to the project's root
    (``.``), at most ``limit`` of them: where build tools look for the files of a folder's
    build (configure presets, options files, the scripts that run it)."""
    out, d = [], rel_dir or "."
    for _ in range(limit):
        out.append(d)
        if d in (".", ""):
            break
        d = posixpath.dirname(d) or "."
    return out


def _root_of(src: SourceFile):
    from ..runpaths import project_root
    if src.root:
        return real(src.root)
    if not src.abspath:
        return None
    here = real(src.abspath).parent
    found = project_root(here)
    if found is not None:
        return found
    cwd = real(os.getcwd())
    if here == cwd or cwd in here.parents:
        return cwd
    return here

