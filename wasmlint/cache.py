"""Per-file results cache in ``.wasmlint_cache/`` at the project root.

An entry holds one file's facts and suppression directives. Its key is the
SHA-256 of: the format version, the wasmlint version and a fingerprint of the
installed code, the settings that change what sources produce (size limits,
whether WL002 validation and WL507 measurement run, and then the ``wasm-tools``
and ``wasm-opt`` binaries), the file's
display path and kind, and the SHA-256 of its content. Cross-file rules are
recomputed from the facts on every run; only per-file work is cached.

Entries are JSON, decoded by ``wasmlint.serial`` into wasmlint's own
dataclasses only, so a planted cache file can at worst produce wrong facts,
never run code. Writes go to a temporary file in the same folder and are
renamed into place, so two concurrent runs never see a half-written entry; an
unreadable or corrupt entry is a miss.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from pathlib import Path

from . import __version__
from .codeid import code_fingerprint
from .serial import SerialError, decode, encode

CACHE_DIR = ".wasmlint_cache"
FORMAT = 1
STAT_MEMO_BYTES = 1 << 20
_HEADER = "wasmlint-cache"


def settings_key(policy: dict, validate: bool, deep: bool = False) -> str:
    """What besides the bytes decides a file's facts."""
    parts = {"format": FORMAT, "version": __version__, "code": code_fingerprint(),
             "max-file-bytes": policy.get("max-file-bytes"),
             "max-binary-bytes": policy.get("max-binary-bytes"), "validate": validate, "deep": deep}
    # the external tools themselves (path, size, mtime): a new build or version is a new key
    from .tools import find_tool
    for tool, used in (("wasm-tools", validate), ("wasm-opt", deep)):
        if used:
            exe = find_tool(tool)
            parts[tool] = _identity(exe) if exe else None
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _identity(path: str) -> list | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [os.path.realpath(path), st.st_size, st.st_mtime_ns]


def file_digest(abspath: str) -> str | None:
    h = hashlib.sha256()
    try:
        with open(abspath, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


class Cache:
    def __init__(self, root: Path, settings: str):
        self.dir = root / CACHE_DIR
        self._real = os.path.join(os.path.realpath(root), CACHE_DIR)   # where the cache must really be
        self.settings = settings
        self.usable = True
        self.hits = self.misses = 0

    def key(self, path: str, kind: str | None, digest: str) -> str:
        return hashlib.sha256(f"{self.settings}\0{path}\0{kind}\0{digest}".encode()).hexdigest()

    def _file(self, key: str) -> Path:
        return self.dir / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The stored fields for ``key`` (already decoded), or None."""
        try:
            raw = self._read(self._file(key))
            doc = json.loads(raw)
            if not isinstance(doc, dict) or doc.get(_HEADER) != FORMAT or doc.get("key") != key:
                raise SerialError("not an entry of this cache")
            value = decode(doc["value"])
        except (OSError, ValueError, KeyError, TypeError, SerialError, RecursionError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: dict) -> None:
        if not self.usable:
            return
        try:
            body = json.dumps({_HEADER: FORMAT, "key": key, "value": encode(value)},
                              separators=(",", ":"))
        except SerialError:
            return   # a fact holding something we cannot store: that file is simply not cached
        self._store(self._file(key), body)

    def digest(self, abspath: str) -> str | None:
        """The file's SHA-256. Files of 1 MiB and more are hashed once per
        (path, size, mtime, ctime, inode): a later run with the same stat reuses it."""
        try:
            st = os.stat(abspath)
        except OSError:
            return None
        if st.st_size < STAT_MEMO_BYTES:
            return file_digest(abspath)
        skey = hashlib.sha256(f"stat\0{abspath}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0"
                              f"{st.st_ino}".encode()).hexdigest()
        memo = self.dir / f"v{FORMAT}" / "stat" / skey[:2] / skey
        try:
            known = self._read(memo).decode("ascii")
            if len(known) == 64 and all(c in "0123456789abcdef" for c in known):
                return known
        except (OSError, UnicodeDecodeError):
            pass
        digest = file_digest(abspath)
        # a file changed within the last seconds may change again under the same stat: no memo
        if digest and self.usable and time.time_ns() - st.st_ctime_ns > 2_000_000_000:
            self._store(memo, digest)
        return digest

    def _store(self, target: Path, body: str) -> None:
        try:
            self._prepare(target.parent)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(body)
                os.replace(tmp, target)
            except BaseException:
                _unlink(tmp)
                raise
        except OSError:
            self.usable = False   # read-only tree, full disk: run on without a cache

    def _inside(self, path: Path) -> bool:
        """Whether ``path`` really lies in this cache: a checked-out tree may hold a
        ``.wasmlint_cache`` (or a folder in it) that is a symlink to elsewhere."""
        real = os.path.realpath(path)
        return real == self._real or real.startswith(self._real + os.sep)

    def _read(self, path: Path) -> bytes:
        if not self._inside(path) or not stat.S_ISREG(os.stat(path).st_mode):
            raise OSError(f"{path}: not a cache file")
        return path.read_bytes()

    def _prepare(self, folder: Path) -> None:
        if not self._inside(folder):
            raise OSError(f"{folder}: outside the cache")
        if not self.dir.is_dir():
            self.dir.mkdir(parents=True, exist_ok=True)
        ignore = self.dir / ".gitignore"
        if not ignore.exists():
            _write_small(ignore, "# created by wasmlint\n*\n")
            _write_small(self.dir / "CACHEDIR.TAG",
                         "Signature: 8a477f597d28d172789f06886806bc55\n# wasmlint cache; see https://bford.info/cachedir/\n")
        folder.mkdir(parents=True, exist_ok=True)


def _write_small(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def cached_analysis(entries, policy: dict, validate: bool, deep: bool, overlay: dict[str, bytes],
                    cache_root: Path | None, tick, analyze) -> list:
    """``pipeline.analyze_file`` over ``entries``, through the cache.

    ``analyze(entries, contents)`` analyses the misses (in the pool). Entries
    whose kind no source reads, or which are not read at all, bypass the cache.
    """
    from .pipeline import FileResult
    from .sources import load_extractor

    cache = Cache(cache_root, settings_key(policy, validate, deep)) if cache_root is not None else None
    results: list = [None] * len(entries)
    todo: list[int] = []
    for i, e in enumerate(entries):
        content = overlay.get(e.abspath)
        limit = policy["max-binary-bytes"] if e.kind == "wasm" else policy["max-file-bytes"]
        if (cache is None or e.problem or e.kind is None or load_extractor(e.kind) is None
                or (content is None and e.size > limit)):
            todo.append(i)
            continue
        digest = hashlib.sha256(content).hexdigest() if content is not None else cache.digest(e.abspath)
        hit = cache.get(cache.key(e.path, e.kind, digest)) if digest else None
        if hit is None:
            todo.append(i)
            continue
        results[i] = FileResult(e.path, e.kind, hit["facts"], hit["directives"], digest)
        tick()
    fresh = analyze([entries[i] for i in todo], [overlay.get(entries[i].abspath) for i in todo]) if todo else []
    for i, r in zip(todo, fresh):
        results[i] = r
        if cache is not None and r.digest and r.cacheable:
            cache.put(cache.key(r.path, r.kind, r.digest), {"facts": r.facts, "directives": r.directives})
    return results
