#!/usr/bin/env python3
"""Fetch the pinned JavaScript glue the JS extractor is tested on.

Each package in ``tests/js_glue.lock.json`` (Emscripten plain, pthreads and
SINGLE_FILE glue, wasm-bindgen web and nodejs glue, Go's ``wasm_exec.js``,
feature probes, hand-written loaders) is fetched with ``npm pack``, checked
against its pinned sha512 integrity, and only the listed files are extracted
into ``.cache/js-glue/<name>@<version>/``, each checked against its sha256.
Third-party code stays in the cache; it is never committed.

    python scripts/fetch_js_glue.py

The npm plumbing (pack, integrity, safe extraction, cache lock) is
``scripts/fetch_testdata.py``'s; this script only has its own lock and cache.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "tests" / "js_glue.lock.json"
CACHE = ROOT / ".cache" / "js-glue"


def _npm():
    spec = importlib.util.spec_from_file_location("fetch_testdata", ROOT / "scripts" / "fetch_testdata.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def package_dir(pkg: dict) -> Path:
    return CACHE / f"{pkg['name'].replace('/', '+')}@{pkg['version']}"


def local_path(pkg: dict, member: str) -> Path:
    return package_dir(pkg) / member.split("/", 1)[1]


def _fetch_one(npm, pkg: dict) -> None:
    d = package_dir(pkg)
    marker = d / ".integrity"
    if marker.exists() and marker.read_text() == pkg["integrity"] and all(
            local_path(pkg, f["path"]).exists() for f in pkg["files"]):
        return
    data = npm._download(pkg)
    if npm._sri(data) != pkg["integrity"]:
        raise npm.FetchError(f"{pkg['name']}@{pkg['version']}: tarball integrity mismatch")
    pinned = {f["path"]: f["sha256"] for f in pkg["files"]}
    got = set()
    for name, read in npm._members(data):
        if name not in pinned or not npm._safe_member(name):
            continue
        content = read()
        if hashlib.sha256(content).hexdigest() != pinned[name]:
            raise npm.FetchError(f"{pkg['name']}: {name} does not match its pinned sha256")
        out = local_path(pkg, name)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
        got.add(name)
    if set(pinned) - got:
        raise npm.FetchError(f"{pkg['name']}@{pkg['version']}: missing {sorted(set(pinned) - got)}")
    marker.write_text(pkg["integrity"])


def ensure_glue() -> list[dict]:
    """Fetch what is not cached yet; return the lock's packages."""
    npm = _npm()
    packages = json.loads(LOCK.read_text(encoding="utf-8"))["packages"]
    CACHE.mkdir(parents=True, exist_ok=True)
    for pkg in packages:
        _fetch_one(npm, pkg)
    return packages


def main() -> int:
    t0 = time.perf_counter()
    try:
        packages = ensure_glue()
    except RuntimeError as e:
        print(f"fetch_js_glue: {e}", file=sys.stderr)
        return 1
    n = sum(len(p["files"]) for p in packages)
    print(f"{len(packages)} packages, {n} files in {CACHE} ({time.perf_counter() - t0:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
