"""Whole-word searches of one JS file's bytes, shared by every parse of the file.

A name is searched for in the byte range of the scopes around its use (bindings.py),
so a file of a few names costs a few scans. A file of thousands of names (generated
code, every name used once) would cost a scan of the file per name: once the scans
add up to what indexing costs (``INDEX_AFTER`` times the bytes the index would hold),
one scan indexes every identifier instead, and each search after that is a lookup. Either way the answer is the same: offsets of
``word`` with no identifier byte on either side. ``Doc.offsets`` (any occurrence, a
part of a longer name too) answers from the same scan: the suffixes of the distinct
identifiers, sorted (``_Substrings``).
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Iterable

IDENT = rb"[0-9A-Za-z_$\x80-\xff]"
WORDISH = [chr(b).isalnum() or chr(b) in "_$" or b >= 0x80 for b in range(256)]   # the bytes of IDENT
_RUNS = re.compile(IDENT + rb"+")
# Indexing a byte costs what scanning it for a word costs about INDEX_AFTER times: a
# regular expression or bytes.find runs in C, the index keeps every identifier in a
# Python dict (measured on real bundles: 1.2 MB duckdb worker ×183, 14 MB binaryen glue
# ×408; with scans below that, a file searched a few dozen times was indexed for nothing)
INDEX_AFTER = 192
COMPILE_BYTES = 65536  # what compiling one word's pattern costs, counted as bytes scanned


class WordSearch:
    """Offsets of whole words (and of identifier-like needles) in ``data``; see the
    module docstring."""

    def __init__(self, data: bytes):
        self.data = data
        self._whole: dict[tuple, list[int]] = {}     # (word, skipped ranges) → offsets in the file
        self._index: dict[bytes, list[int]] | None = None    # identifier → offsets as a whole word
        self._indexed: list[tuple[int, int]] = []    # the ranges the indexes hold (a skipped module is not)
        self._inner: _Substrings | None = None       # needles inside identifiers
        self._scanned = 0

    def within(self, word: bytes, ranges: Iterable[tuple[int, int]], searched: list[tuple[int, int]]) -> list[int]:
        """Where ``word`` occurs as a whole word inside one of ``ranges`` (in order);
        ``searched``: the ranges of the file its searches look at (an index would hold)."""
        ranges = list(ranges)
        hits = self._index.get(word, []) if self._ready(word, ranges, searched) else None
        if hits is None:
            return [i for lo, hi in ranges for i in _whole_words(self.data, word, lo, hi)]
        return _clip(hits, ranges, len(word))

    def whole_file(self, word: bytes, skip: list[tuple[int, int]], searched: list[tuple[int, int]]) -> list[int]:
        """``within(word, searched)`` for ``searched`` the whole file minus ``skip``, kept."""
        key = (word, tuple(skip))
        hits = self._whole.get(key)
        if hits is None:
            hits = self._whole[key] = self.within(word, searched, searched)
        return hits

    def occurrences(self, needle: bytes, ranges: list[tuple[int, int]],
                    searched: list[tuple[int, int]]) -> list[int] | None:
        """Every offset of ``needle`` inside one of ``ranges`` (in order), whole word or
        not, as a byte search finds them; None when the ranges are to be searched
        (the index is not built yet, or cannot answer for this needle)."""
        if not self._ready(needle, ranges, searched, compiles=False) or self._inner is None \
                or len(needle) > _Substrings.LONGEST \
                or any(needle[:k] == needle[-k:] for k in range(1, len(needle))):
            return None     # a needle that can overlap itself: a search skips past each occurrence
        return _clip(self._inner.find(needle), ranges, len(needle))

    def _ready(self, word: bytes, ranges: list[tuple[int, int]], searched: list[tuple[int, int]],
               compiles: bool = True) -> bool:
        """Whether the indexes answer for ``word`` in ``ranges``; they are built once the
        scans add up (``ranges`` are about to be scanned; with a pattern compiled for
        ``word`` unless the search is ``bytes.find``'s: ``compiles``)."""
        if self._index is None:
            self._scanned += sum(hi - lo for lo, hi in ranges) + (COMPILE_BYTES if compiles else 0)
            if self._scanned <= INDEX_AFTER * sum(hi - lo for lo, hi in searched):
                return False
            self._build(searched)
        # not an identifier (an escape in it: no run is it), or bytes the index has not
        return bool(_RUNS.fullmatch(word)) and all(_inside(r, self._indexed) for r in ranges)

    def _build(self, searched: list[tuple[int, int]]) -> None:
        data, runs, cut = self.data, {}, []
        for lo, hi in searched:
            for m in _RUNS.finditer(data, lo, hi):
                runs.setdefault(m.group(), []).append(m.start())
                if (m.end() == hi < len(data) and WORDISH[data[hi]]) or (m.start() == lo > 0 and WORDISH[data[lo - 1]]):
                    cut.append(m)       # part of a longer identifier, cut by a skipped range
        index = dict(runs)
        for m in cut:
            index[m.group()] = [i for i in index[m.group()] if i != m.start()]
        self._index, self._indexed = index, list(searched)
        if sum(map(len, runs)) <= _Substrings.MAX_BYTES:
            self._inner = _Substrings(runs)


class _Substrings:
    """Where a needle of identifier bytes occurs inside identifiers: every suffix of
    every distinct identifier (its first ``LONGEST`` bytes), sorted, so the
    identifiers holding a needle are one binary search away."""

    LONGEST = 48                 # bytes of a needle it answers for
    MAX_BYTES = 1 << 18          # of distinct identifiers (the sort holds a key per byte); past it, searches scan

    def __init__(self, runs: dict[bytes, list[int]]):
        self.words = list(runs)
        self.at = [runs[w] for w in self.words]
        self.text = b"\0".join(self.words)          # \0 is no identifier byte: no match crosses it
        starts, k = [], 0
        for w in self.words:
            starts.append(k)
            k += len(w) + 1
        self.starts = starts
        text, longest = self.text, self.LONGEST
        self.suffixes = sorted((p for s, w in zip(starts, self.words) for p in range(s, s + len(w))),
                               key=lambda p: text[p:p + longest])

    def find(self, needle: bytes) -> list[int]:
        n, text = len(needle), self.text
        lo = bisect.bisect_left(self.suffixes, needle, key=lambda p: text[p:p + n])
        hi = bisect.bisect_right(self.suffixes, needle, lo, key=lambda p: text[p:p + n])
        out = []
        for p in self.suffixes[lo:hi]:
            k = bisect.bisect_right(self.starts, p) - 1
            shift = p - self.starts[k]
            out.extend(i + shift for i in self.at[k])
        out.sort()
        return out


def _clip(hits: list[int], ranges: list[tuple[int, int]], n: int) -> list[int]:
    """The sorted ``hits`` whose ``n`` bytes lie inside one of ``ranges``."""
    return [i for lo, hi in ranges for i in hits[bisect.bisect_left(hits, lo):bisect.bisect_left(hits, hi - n + 1)]]


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
