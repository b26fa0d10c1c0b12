"""Where a script copies what a link wrote: ``emcc … -o build/codec.js`` then ``cp
build/codec.wasm build/codec.js dist/`` (or ``mv``, ``install``) ships the link's files
as ``dist/codec.wasm`` and ``dist/codec.js`` too, so a committed ``dist/codec.wasm`` is
that link's output and its findings share the link's cause.

Paths are read as the shell does: relative to the folder each command runs in
(``Command.cwd``, relative to where the script starts; unknown after a ``cd`` to an
unknown place, and then nothing is matched). A destination that ends in ``/``, that
receives several sources, or that is named by ``-t DIR``/``--target-directory=DIR`` is a
folder; so is one without a dot in its last part (``cp out/a.wasm dist``) — a copy to a
file without an extension is rare in a build. Copies of copies are followed."""
from __future__ import annotations

import posixpath

from .pstr import UNKNOWN

COPIERS = frozenset(("cp", "mv", "install"))


def add_copies(made_by: list, commands: list) -> None:
    """``made_by``: (command, emcc-invocation fact) pairs; ``commands``: the script's
    commands in order. Each fact's ``copies`` gains the places later commands copy its
    files to, as the build file names them (relative to where the script starts)."""
    if not made_by:
        return
    order = {id(c): k for k, c in enumerate(commands)}
    for cmd, fact in made_by:
        if cmd.cwd is not None and id(cmd) in order:
            copied_later(fact, cmd.cwd, commands[order[id(cmd)] + 1:])


def copied_later(fact, cwd: str, later: list) -> None:
    """``fact``'s ``copies`` gains where the ``later`` commands copy its files (it ran in ``cwd``)."""
    have = {_full(cwd, p) for p in fact.written}
    for cmd in later:
        for src, dst in _copies(cmd):
            if src in have and dst not in have:
                have.add(dst)
                fact.copies.append(dst)


def _copies(cmd) -> list[tuple[str, str]]:
    """(source, destination) project paths of a ``cp``/``mv``/``install`` command."""
    words = cmd.words
    if cmd.cwd is None or not words or posixpath.basename(words[0]) not in COPIERS:
        return []
    folder, paths, k = None, [], 1
    while k < len(words):
        w = words[k]
        if w in ("-t", "--target-directory") and k + 1 < len(words):
            folder, k = words[k + 1], k + 2
            continue
        if w.startswith("--target-directory="):
            folder = w.split("=", 1)[1]
        elif w in ("-m", "--mode", "-o", "--owner", "-g", "--group", "-S", "--suffix") and k + 1 < len(words):
            k += 1                       # install's and cp's options that take a value
        elif not w.startswith("-") or w == "-":
            paths.append(w)
        k += 1
    if folder is None:
        if len(paths) < 2:
            return []
        paths, dest = paths[:-1], paths[-1]
        into = dest.endswith("/") or len(paths) > 1 or "." not in posixpath.basename(dest)
    else:
        dest, into = folder, True
    if any(UNKNOWN in p or not p for p in (*paths, dest)):
        return []
    out = []
    for src in paths:
        target = posixpath.join(dest, posixpath.basename(src)) if into else dest
        out.append((_full(cmd.cwd, src), _full(cmd.cwd, target)))
    return out


def _full(cwd: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(cwd, path))
