"""Per-file results cache, in the private user cache (``wasmlint/files/``).

An entry holds one file's facts, suppression directives and content key
(``rootcause.content_key``). Its key is the
SHA-256 of: the format version, the wasmlint version and a fingerprint of the
installed code, the real path of the project, the settings that change what
sources produce (size limits, whether WL002 validation and WL507 measurement run,
and then the ``wasm-tools`` and ``wasm-opt`` binaries), the file's display path
and kind, and the SHA-256 of its content. Cross-file rules are recomputed from
the facts on every run; only per-file work is cached.

Nothing in the checked tree is ever read as a cache entry: the cache lives in the
user's private cache folder (0700, never one inside a checked tree), so a pull
request cannot plant entries that hide its findings. Entries are JSON, decoded by
``wasmlint.serial`` into wasmlint's own fact classes only; an entry of the wrong
shape, an oversized one or one that fails to decode is a miss. Writes go to a
temporary file in the same folder and are renamed into place, so two concurrent
runs never see a half-written entry. The folder is pruned to the newest
``KEEP_ENTRIES`` entries now and then.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from . import __version__
from .codeid import code_fingerprint
from .paths import read_regular
from .serial import SerialError, decode, encode

FORMAT = 2
STAT_MEMO_BYTES = 1 << 20
ENTRY_LIMIT = 64 << 20       # bytes of one entry read; a larger one is a miss
KEEP_ENTRIES = 50_000        # entries kept across all projects when the folder is pruned
PRUNE_CHANCE = 0.05          # runs that wrote entries prune the folder once in twenty
_HEADER = "wasmlint-cache"


def settings_key(policy: dict, validate: bool, deep: bool = False, project: Path | None = None) -> str:
    """What besides the bytes decides a file's facts."""
    parts = {"format": FORMAT, "version": __version__, "code": code_fingerprint(),
             "project": os.path.realpath(project) if project is not None else None,
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


def stat_identity(st: os.stat_result) -> tuple | None:
    """What a file's content is known by between two reads in one run: (device, inode, size,
    mtime, ctime) — None when it changed within the last two seconds, for it may change
    again under the same stat (the rule of the stat memo below)."""
    if time.time_ns() - st.st_ctime_ns <= 2_000_000_000:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


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
    """``folder``: the user cache folder (None: no cache, every lookup a miss)."""

    def __init__(self, folder: Path | None, settings: str):
        self.dir = (folder / "files") if folder is not None else Path(os.devnull)
        self._real = os.path.realpath(self.dir)    # where the cache must really be
        self.settings = settings
        self.usable = folder is not None
        self.hits = self.misses = 0
        self.hashed: dict[str, tuple] = {}    # abspath -> (stat identity, SHA-256) of this run's hashing

    def key(self, path: str, kind: str | None, digest: str) -> str:
        return hashlib.sha256(f"{self.settings}\0{path}\0{kind}\0{digest}".encode()).hexdigest()

    def _file(self, key: str) -> Path:
        return self.dir / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The stored facts, directives and content key for ``key`` (decoded and checked), or None."""
        if not self.usable:
            self.misses += 1
            return None
        try:
            raw = self._read(self._file(key))
            doc = json.loads(raw)
            if not isinstance(doc, dict) or doc.get(_HEADER) != FORMAT or doc.get("key") != key:
                raise SerialError("not an entry of this cache")
            value = _checked(decode(doc["value"]))
        except Exception:   # whatever is wrong with an entry, it is a miss
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
            return self._hashed(abspath, st, file_digest(abspath))
        skey = hashlib.sha256(f"stat\0{abspath}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0"
                              f"{st.st_ino}".encode()).hexdigest()
        memo = self.dir / f"v{FORMAT}" / "stat" / skey[:2] / skey
        try:
            known = self._read(memo).decode("ascii")
            if len(known) == 64 and all(c in "0123456789abcdef" for c in known):
                return self._hashed(abspath, st, known)
        except (OSError, UnicodeDecodeError):
            pass
        digest = self._hashed(abspath, st, file_digest(abspath))
        # a file changed within the last seconds may change again under the same stat: no memo
        if digest and self.usable and stat_identity(st) is not None:
            self._store(memo, digest)
        return digest

    def _hashed(self, abspath: str, st: os.stat_result, digest: str | None) -> str | None:
        """``digest``, noted with the stat taken before it was read (``FileEntry.hashed``)."""
        identity = stat_identity(st)
        if digest and identity is not None:
            self.hashed[abspath] = (identity, digest)
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
        if not self._inside(path):
            raise OSError(f"{path}: not a cache file")
        data = read_regular(path, ENTRY_LIMIT)
        if len(data) > ENTRY_LIMIT:
            raise OSError(f"{path}: oversized cache entry")
        return data

    def _prepare(self, folder: Path) -> None:
        if not self._inside(folder):
            raise OSError(f"{folder}: outside the cache")
        if not self.dir.is_dir():
            self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            _write_small(self.dir / "CACHEDIR.TAG",
                         "Signature: 8a477f597d28d172789f06886806bc55\n# wasmlint cache; see https://bford.info/cachedir/\n")
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)

    def prune(self) -> None:
        """Keep the newest KEEP_ENTRIES entries: every project shares this folder."""
        base = self.dir / f"v{FORMAT}"
        try:
            entries = [(e.stat().st_mtime_ns, e.path) for d in os.scandir(base) if d.is_dir() and d.name != "stat"
                       for e in os.scandir(d.path) if e.name.endswith(".json")]
        except OSError:
            return
        entries.sort()
        for _, path in entries[:max(0, len(entries) - KEEP_ENTRIES)]:
            _unlink(path)


def _checked(value) -> dict:
    """A decoded entry, or an error when it is not the shape the cache stores."""
    from .facts import Fact
    from .suppress import Directive
    if not (isinstance(value, dict) and set(value) == {"facts", "directives", "content_key"}
            and isinstance(value["facts"], list) and isinstance(value["directives"], list)
            and (value["content_key"] is None or isinstance(value["content_key"], str))
            and all(isinstance(f, Fact) for f in value["facts"])
            and all(isinstance(d, Directive) for d in value["directives"])):
        raise SerialError("not a cache entry")
    return value


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

    ``cache_root`` is the project's root (None: no cache). ``analyze(entries, contents)``
    analyses the misses (in the pool). Entries whose kind no source reads, or which are
    not read at all, bypass the cache.
    """
    from .pipeline import FileResult
    from .sources import load_extractor
    from .usercache import user_cache_dir

    cache = (Cache(user_cache_dir(), settings_key(policy, validate, deep, cache_root))
             if cache_root is not None else None)
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
        results[i] = FileResult(e.path, e.kind, hit["facts"], hit["directives"], digest, hit["content_key"])
        tick()
    # a module the lookup hashed is not hashed again by its analysis while its stat is the same
    known = cache.hashed if cache is not None else {}
    fresh = analyze([replace(entries[i], hashed=known.get(entries[i].abspath)) if entries[i].kind == "wasm"
                     else entries[i] for i in todo],
                    [overlay.get(entries[i].abspath) for i in todo]) if todo else []
    for i, r in zip(todo, fresh):
        results[i] = r
        if cache is not None and r.digest and r.cacheable:
            cache.put(cache.key(r.path, r.kind, r.digest), {"facts": r.facts, "directives": r.directives,
                                                             "content_key": r.content_key})
    if cache is not None and cache.usable and todo and random.random() < PRUNE_CHANCE:
        cache.prune()
    return results
