"""A per-user cache folder for wasmlint's own derived data (the parsed rule
catalog, lark's grammar tables): ``$XDG_CACHE_HOME/wasmlint`` or
``~/.cache/wasmlint``, created private (0700) so no other user can plant files
there. Every use must work without it."""
from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "wasmlint"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = path.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o077:
            return None   # not ours alone: do not trust what is in it
    except OSError:
        return None
    return path


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass
