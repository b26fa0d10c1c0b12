"""Close spellings of an unknown name ("did you mean"), as difflib ranks them.

A candidate can reach difflib's ratio ``cutoff`` only when its length is within
``cutoff / (2 - cutoff)`` and ``(2 - cutoff) / cutoff`` times the word's (the ratio is
at most ``2 * min / (la + lb)``), so only those are compared: ``Words`` holds the
candidates by length, made once, so that a word costs the candidates of the lengths it
can match, not a pass over all of them. ``Speller`` remembers its answers and gives none
past ``limit`` new words in one file, while the file is read (``budget.current()``) and
while rules read its facts (``checking``): a file of thousands of made-up names costs a
bounded amount of work, and what a file gets never depends on the files read before it
in the process (a test run, the language server).
"""
from __future__ import annotations

import contextvars
import difflib
import math
import weakref
from typing import Callable, Iterable

from . import budget

MAX_KNOWN = 1 << 16       # answers kept for the process


class Words:
    """Candidate spellings grouped by length."""

    __slots__ = ("by_length",)

    def __init__(self, words: Iterable[str]):
        self.by_length: dict[int, list[str]] = {}
        for w in words:
            self.by_length.setdefault(len(w), []).append(w)

    def near(self, word: str, cutoff: float) -> list[str]:
        """Those whose length lets them reach ``cutoff`` against ``word``."""
        low = math.ceil(cutoff / (2 - cutoff) * len(word) - 1e-9)
        high = math.floor((2 - cutoff) / cutoff * len(word) + 1e-9)
        return [c for n in range(low, high + 1) for c in self.by_length.get(n, ())]


def close_matches(word: str, candidates: Words | Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """difflib's ``get_close_matches`` (its order does not depend on the candidates')."""
    if not isinstance(candidates, Words):
        candidates = Words(candidates)
    return difflib.get_close_matches(word, candidates.near(word, cutoff), n=n, cutoff=cutoff)


class Checked:
    """One file whose facts the rules are reading, in one check (``evaluate``)."""

    __slots__ = ("__weakref__",)


_checking: contextvars.ContextVar[Checked | None] = contextvars.ContextVar("wasmlint_spelling_file", default=None)


def checking(file: Checked | None) -> contextvars.Token:
    """Words spelled from now on, outside a file's reading, are counted against ``file``;
    ``done_checking`` with what it returns ends it."""
    return _checking.set(file)


def checked_file() -> Checked | None:
    """The file ``checking`` set (None: none)."""
    return _checking.get()


def done_checking(token: contextvars.Token) -> None:
    _checking.reset(token)


class Speller:
    def __init__(self, limit: int = 256):
        self.limit = limit
        self.known: dict[object, list[str]] = {}
        self.refused = 0          # answers withheld past a limit: callers must not keep what they made of them
        self._asked: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()     # file -> the keys it was given

    def suggest(self, key: object, compute: Callable[[], list[str]]) -> list[str]:
        """``compute()``'s answer for ``key``, computed once for the process; [] for keys past
        ``limit`` of them in the file being read or checked (outside both there is no limit),
        whether or not an earlier file had them computed."""
        here = budget.current() or _checking.get()
        if here is not None:
            asked = self._asked.get(here)
            if asked is None:
                asked = self._asked[here] = set()
            if key not in asked:
                if len(asked) >= self.limit:
                    self.refused += 1
                    return []
                asked.add(key)
        made = self.known.get(key)
        if made is None:
            if len(self.known) >= MAX_KNOWN:
                self.known.clear()
            made = self.known[key] = compute()
        return list(made)
