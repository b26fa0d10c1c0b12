"""The evaluator's state tables (``wasmlint.bash``): persistent, so that saving a state
or giving a command its environment copies nothing; comparing the states branches
leave; the folder a ``cd`` moves to."""
from __future__ import annotations

import posixpath
from collections.abc import Mapping

from immutables import Map

from .bashwords import has_here, known
from .toolchain.pstr import UNKNOWN, PStr


def same_state(a: tuple, b: tuple, written) -> bool:
    """Two evaluation states bind the same variables, functions and ``$@``, in one folder,
    ``b`` reached from ``a`` by writing only the keys ``written`` (bindings compare by
    identity)."""
    return a[3] is b[3] and a[4:6] == b[4:6] and a[7:] == b[7:] and \
        all(a[t] is b[t] or all(a[t].get(k) is b[t].get(k) for k in written) for t in range(3))


def moved(cwd: str | None, arg: PStr | None) -> str | None:
    """``cwd`` after ``cd arg``: a relative, known ``arg`` is joined; anything else
    (``cd``, ``cd -``, ``cd /abs``, ``cd ~``, ``cd "$(dirname "$0")"``) leaves it unknown."""
    if cwd is None or arg is None or not known(arg) or arg.text in ("", "-") or arg.text[0] in "/~":
        return None
    moved = posixpath.normpath(posixpath.join(cwd, arg.text))
    return "" if moved == "." else moved


def written_folder(where: tuple, arg: PStr | None) -> tuple:
    """(folder, OLDPWD) after ``cd arg``, the folder as its words say: like ``moved``, but
    ``cd -`` goes back to OLDPWD (bash) and an unknown or absolute path is kept as written
    (``joined_folder``). None: not known at all."""
    folder, old = where
    if arg is None or arg.text == "":
        return None, folder
    return (old if arg.text == "-" else joined_folder(folder, arg.text)), folder


def joined_folder(folder: str | None, path: str) -> str | None:
    """``path`` reached from ``folder``, as written: one that starts unknown (``$DEPS/zlib`` →
    ``UNKNOWN/zlib``), at the root or at home is itself; a relative one is joined."""
    if path[:1] in ("/", "~", UNKNOWN) or has_here(path[:1]):
        return posixpath.normpath(path)
    if folder is None:
        return None
    joined = posixpath.normpath(posixpath.join(folder, path))
    return "" if joined == "." else joined


class Table:
    """A table of the evaluator (variables, exported variables, functions) written in
    place, over a persistent map: ``frozen`` is its content now, which later writes never
    change, so a saved state, a subshell's copy or a command's environment costs nothing
    however many entries it holds (a copy per branch or per command grows with the
    square of the script). Each write names its key in ``written`` (shared by the
    evaluator's tables): what a branch changed, to compare states by those keys only."""

    __slots__ = ("frozen", "written")

    def __init__(self, content: Mapping = (), written: list | None = None):
        self.frozen = content if type(content) is Map else Map(content)
        self.written = [] if written is None else written

    def copy(self) -> "Table":
        return Table(self.frozen, self.written)

    def get(self, k, default=None):
        return self.frozen.get(k, default)

    def __getitem__(self, k):
        return self.frozen[k]

    def __contains__(self, k) -> bool:
        return k in self.frozen

    def __iter__(self):
        return iter(self.frozen)

    def __len__(self) -> int:
        return len(self.frozen)

    def items(self):
        return self.frozen.items()

    def __setitem__(self, k, v) -> None:
        self.frozen = self.frozen.set(k, v)
        self.written.append(k)

    def pop(self, k, default=None):
        v = self.frozen.get(k, _ABSENT)
        if v is _ABSENT:
            return default
        self.frozen = self.frozen.delete(k)
        self.written.append(k)
        return v


_ABSENT = object()
