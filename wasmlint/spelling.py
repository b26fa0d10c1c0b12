"""Close spellings of an unknown name ("did you mean"), as difflib ranks them.

A candidate can reach difflib's ratio ``cutoff`` only when its length is within
``cutoff / (2 - cutoff)`` and ``(2 - cutoff) / cutoff`` times the word's (the ratio is
at most ``2 * min / (la + lb)``), so only those are compared. ``Speller`` remembers its
answers and gives none past ``limit`` new words in one file: a file of thousands of
made-up names costs a bounded amount of work, and what a file gets never depends on the
files read before it in the process (a test run, the language server).
"""
from __future__ import annotations

import difflib
from typing import Callable, Iterable

from . import budget

MAX_KNOWN = 1 << 16       # answers kept for the process


def close_matches(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    low, high = cutoff / (2 - cutoff) * len(word), (2 - cutoff) / cutoff * len(word)
    pool = [c for c in candidates if low <= len(c) <= high]
    return difflib.get_close_matches(word, pool, n=n, cutoff=cutoff)


class Speller:
    def __init__(self, limit: int = 256):
        self.limit = limit
        self.known: dict[object, list[str]] = {}
        self.refused = 0          # answers withheld past a limit: callers must not keep what they made of them
        self._file: object = None     # the budget of the file being analysed (budget.current())
        self._new = 0                 # keys computed for it

    def suggest(self, key: object, compute: Callable[[], list[str]]) -> list[str]:
        """``compute()``'s answer for ``key``, once; [] for new keys past ``limit`` of them in
        the file being analysed (outside a file's analysis there is no limit)."""
        if key not in self.known:
            here = budget.current()
            if here is not self._file:
                self._file, self._new = here, 0
            if here is not None and self._new >= self.limit:
                self.refused += 1
                return []
            self._new += 1
            if len(self.known) >= MAX_KNOWN:
                self.known.clear()
            self.known[key] = compute()
        return list(self.known[key])
