"""Project files a shell script sources (``. ./env.sh``) or runs (``./build.sh``):
the ``bash.Reader`` of a source file, confined to the project.

A name is looked up as bash would from the script's own folder (scripts are run
from there, or ``cd "$(dirname "$0")"`` first), then from the folder the run was
given. Only regular files inside that folder are read (``paths.read_regular``:
no FIFO, no device, no link out of the tree), up to ``SOURCE_LIMIT`` (hand-written
build and launch scripts are far smaller; generated ``configure`` scripts are not
read). Reading makes the facts depend on other files: the result is not cached.
"""
from __future__ import annotations

import os
import weakref

from .bashrun import Loaded, Reader
from .paths import NotRegular, read_regular, real, within

SOURCE_LIMIT = 128 << 10
_SHELL_SUFFIXES = (".sh", ".bash", ".ksh", ".zsh", ".env")
_SHELLS = ("sh", "bash", "dash", "ash", "ksh", "zsh")


def this_file(src) -> Loaded | None:
    """The source file itself, as the reader names files (the script's ``root``)."""
    if not src.abspath:
        return None
    return Loaded(src.path, str(real(src.abspath)), "", _is_shell(src.path, ""))


def project_reader(src, start: str | None = None) -> Reader | None:
    """Read files named by a shell text of ``src`` (a ``SourceFile``) inside its project:
    one reader per file, so that its views share an evaluation (``bash.evaluate``).
    ``start``: the folder the text runs in when it is not the file's own (a workflow
    step's ``working-directory``), an absolute path inside the project."""
    if not src.abspath:
        return None
    readers = getattr(src, "_project_readers", None)
    if readers is None:
        readers = src._project_readers = {}
    if start in readers:
        return readers[start]
    file_dir = os.path.dirname(src.abspath)
    root = real(src.root or file_dir)
    own_dir = start if start is not None and within(real(start), [root]) else file_dir
    shown_dir = os.path.normpath(os.path.join(os.path.dirname(src.path), os.path.relpath(own_dir, file_dir)))

    def shown(full: str) -> str:
        return os.path.normpath(os.path.join(shown_dir, os.path.relpath(full, own_dir))).replace(os.sep, "/")

    weak = weakref.ref(src)     # the file holds its readers: no cycle keeps the file's work alive

    def read(name: str, relative_to: Loaded | None) -> Loaded | None:
        if (file := weak()) is not None:
            file.read_others = True
        if "\0" in name:                      # no file name holds a NUL byte
            return None
        folder = os.path.dirname(relative_to.key) if relative_to is not None else own_dir
        for base in dict.fromkeys((folder, str(root))):
            full = real(os.path.join(base, name))
            if not within(full, [root]) or not full.is_file():
                continue
            try:
                data = read_regular(full, SOURCE_LIMIT, follow=True)
            except (OSError, NotRegular):
                return None
            if len(data) > SOURCE_LIMIT:
                return None
            text = data.decode("utf-8", "replace")
            if text.startswith("\ufeff"):
                text = text[1:]
            return Loaded(shown(str(full)), str(full), text, _is_shell(name, text))
        return None
    readers[start] = read
    return read


def _is_shell(name: str, text: str) -> bool:
    """A shell script by its ``#!`` line, or without one by its name."""
    if text.startswith("#!"):
        words = [w.rsplit("/", 1)[-1] for w in text.split("\n", 1)[0][2:].split() if not w.startswith("-")]
        if words[:1] == ["env"]:
            words = words[1:]
        return bool(words) and words[0] in _SHELLS
    return name.endswith(_SHELL_SUFFIXES)
