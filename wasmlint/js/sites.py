"""Where a JS file mentions what wasmlint looks for: one byte scan for every word of
the vocabulary at once (Aho-Corasick), instead of a search of the whole file per word.

The vocabulary is the prefilter's words, the marks of embedded modules, the words
the skeleton keeps blocks for and the words the fact builders and the file-kind
checks search for. ``Doc.offsets`` and ``Scan.mentions`` answer from the index for
these words and search the bytes for any other.
"""
from __future__ import annotations

from functools import lru_cache

from .word_search import WordSearch

# Words the builders and the file-kind checks look for that no module constant lists.
_MORE = (b"require(", b"import(", b"__wbindgen", b"__wbg_", b"HEAPU8", b"ENVIRONMENT_IS_",
         b"[Emscripten Module object]", b"instantiateWasm", b"locateFile", b"_inst.exports", b"importObject",
         b"isMainThread", b"worker_threads", b"'workerpool'", b'"workerpool"', b"onmessage", b"Piscina",
         b"Cross-Origin-", b"devServer", b"wasmMemory")


@lru_cache(maxsize=None)
def vocabulary() -> tuple[bytes, ...]:
    from . import builds, bundles, embedded, flags, imports, parse, scan, skeleton
    from .emsdk_pin import NAMES as EMSDK_NAMES
    from .module_options import GLUE_OPTIONS
    from ..sources import js
    from ..toolchain.script_runs import TOOL_WORDS
    words = {*_MORE, *builds.PROCESS_MARKS, *(w.encode() for w in TOOL_WORDS), *bundles.MARKS, *parse.PREFILTER, *js.EMBED_MARKS, *js.OVERRIDE_MARKS, *skeleton.INTEREST, *skeleton.SHAPED, *skeleton.STATEMENT_SHAPED, *skeleton.MARKS,
             *(w.encode() for w in GLUE_OPTIONS), *EMSDK_NAMES, *embedded.NUL_MARKS, *embedded.ARRAY_HINTS, embedded.B64_MARK, *imports.IMPORT_MARKS,
             *scan.CORE_WORDS, *scan.WORKER_MARKS, *scan.NODE_MARKS, *scan.BROWSER_MARKS, *(w.encode() for w in flags._SPAWNS)}
    return tuple(sorted(w for w in words if w))


@lru_cache(maxsize=None)
def _words() -> frozenset[bytes]:
    return frozenset(vocabulary())


@lru_cache(maxsize=None)
def _automaton():
    import ahocorasick_rs
    # a DFA: built once per process (about a millisecond for this vocabulary), it scans about
    # three times as fast as the default contiguous NFA
    return ahocorasick_rs.BytesAhoCorasick(list(vocabulary()), implementation=ahocorasick_rs.Implementation.DFA)


class Sites:
    """Every occurrence of every vocabulary word in ``data``, found in one scan."""

    def __init__(self, data: bytes):
        self.data = data
        self.words = WordSearch(data)   # Doc.word_offsets' searches, for every parse
        words = vocabulary()
        found: list[list[int]] = [[] for _ in words]
        for index, start, _end in _automaton().find_matches_as_indexes(data, overlapping=True):
            found[index].append(start)
        # Two occurrences of one word that overlap (``aa`` in ``aaa``): the byte search,
        # whose occurrences never overlap, answers for that word. Only the words found
        # are kept (a small file holds a few of the vocabulary).
        self._at: dict[bytes, list[int]] = {}
        self._overlap: set[bytes] = set()
        for w, hits in zip(words, found):
            if not hits:
                continue
            if len(hits) > 1 and any(b < a + len(w) for a, b in zip(hits, hits[1:])):
                self._overlap.add(w)
            else:
                self._at[w] = hits

    def offsets(self, word: bytes) -> list[int] | None:
        """Where ``word`` occurs, in order; None when it is not in the vocabulary."""
        hits = self._at.get(word)
        if hits is None and word in _words() and word not in self._overlap:
            return []
        return hits

    def has(self, word: bytes) -> bool:
        """Whether ``word`` occurs anywhere (other words are searched for)."""
        hits = self.offsets(word)
        return word in self.data if hits is None else bool(hits)
