"""The evaluator's state tables (``wasmlint.bash``): persistent, so that saving a state
or giving a command its environment copies nothing; comparing the states branches
leave; the folder a ``cd`` moves to."""
from __future__ import annotations

import posixpath
from collections.abc import Mapping

from immutables import Map

from .bashwords import known
from .toolchain.pstr import PStr


def same_state(a: tuple, b: tuple, written) -> bool:
    """Two evaluation states bind the same variables, functions and ``$@``, in one folder,
    ``b`` reached from ``a`` by writing only the keys ``written`` (bindings compare by
    identity)."""
    return a[3] is b[3] and a[4:6] == b[4:6] and \
        all(a[t] is b[t] or all(a[t].get(k) is b[t].get(k) for k in written) for t in range(3))


def moved(cwd: str | None, arg: PStr | None) -> str | None:
    """``cwd`` after ``cd arg``: a relative, known ``arg`` is joined; anything else
    (``cd``, ``cd -``, ``cd /abs``, ``cd ~``, ``cd "$(dirname "$0")"``) leaves it unknown."""
    if cwd is None or arg is None or not known(arg) or arg.text in ("", "-") or arg.text[0] in "/~":
        return None
    moved = posixpath.normpath(posixpath.join(cwd, arg.text))
    return "" if moved == "." else moved


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
