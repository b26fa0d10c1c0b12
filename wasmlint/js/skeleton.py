"""Big files are parsed as a skeleton: tree-sitter is given only the parts that can
matter (its ``included_ranges``) and never reads the rest:

* the contents of body blocks (a ``{`` that follows ``)`` or ``=>``: function bodies
  and statement blocks) at least ``MIN_BLOCK`` bytes long with no *interest* offset
  inside — the parser sees ``{}``, valid JavaScript in the same place;
* the contents of string and template literals without substitutions at least
  ``LITERAL_MIN`` bytes long (modules embedded as base64 or as binary strings,
  embedded sources) — the parser sees an empty literal, the same node.

Offsets, lines and columns do not change (``parse.Doc`` gives tree-sitter the
positions of what it includes). The tokenizer-level scan that finds these ranges
is ``lexer.py``; every excluded range is checked against the parse (the ``{`` or
quote before it must open the node that ends just after it), and a parse that
disagrees, or has errors, is redone with literals only excluded, then whole.

Correctness does not rest on the interest list: ``Doc.offsets`` notes every
searched word found inside an excluded block (and, inside an excluded literal,
wherever a whole parse could have a node of exactly that word), builders note the
blocks they read inside (``Doc.reveal``), and ``wasmlint.sources.js`` parses again —
incrementally, from the previous tree — with those ranges included, until no search
lands in one: the facts are then those of the whole parse. (On a file with syntax
errors in an excluded range they can differ: tree-sitter's recovery from those
errors, which can also garble the code around them, never happens.)
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from . import lexer

MIN_FILE = 256 << 10        # files smaller than this are parsed whole
MIN_BLOCK = 64              # blocks smaller than this are not worth excluding
LITERAL_MIN = 1 << 10       # nor literals smaller than this
SCAN_LITERALS_BELOW = 64 << 10   # longer literals are not searched for interests: their blocks are kept
MIN_SHARE = 0.25            # exclude nothing unless at least this share of the file goes
# The settings that leave out every block and literal of any file (tests, fuzzing).
FORCED = {"MIN_FILE": 0, "MIN_BLOCK": 1, "MIN_SHARE": 0, "LITERAL_MIN": 1, "SCAN_LITERALS_BELOW": 256}
# Words the fact builders search for (their byte searches would otherwise land in
# excluded blocks and cost another parse); what decides correctness is Doc.offsets.
INTEREST = (b"WebAssembly", b"Worker", b"NODE_OPTIONS", b"setFlagsFromString", b"child_process",
            b"execArgv", b"iscina", b"workerpool", b"AGFzbQ", b"\0asm", b"\\0asm", b"\\x00asm",
            b"\\u0000asm", b"97,115,109", b"97, 115, 109", b"0x61,0x73,0x6", b"0x61, 0x73, 0x6",
            b"INITIAL_MEMORY", b"TOTAL_MEMORY", b"grow", b"buffer", b"require", b"import", b"export",
            b"headers", b"setHeader", b"pool", b"spawn", b"fork", b"exec", b"Memory", b"arrayBuffer")


@dataclass(frozen=True)
class Plan:
    """What a skeleton parse leaves out: the ``blanked`` body blocks, chosen from
    ``blocks`` by ``interests``, and the ``literals`` (contents) outside them."""
    interests: tuple[int, ...]
    blocks: tuple[tuple[int, int], ...]
    blanked: tuple[tuple[int, int], ...]
    literals: tuple[tuple[int, int], ...]    # candidates, sorted

    @property
    def open_literals(self) -> list[tuple[int, int]]:
        """The literals outside blanked blocks: those the parser sees empty."""
        return [r for r in self.literals if not _inside(self.blanked, r[0])]

    def widened(self, touched) -> Plan:
        """The plan with every range holding a ``touched`` offset included."""
        marks = sorted(touched)
        literals = tuple(r for r in self.literals if not _holds(marks, r))
        return make_plan(sorted({*self.interests, *marks}), self.blocks, literals)

    def literals_only(self) -> Plan:
        return replace(self, blanked=())

    def excluded(self) -> list[tuple[int, int]]:
        return sorted((*self.blanked, *self.open_literals))


def plan(data: bytes) -> Plan | None:
    """The skeleton of ``data``, or None when leaving things out could not save much."""
    lay = lexer.layout(data, LITERAL_MIN)
    if not lay.blocks and not lay.literals:
        return None
    p = make_plan(interest_offsets(data, lay.literals), lay.blocks, lay.literals)
    if sum(b - a for a, b in p.excluded()) < MIN_SHARE * len(data):
        return None
    return p


def make_plan(interests, blocks, literals) -> Plan:
    interests = sorted(interests)
    return Plan(tuple(interests), tuple(blocks), tuple(blank_regions(interests, blocks)), tuple(literals))


def interest_offsets(data: bytes, literals=()) -> list[int]:
    """Offsets of the interest words, outside literals of ``SCAN_LITERALS_BELOW`` bytes
    and more; such a literal's own offset stands for them (its blocks are kept)."""
    big = [(a, b) for a, b in literals if b - a >= SCAN_LITERALS_BELOW]
    out = [a for a, _ in big]
    find = data.find
    segments, pos = [], 0
    for a, b in big:
        segments.append((pos, a))
        pos = b
    segments.append((pos, len(data)))
    for lo, hi in segments:
        for word in INTEREST:
            i = find(word, lo, hi)
            while i >= 0:
                out.append(i)
                i = find(word, i + len(word), hi)
    return sorted(out)


def blank_regions(interests: list[int], blocks) -> list[tuple[int, int]]:
    """Sorted ``(start, end)`` block contents to leave out: the outermost blocks of
    ``MIN_BLOCK`` bytes or more without an interest offset."""
    out: list[tuple[int, int]] = []
    for a, b in blocks:
        if b - a < MIN_BLOCK or (out and a < out[-1][1]):
            continue
        if not _holds(interests, (a, b)):
            out.append((a, b))
    return out


def body_blocks(data: bytes) -> list[tuple[int, int]]:
    """Contents ``(after '{', at '}')`` of blocks that follow ``)`` or ``=>``, sorted;
    none when the scan is unsure of the file."""
    return lexer.layout(data).blocks


def _holds(sorted_offsets, r) -> bool:
    k = bisect.bisect_left(sorted_offsets, r[0])
    return k < len(sorted_offsets) and sorted_offsets[k] < r[1]


def _inside(ranges, i: int) -> bool:
    k = bisect.bisect_right(ranges, (i, 1 << 62)) - 1
    return k >= 0 and ranges[k][0] <= i < ranges[k][1]
