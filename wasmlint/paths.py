"""The one way wasmlint resolves and opens paths of the linted tree.

``Path.resolve()`` raises on a symlink loop (Python 3.10–3.12) and ``open()`` follows
links and blocks on FIFOs: a committed tree controls both. Every resolution and every
read of a tree file goes through here.
"""
from __future__ import annotations

import errno
import os
from contextlib import contextmanager
import stat
from pathlib import Path


class NotRegular(OSError):
    """A path that is not a regular file (FIFO, device, socket, folder, link where none may be)."""


def real(path: str | os.PathLike) -> Path:
    """The path with every link resolved, as far as it resolves; never raises (a loop or
    an unreadable link leaves the rest of the path as written, absolute)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return Path(os.path.abspath(path))


def link_target(path: str | os.PathLike) -> tuple[Path | None, str | None]:
    """Where a symlink finally points: (target, None), or (None, why it does not resolve)."""
    try:
        return Path(os.path.realpath(path, strict=True)), None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "symlink loop"
        if exc.errno == errno.ENOENT:
            return None, "dangling symlink"
        return None, exc.strerror or "cannot resolve"
    except ValueError:
        return None, "cannot resolve"


def within(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


_OVERLAY: dict[str, bytes] = {}


@contextmanager
def overlaid(contents: dict[str, bytes]):
    """While in this block, ``read_regular`` of a path in ``contents`` (absolute paths)
    gives that text: ``--fix`` re-lints edited files before writing them, and a file
    read for another's context (a CMake ``include()``, a sourced script) must be the
    edited one too."""
    saved = dict(_OVERLAY)
    _OVERLAY.update(contents)
    try:
        yield
    finally:
        _OVERLAY.clear()
        _OVERLAY.update(saved)


def read_regular(path: str | os.PathLike, limit: int, follow: bool = False) -> bytes:
    """At most ``limit`` bytes of a regular file (``limit + 1`` read, so callers can tell
    an oversized file). Never follows a final symlink unless ``follow``, never blocks on
    a FIFO, never reads a device: raises :class:`NotRegular` (an ``OSError``) instead."""
    if _OVERLAY:
        full = os.path.abspath(path)
        edited = _OVERLAY.get(full)
        if edited is None:
            edited = _OVERLAY.get(str(real(full)))
        if edited is not None:
            return edited[:limit + 1]
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular(errno.EINVAL, "not a regular file")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def file_names(folder: str | os.PathLike, limit: int) -> list[str]:
    """The names of the regular files in a folder (links not followed), sorted, at most
    ``limit``; [] when it cannot be listed."""
    return _entries(folder, limit, lambda e: e.is_file(follow_symlinks=False))


def folder_names(folder: str | os.PathLike, limit: int) -> list[str]:
    """The names of the sub-folders of a folder (links not followed), sorted, at most
    ``limit``; [] when it cannot be listed."""
    return _entries(folder, limit, lambda e: e.is_dir(follow_symlinks=False))


def _entries(folder, limit: int, keep) -> list[str]:
    try:
        with os.scandir(folder) as it:
            names = sorted(e.name for e in it if keep(e))
    except OSError:
        return []
    return names[:limit]
