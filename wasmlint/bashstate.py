"""The evaluator's state tables (``wasmlint.bash``): the exported variables, shared by the
commands that run while no export changes; comparing the states branches leave; the
folder a ``cd`` moves to."""
from __future__ import annotations

import posixpath

from .bashwords import known
from .toolchain.pstr import PStr


def same_state(a: tuple, b: tuple) -> bool:
    """Two evaluation states bind the same variables, functions and ``$@``, in one folder
    (bindings compare by identity: ``==`` on their tables is one C comparison)."""
    return a[3] is b[3] and a[4:] == b[4:] and a[0] == b[0] and a[1] == b[1] and \
        a[2].keys() == b[2].keys() and all(a[2][k] is b[2][k] for k in a[2])


def moved(cwd: str | None, arg: PStr | None) -> str | None:
    """``cwd`` after ``cd arg``: a relative, known ``arg`` is joined; anything else
    (``cd``, ``cd -``, ``cd /abs``, ``cd ~``, ``cd "$(dirname "$0")"``) leaves it unknown."""
    if cwd is None or arg is None or not known(arg) or arg.text in ("", "-") or arg.text[0] in "/~":
        return None
    moved = posixpath.normpath(posixpath.join(cwd, arg.text))
    return "" if moved == "." else moved


class Exported(dict):
    """The exported variables. ``snapshot()`` is the environment of a command: one dict,
    shared by the commands that run while no export changes (not a copy per command)."""

    __slots__ = ("_snapshot",)

    def snapshot(self) -> dict:
        snap = getattr(self, "_snapshot", None)
        if snap is None:
            snap = self._snapshot = dict(self)
        return snap

    def _changed(self) -> None:
        self._snapshot = None

    def __setitem__(self, k, v):
        self._changed()
        super().__setitem__(k, v)

    def __delitem__(self, k):
        self._changed()
        super().__delitem__(k)

    def pop(self, *a):
        self._changed()
        return super().pop(*a)

    def popitem(self):
        self._changed()
        return super().popitem()

    def setdefault(self, *a):
        self._changed()
        return super().setdefault(*a)

    def update(self, *a, **k):
        self._changed()
        super().update(*a, **k)

    def clear(self):
        self._changed()
        super().clear()

    def __ior__(self, other):
        self._changed()
        return super().__ior__(other)
