"""The program the go command runs a cross-compiled binary with.

``go run`` and ``go test`` (``go help run``, ``go help testflag``): when ``-exec
xprog`` is not given and GOOS/GOARCH differ from the host's, a program named
``go_$GOOS_$GOARCH_exec`` found on PATH runs the binary
(``go_js_wasm_exec a.out args``; Go ships one for js/wasm, whose node launch
sets ``--stack-size`` for its tests). A project that keeps a copy puts its
folder first on PATH for the command (``PATH=$PWD/misc/wasm:$PATH GOOS=js
GOARCH=wasm go test ./...``); that copy is the script the command runs.
"""
from __future__ import annotations

import posixpath

_RUNS_BINARIES = ("run", "test")
_WORKING_FOLDER = ("$PWD/", "${PWD}/", "$(pwd)/", "`pwd`/", "$GITHUB_WORKSPACE/", "${GITHUB_WORKSPACE}/",
                   "${{ github.workspace }}/")   # the folder the command runs in


def exec_program(words: list[str], env: dict) -> str | None:
    """The project script ``go run|test`` runs its binary with (``words`` from ``go`` on), or None."""
    if len(words) < 2 or posixpath.basename(words[0]) != "go" or words[1] not in _RUNS_BINARIES:
        return None
    for k, w in enumerate(words[2:], 2):
        if w == "--":
            break
        if w in ("-exec", "--exec") and k + 1 < len(words):
            return _project_path(words[k + 1])
        if w.startswith(("-exec=", "--exec=")):
            return _project_path(w.split("=", 1)[1])
    goos, goarch = _known(env.get("GOOS")), _known(env.get("GOARCH"))
    if not goos or not goarch:
        return None
    for folder in _path_folders(env.get("PATH")):
        return posixpath.join(folder, f"go_{goos}_{goarch}_exec")
    return None


def _known(assign) -> str | None:
    return assign.value.value if assign is not None and assign.value is not None else None


def _path_folders(assign) -> list[str]:
    """The project folders a PATH assignment puts before the inherited PATH, in order."""
    if assign is None:
        return []
    text = assign.value.value if assign.value is not None else assign.written
    out = []
    for entry in (text or "").split(":"):
        folder = _project_path(entry)
        if folder:
            out.append(folder)
    return out


def _project_path(entry: str) -> str | None:
    """A path relative to the command's working folder (``$PWD/x``, ``./x``, ``x/y``), else None."""
    for prefix in _WORKING_FOLDER:
        if entry.startswith(prefix):
            entry = entry[len(prefix):]
            break
    else:
        if entry.startswith("/"):
            return None
    entry = posixpath.normpath(entry) if entry else ""
    if not entry or entry == "." or entry.startswith("..") or any(c in entry for c in "$`*?"):
        return None
    return entry
