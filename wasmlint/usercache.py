"""A per-user cache folder for wasmlint's own derived data (per-file facts, the
parsed rule catalog, lark's grammar tables, run memos): ``$XDG_CACHE_HOME/wasmlint``
or ``~/.cache/wasmlint``, created private (0700) so no other user can plant files
there. A folder that lies inside a tree being checked is never used (CI jobs often
point ``XDG_CACHE_HOME`` into the checkout, where a pull request could commit it).
Every use must work without it."""
from __future__ import annotations

import os
from pathlib import Path


_DISTRUSTED: list[str] = []     # real paths of the trees this run checks


def distrust(paths) -> None:
    """Never use a user cache inside any of ``paths`` (the trees being checked)."""
    for p in paths:
        real = os.path.realpath(p)
        if real not in _DISTRUSTED:
            _DISTRUSTED.append(real)


def distrust_for_argv(argv: list[str]) -> None:
    """Before anything else reads the user cache: the working folder, the repository
    around it (the nearest folder above holding ``.git``) and every path on the command line."""
    _DISTRUSTED.clear()      # one run's trees; a process may run several (tests, a server)
    here = os.getcwd()
    top = here
    while not os.path.exists(os.path.join(top, ".git")) and os.path.dirname(top) != top:
        top = os.path.dirname(top)
    paths = [here, *(a for a in argv if not a.startswith("-") and os.path.exists(a))]
    distrust(paths + ([top] if os.path.exists(os.path.join(top, ".git")) else []))


def distrusted() -> list[str]:
    return list(_DISTRUSTED)


def user_cache_dir() -> Path | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "wasmlint"
    where = os.path.realpath(path)
    if any(where == t or where.startswith(t.rstrip(os.sep) + os.sep) for t in _DISTRUSTED):
        return None
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


def prune(folder, suffix: str, keep: int, prefix: str = "") -> None:
    """Keep the ``keep`` newest files named ``prefix…suffix`` in ``folder``: each
    installed copy or version of wasmlint writes its own, and none should pile up."""
    try:
        names = [n for n in os.listdir(folder) if n.endswith(suffix) and n.startswith(prefix)]
        if len(names) <= keep:
            return
        by_age = sorted(names, key=lambda n: os.stat(os.path.join(folder, n)).st_mtime_ns)
        for n in by_age[:len(names) - keep]:
            os.unlink(os.path.join(folder, n))
    except OSError:
        pass
