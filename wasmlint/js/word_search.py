"""Whole-word searches of one JS file's bytes, shared by every parse of the file.

A name is searched for in the byte range of the scopes around its use (bindings.py),
so a file of a few names costs a few scans. A file of thousands of names (generated
code, every name used once) would cost a scan of the file per name: once the scans
add up to ``INDEX_AFTER`` times the file, one scan indexes every identifier instead,
and each search after that is a lookup. Either way the answer is the same: offsets of
``word`` with no identifier byte on either side.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Iterable

IDENT = rb"[0-9A-Za-z_$\x80-\xff]"
WORDISH = [chr(b).isalnum() or chr(b) in "_$" or b >= 0x80 for b in range(256)]   # the bytes of IDENT
_RUNS = re.compile(IDENT + rb"+")
INDEX_AFTER = 64       # whole files' worth of scanning, after which identifiers are indexed
COMPILE_BYTES = 65536  # what compiling one word's pattern costs, counted as bytes scanned


class WordSearch:
    """Offsets of whole words in ``data``; see the module docstring."""

    def __init__(self, data: bytes):
        self.data = data
        self._whole: dict[tuple, list[int]] = {}     # (word, skipped ranges) → offsets in the file
        self._index: dict[bytes, list[int]] | None = None
        self._indexed: list[tuple[int, int]] = []    # the ranges the index holds (a skipped module is not)
        self._scanned = 0

    def within(self, word: bytes, ranges: Iterable[tuple[int, int]], searched: list[tuple[int, int]]) -> list[int]:
        """Where ``word`` occurs as a whole word inside one of ``ranges`` (in order);
        ``searched``: the ranges of the file its searches look at (an index would hold)."""
        ranges = list(ranges)
        hits = self._lookup(word, ranges, searched)
        if hits is None:
            return [i for lo, hi in ranges for i in _whole_words(self.data, word, lo, hi)]
        n = len(word)
        return [i for lo, hi in ranges for i in hits[bisect.bisect_left(hits, lo):bisect.bisect_left(hits, hi - n + 1)]]

    def whole_file(self, word: bytes, skip: list[tuple[int, int]], searched: list[tuple[int, int]]) -> list[int]:
        """``within(word, searched)`` for ``searched`` the whole file minus ``skip``, kept."""
        key = (word, tuple(skip))
        hits = self._whole.get(key)
        if hits is None:
            hits = self._whole[key] = self.within(word, searched, searched)
        return hits

    def _lookup(self, word: bytes, ranges: list[tuple[int, int]], searched: list[tuple[int, int]]) -> list[int] | None:
        """Every whole-word offset of ``word`` the index holds, the index built once the
        scans add up; None when ``ranges`` are to be scanned instead."""
        if self._index is None:
            self._scanned += sum(hi - lo for lo, hi in ranges) + COMPILE_BYTES
            if self._scanned <= INDEX_AFTER * len(self.data):
                return None
            index: dict[bytes, list[int]] = {}
            for lo, hi in searched:
                for m in _RUNS.finditer(self.data, lo, hi):
                    if not (m.end() == hi < len(self.data) and WORDISH[self.data[hi]]) and \
                            not (m.start() == lo > 0 and WORDISH[self.data[lo - 1]]):
                        index.setdefault(m.group(), []).append(m.start())
            self._index, self._indexed = index, list(searched)
        if not _RUNS.fullmatch(word) or not all(_inside(r, self._indexed) for r in ranges):
            return None     # not an identifier (an escape in it: no run is it), or bytes the index has not
        return self._index.get(word, [])


def _inside(r: tuple[int, int], ranges: list[tuple[int, int]]) -> bool:
    """Whether range ``r`` lies inside one of ``ranges`` (sorted, disjoint)."""
    k = bisect.bisect_right(ranges, (r[0], float("inf"))) - 1
    return r[0] >= r[1] or (k >= 0 and ranges[k][0] <= r[0] and r[1] <= ranges[k][1])


def _whole_words(data: bytes, word: bytes, lo: int, hi: int):
    """Offsets of ``word`` in ``data[lo:hi]`` with no identifier byte on either side."""
    for m in _word_pattern(word).finditer(data, lo, hi):
        if not (m.end() == hi < len(data) and WORDISH[data[hi]]):
            yield m.start()


@lru_cache(maxsize=512)
def _word_pattern(word: bytes):
    """``word`` between non-identifier bytes; the word comes first, so the regex
    engine scans for it as fast as ``bytes.find``."""
    w = re.escape(word)
    return re.compile(w + rb"(?<!" + IDENT + w + rb")(?!" + IDENT + rb")")
