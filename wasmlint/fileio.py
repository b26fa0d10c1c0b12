"""Atomic file writes (``--fix``, the baseline): a temporary file in the same
folder, flushed and fsynced, given the old file's mode, renamed over it."""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path


class StaleFile(Exception):
    """The file on disk is not the one that was read."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: str | os.PathLike, data: bytes, expect_sha256: str | None = None) -> None:
    """Replace ``path`` by ``data``. With ``expect_sha256``, refuse (StaleFile) when
    the current content is not the one that was read. A symlink's target is written."""
    real = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(os.stat(real).st_mode)
    except FileNotFoundError:
        if expect_sha256 is not None:
            raise StaleFile(f"{path}: removed since it was read") from None
        mode = 0o666 & ~_umask()
    if expect_sha256 is not None:
        with open(real, "rb") as fh:
            if sha256(fh.read()) != expect_sha256:
                raise StaleFile(f"{path}: changed on disk since it was read; not written")
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".wasmlint-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:
        dfd = os.open(real.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
