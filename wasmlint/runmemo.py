"""Replaying an unchanged ``check`` run (the warm path).

A ``check`` that changes nothing and starts no external tool stores, in the
per-user cache, what it printed and its exit code, with the state (type, size,
mtime, ctime, inode) of everything that decided them: each folder and file the
walk visited (a folder's times change when an entry is added, removed or
renamed), the ``.gitignore`` files, the configuration, every place above the
checked paths where a configuration or ``.git`` could appear, ``extend-rules``
folders and the baseline. The next run with the same arguments, working
directory, environment, terminals and installed wasmlint stats those paths and,
when every one is unchanged, prints the stored output without loading the
pipeline. Any difference or doubt runs the check.

A run is not stored when an input changed within two seconds before it started
(or while it ran): a file rewritten within one timestamp tick could otherwise
keep its stat while its content differs.
"""
from __future__ import annotations

import json
import os
import sys
import time

FORMAT = 1
KEEP = 64                          # memos kept per user; the oldest are removed
RACY_NS = 2_000_000_000
# set by shells and terminals, never read by wasmlint or rich: not part of the key
_VOLATILE_ENV = frozenset(("_", "OLDPWD", "SHLVL", "PS1", "PS2", "PS4", "PROMPT_COMMAND",
                           "TERM_SESSION_ID", "WINDOWID", "HISTFILE", "HISTSIZE"))
EXISTS = "exists"                  # for ``.git``: only whether it is there counts


def _material(argv: list[str]) -> str:
    from . import __version__
    from .codeid import code_fingerprint
    ttys = []
    for fd in (1, 2):
        try:
            tty = os.isatty(fd)
            ttys.append([tty, list(os.get_terminal_size(fd)) if tty else None])
        except OSError:
            ttys.append([False, None])
    env = sorted((k, v) for k, v in os.environ.items() if k not in _VOLATILE_ENV)
    return json.dumps([FORMAT, __version__, code_fingerprint(), sys.executable, os.getcwd(),
                       argv, env, ttys])


def _memo_path(material: str):
    from _sha256 import sha256
    from .usercache import user_cache_dir
    base = user_cache_dir()
    if base is None:
        return None
    return os.path.join(base, "runs", sha256(material.encode()).hexdigest()[:40] + ".json")


def _signature(path: str, how: str | None = None):
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if how == EXISTS:
        return True
    return [st.st_mode >> 12, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def replay(argv: list[str]) -> int | None:
    """Print a stored run's output and return its exit code, or None to run."""
    if "--no-cache" in argv:
        return None
    try:
        material = _material(argv)
        path = _memo_path(material)
        if path is None:
            return None
        with open(path, encoding="utf-8") as fh:
            memo = json.load(fh)
        if memo.get("material") != material:
            return None
        for p, how, sig in memo["inputs"]:
            if _signature(p, how) != sig:
                return None
        out, err, code = memo["stdout"], memo["stderr"], memo["code"]
        if not (isinstance(out, str) and isinstance(err, str) and isinstance(code, int)):
            return None
    except Exception:   # no memo, a stale or corrupt one: run the check
        return None
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return code


class _Tee:
    """A text stream that also keeps what was written; ``unrecorded`` is the stream
    itself (for output that must not be replayed, such as a progress bar)."""

    def __init__(self, raw):
        self.unrecorded = self.raw = raw
        self.parts: list[str] = []

    def write(self, s: str) -> int:
        self.parts.append(s)
        return self.raw.write(s)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class Recorder:
    """Captures a ``check`` run's output; ``store`` keeps it for ``replay``."""

    def __init__(self, argv: list[str]):
        self.argv = argv
        self.start_ns = time.time_ns()
        self.out, self.err = _Tee(sys.stdout), _Tee(sys.stderr)
        sys.stdout, sys.stderr = self.out, self.err

    def close(self) -> None:
        sys.stdout, sys.stderr = self.out.raw, self.err.raw

    def store(self, code: int, inputs: list[tuple[str, str | None]]) -> bool:
        """Keep the run for ``inputs`` ((path, how) pairs). False when it may not be replayed."""
        self.close()
        try:
            rows = []
            for p, how in dict.fromkeys(inputs):
                sig = _signature(p, how)
                if isinstance(sig, list) and max(sig[2], sig[3]) >= self.start_ns - RACY_NS:
                    return False
                rows.append([p, how, sig])
            material = _material(self.argv)
            path = _memo_path(material)
            if path is None:
                return False
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            body = json.dumps({"material": material, "inputs": rows, "code": code,
                               "stdout": "".join(self.out.parts), "stderr": "".join(self.err.parts)})
            from pathlib import Path
            from .usercache import prune, write_atomic
            write_atomic(Path(path), body.encode("utf-8"))
            prune(os.path.dirname(path), ".json", KEEP)
            return True
        except (OSError, ValueError, TypeError):
            return False


def above(paths: list[str], names: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Every place at or above ``paths`` where one of ``names`` would change the run."""
    out = []
    for p in paths or ["."]:
        d = os.path.realpath(p)
        if not os.path.isdir(d):
            d = os.path.dirname(d)
        while True:
            out.append((os.path.join(d, ".git"), EXISTS))
            out.extend((os.path.join(d, n), None) for n in names)
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent
    return out
