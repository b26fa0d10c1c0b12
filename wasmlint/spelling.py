"""Close spellings of an unknown name ("did you mean"), as difflib ranks them.

A candidate can reach difflib's ratio ``cutoff`` only when its length is within
``cutoff / (2 - cutoff)`` and ``(2 - cutoff) / cutoff`` times the word's (the ratio is
at most ``2 * min / (la + lb)``), so only those are compared. ``Speller`` remembers its
answers and gives none past ``limit`` distinct words: a file of thousands of made-up
names costs a bounded amount of work.
"""
from __future__ import annotations

import difflib
from typing import Callable, Iterable


def close_matches(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    low, high = cutoff / (2 - cutoff) * len(word), (2 - cutoff) / cutoff * len(word)
    pool = [c for c in candidates if low <= len(c) <= high]
    return difflib.get_close_matches(word, pool, n=n, cutoff=cutoff)


class Speller:
    def __init__(self, limit: int = 256):
        self.limit = limit
        self.known: dict[object, list[str]] = {}

    def suggest(self, key: object, compute: Callable[[], list[str]]) -> list[str]:
        """``compute()``'s answer for ``key``, once; [] for new keys past the limit."""
        if key not in self.known:
            if len(self.known) >= self.limit:
                return []
            self.known[key] = compute()
        return list(self.known[key])
