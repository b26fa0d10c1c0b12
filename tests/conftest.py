"""Test-session set-up: the external tools the suite needs, installed from the
project's own pinned versions so a fresh machine needs nothing but the README's
test command."""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

# Every temporary file or folder the suite or the code it runs makes (children inherit
# TMPDIR) lands in one private folder, checked at the end and removed at exit: a test
# run leaves nothing behind in the system temporary folder. pytest-xdist's workers
# inherit the controller's folder, and the controller checks it once they are done.
_WORKER = "PYTEST_XDIST_WORKER" in os.environ
if _WORKER:
    _TMP = os.environ["TMPDIR"]
else:
    _TMP = tempfile.mkdtemp(prefix="wasmlint-tests-")
    os.environ["TMPDIR"] = tempfile.tempdir = _TMP
    atexit.register(shutil.rmtree, _TMP, True)


def pytest_sessionfinish(session, exitstatus):
    import sys
    fuzz = sys.modules.get("fuzz.targets")
    if fuzz is not None:
        fuzz.cleanup()
    if _WORKER:
        return
    left = sorted(n for n in os.listdir(_TMP) if not n.startswith("pytest-of-"))
    if left:
        print(f"\nthe suite left temporary files behind: {', '.join(left[:10])}")
        session.exitstatus = 1

ROOT = Path(__file__).resolve().parent.parent
BINARYEN_VERSION = "132.0.0"   # the same pin as scripts/install-binaryen.sh


def _wasm_opt_matches(path: str) -> bool:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return f"version {BINARYEN_VERSION.split('.')[0]}" in out


def _ensure_wasm_opt() -> str:
    """A wasm-opt of the pinned binaryen: on PATH, else npm-installed into .cache/."""
    found = shutil.which("wasm-opt")
    if found and _wasm_opt_matches(found):
        return found
    prefix = ROOT / ".cache" / "binaryen"
    local = prefix / "node_modules" / ".bin" / "wasm-opt"
    if not (local.exists() and _wasm_opt_matches(str(local))):
        subprocess.run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                        "--no-save", f"binaryen@{BINARYEN_VERSION}"], check=True, timeout=600,
                       capture_output=True)
    return str(local)


def pytest_configure(config):
    # Installed once, before pytest-xdist starts its workers (they inherit the variable):
    # two workers never run npm into one folder at once.
    if not _WORKER:
        os.environ.setdefault("WASMLINT_WASM_OPT", _ensure_wasm_opt())


@pytest.fixture(scope="session", autouse=True)
def pinned_tools():
    from wasmlint.tools import find_tool, tool_version
    os.environ.setdefault("WASMLINT_WASM_OPT", _ensure_wasm_opt())
    find_tool.cache_clear()
    tool_version.cache_clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def private_user_cache(tmp_path_factory):
    """The suite's own user cache (per-file facts, rule catalog, run memos): a test run
    leaves nothing in the real one and reads nothing from it."""
    folder = tmp_path_factory.mktemp("usercache")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old
