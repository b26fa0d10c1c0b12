"""Big files are parsed as a skeleton: tree-sitter is given only the parts that can
matter (its ``included_ranges``) and never reads the rest:

* the contents of body blocks (a ``{`` that follows ``)`` or ``=>``: function bodies
  and statement blocks) at least ``MIN_BLOCK`` bytes long with no *interest* offset
  inside — the parser sees ``{}``, valid JavaScript in the same place;
* in a kept block of ``STATEMENT_BLOCK_MIN`` bytes or more (an Emscripten factory's
  body), runs of whole statements, each ended by a ``;`` of the block's own statement
  list (``lexer.statement_starts``), with no interest offset — the parser sees the
  statements before and after the run, which a whole parse has there too;
* the contents of string and template literals without substitutions at least
  ``LITERAL_MIN`` bytes long (modules embedded as base64 or as binary strings,
  embedded sources) — the parser sees an empty literal, the same node;
* the contents of line comments at least ``COMMENT_MIN`` bytes long (inline source
  maps) but their last byte — the parser sees the same comment node, a leaf.

Offsets, lines and columns do not change (``parse.Doc`` gives tree-sitter the
positions of what it includes). The tokenizer-level scan that finds these ranges
is ``lexer.py``; every excluded range is checked against the parse (the ``{`` or
quote before it must open the node that ends just after it; a run of statements must
follow the block's ``{`` or one of its statements ending in ``;``), and a parse that
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
import re
from dataclasses import dataclass, field, replace

from .. import budget
from . import lexer, shapes

MIN_FILE = 32 << 10         # files smaller than this are parsed whole (bundles of 32–256 KiB parse in 80 %)
MIN_BLOCK = 64              # blocks smaller than this are not worth excluding (nor runs of statements)
STATEMENT_BLOCK_MIN = 16 << 10   # kept blocks this long have runs of their statements left out
LITERAL_MIN = 1 << 10       # nor literals smaller than this
SCAN_LITERALS_BELOW = 64 << 10   # longer literals are not searched for interests: their blocks are kept
COMMENT_MIN = 64 << 10      # line comments this long are left out (a 4 MB source map: 0.06 s of parse)
# Exclude nothing unless at least this share of the file goes. The scan is paid for by
# then, and tree-sitter's time falls faster than the bytes it reads (bundles that name
# WebAssembly all over leave a fifth of their bytes out and parse in half the time).
MIN_SHARE = 0.0
# Ranges left out as gaps in tree-sitter's included ranges (its lexer looks them up
# linearly, token by token); the other blocks are blanked in a copy of the bytes.
MAX_GAPS = 256
# The settings that leave out every block and literal of any file (tests, fuzzing).
FORCED = {"MIN_FILE": 0, "MIN_BLOCK": 1, "STATEMENT_BLOCK_MIN": 1, "MIN_SHARE": 0, "LITERAL_MIN": 1,
          "SCAN_LITERALS_BELOW": 256, "MAX_GAPS": 3, "COMMENT_MIN": 1}
# Words the fact builders search for (their byte searches would otherwise land in
# excluded blocks and cost another parse); what decides correctness is Doc.offsets.
# Whole words (Doc.words finds no node of one inside a longer name), and marks found
# anywhere: those of embedded modules and the calls the module graph reads
# (``Doc.offsets`` callers, who climb from whatever node they land on). No builder searches
# the words ``import`` and ``export`` (the module graph reads the top-level statements and
# the ``import(``/``require(`` marks).
INTEREST = (b"WebAssembly", b"Worker", b"NODE_OPTIONS", b"setFlagsFromString", b"child_process",
            b"execArgv", b"iscina", b"workerpool", b"INITIAL_MEMORY", b"TOTAL_MEMORY",
            b"require", b"headers", b"setHeader", b"pool", b"Memory", b"arrayBuffer")
# Words kept for only where the tokens around them fit what their builders read
# (``shapes.py``; the builders' searches note no other occurrence).
SHAPED = {b"exec": shapes.CALLEE_OR_OBJECT, b"spawn": shapes.CALLEE_OR_OBJECT, b"fork": shapes.CALLEE,
          b"buffer": shapes.VIEW_ARGUMENT, b"grow": shapes.CALLED_MEMBER, b"onmessage": shapes.ASSIGNED,
          b"importScripts": shapes.CALLEE, b"ENVIRONMENT_IS_NODE": shapes.DECLARED}
# Names of Emscripten glue the builders resolve or read declared: the statements of a kept
# block that declare or set them are kept (a search for the name landing in a left-out one
# costs another build; every emcc glue since 3.1 declares ``var ASSERTIONS = 0``, which
# ``glue_assertions`` reads).
STATEMENT_SHAPED = {b"Module": shapes.WRITTEN, b"wasmMemory": shapes.WRITTEN, b"wasmTable": shapes.WRITTEN,
                    b"ASSERTIONS": shapes.DECLARED}
MARKS = (b"AGFzbQ", b"\0asm", b"\\0asm", b"\\x00asm", b"\\u0000asm", b"97,115,109", b"97, 115, 109",
         b"0x61,0x73,0x6", b"0x61, 0x73, 0x6", b"require(", b"import(")
_WORDISH = bytes(1 if chr(b).isalnum() or chr(b) in "_$" or b >= 0x80 else 0 for b in range(256))


@dataclass(frozen=True)
class Plan:
    """What a skeleton parse leaves out: the ``blanked`` ranges — body blocks chosen from
    ``blocks`` by ``interests``, and the runs of ``statements`` cut from the kept blocks'
    statement lists — and the ``literals`` and ``comments`` (contents) outside them."""
    interests: tuple[int, ...]
    blocks: tuple[tuple[int, int], ...]
    blanked: tuple[tuple[int, int], ...]
    literals: tuple[tuple[int, int], ...]    # candidates, sorted
    comments: tuple[tuple[int, int], ...] = ()
    statements: tuple[tuple[int, int], ...] = ()     # the blanked ranges that are statements
    held: tuple[int, ...] = ()     # offsets that keep their statements only (STATEMENT_SHAPED)
    cuts: object = field(default=None, compare=False, repr=False)   # _Cuts of the file, or None

    @property
    def open_literals(self) -> list[tuple[int, int]]:
        """The literals outside blanked blocks: those the parser sees empty."""
        return [r for r in self.literals if not _inside(self.blanked, r[0])]

    @property
    def open_comments(self) -> list[tuple[int, int]]:
        return [r for r in self.comments if not _inside(self.blanked, r[0])]

    def widened(self, touched) -> Plan:
        """The plan with every range holding a ``touched`` offset included (a comment
        never is: a search landing in one finds the same comment node). A run of
        statements touched at its start (a builder reads inside the node around it,
        ``Doc.reveal``) is included whole."""
        marks = sorted(touched)
        literals = tuple(r for r in self.literals if not _holds(marks, r))
        more = [s for a, b in self.statements if a in touched for s in self.cuts.starts_within(a, b)]
        return make_plan(sorted({*self.interests, *marks, *more}), self.blocks, literals, self.comments,
                         self.cuts, self.held)

    def literals_only(self) -> Plan:
        return replace(self, blanked=(), statements=())

    def excluded(self) -> list[tuple[int, int]]:
        return sorted((*self.blanked, *self.open_literals, *self.open_comments))


@dataclass
class Parsed:
    """A parse: the tree, the bytes tree-sitter read (``data`` with NUL as 0x01, the
    ``blanks`` as spaces) and the plan it followed (None: the whole file)."""
    tree: object
    base: bytes
    source: bytes
    blanks: frozenset
    plan: Plan | None


def parse(parser, data: bytes, plan: Plan | None, previous: Parsed | None = None) -> Parsed:
    """Parse ``data`` leaving out what ``plan`` says — or less, when tree-sitter does not
    see a left-out range where the scan did, or (blocks left out) the parse has errors.
    ``previous``: an earlier parse of the same bytes, edited and reused."""
    # tree-sitter's lexer reads NUL as end of input; Emscripten's binary-string SINGLE_FILE
    # literal holds raw NULs. Parse a same-length copy; values are read from ``data``.
    base = previous.base if previous is not None else (data.replace(b"\0", b"\x01") if b"\0" in data else data)
    for p in _fallbacks(plan):
        gaps, blanks = _split(p)
        source = blank_text(base, blanks)
        old = _edited(previous, blanks, source) if previous is not None else None
        previous = None                  # an edited tree is used once
        tree = _parse(parser, source, _included(source, gaps), old)
        if (p.blanked and tree.root_node.has_error) or not _agrees(tree.root_node, p):
            continue          # a wrong cut, or a file with errors: leave less out
        return Parsed(tree, base, source, frozenset(blanks), p)
    old = _edited(previous, (), base) if previous is not None else None
    tree = _parse(parser, base, None, old)
    if tree.root_node.has_error and old is None and (loose := _tagged_escapes(base)) is not None:
        again = _parse(parser, loose, None, None)
        if not again.root_node.has_error:
            return Parsed(again, loose, loose, frozenset(), None)
    return Parsed(tree, base, base, frozenset(), None)


_BAD_ESCAPE = re.compile(rb"(\\+)(?:x(?![0-9A-Fa-f]{2})|u(?![0-9A-Fa-f]{4}|\{[0-9A-Fa-f]+\}))")


def _tagged_escapes(data: bytes) -> bytes | None:
    """A tagged template may hold any escape (ES2018: ``String.raw`\\x=` `` is valid, its
    cooked value undefined), which tree-sitter rejects: a same-length copy with the
    backslash of each ``\\x``/``\\u`` lacking its hex digits made ``_`` inside tagged
    templates (a dynEncode-compressed module), else None. Untagged ones stay errors."""
    out = None
    for a, b in lexer.layout(data, literal_min=0).literals:
        if data[a - 1] != 0x60 or not _tagged(data, a - 1):
            continue
        for m in _BAD_ESCAPE.finditer(data, a, b):
            if len(m.group(1)) % 2:      # an odd run of backslashes: the last one escapes
                out = out if out is not None else bytearray(data)
                out[m.end(1) - 1] = 0x5F
    return bytes(out) if out is not None else None


def _tagged(data: bytes, tick: int) -> bool:
    """Whether the template opening at ``tick`` follows a tag (a name, a call, a member)."""
    k = tick - 1
    while k >= 0 and data[k] in b" \t\r\n":
        k -= 1
    return k >= 0 and (chr(data[k]).isalnum() or data[k] in b"_$)]")


def _fallbacks(plan: Plan | None) -> list[Plan]:
    """The plans to try in turn: the skeleton, then literals only."""
    if plan is None:
        return []
    out = [plan] if plan.excluded() else []
    if plan.blanked and (plan.literals or plan.comments):
        out.append(plan.literals_only())
    return out


def _split(p: Plan) -> tuple[list, list]:
    """(gaps, blanks): every literal and comment and the ``MAX_GAPS`` longest blocks are gaps."""
    literals = p.open_literals + p.open_comments
    blocks = sorted(p.blanked, key=lambda r: r[0] - r[1])
    gaps = sorted(literals + blocks[:max(0, MAX_GAPS - len(literals))])
    return gaps, sorted(blocks[max(0, MAX_GAPS - len(literals)):])


_SPACE = bytes(b if b in (0x0A, 0x0D) else 0x20 for b in range(256))


def blank_text(source: bytes, regions) -> bytes:
    """``source`` with every byte of ``regions`` but line ends made a space."""
    if not regions:
        return source
    parts, pos = [], 0
    for a, b in regions:
        parts.append(source[pos:a])
        parts.append(source[a:b].translate(_SPACE))
        pos = b
    parts.append(source[pos:])
    return b"".join(parts)


class _Points:
    """(row, byte column) of offsets asked for in increasing order."""

    def __init__(self, source: bytes):
        self.source, self.row, self.line_start, self.at = source, 0, 0, 0

    def __call__(self, x: int) -> tuple[int, int]:
        n = self.source.count(b"\n", self.at, x)
        if n:
            self.row += n
            self.line_start = self.source.rfind(b"\n", self.at, x) + 1
        self.at = x
        return self.row, x - self.line_start


def _edited(previous: Parsed, blanks, source: bytes):
    """The previous tree, told which byte ranges now read differently (blanked then, not
    now, or the reverse); included ranges that changed tree-sitter finds itself."""
    tree = previous.tree
    point = _Points(source)
    for a, b in sorted(previous.blanks.symmetric_difference(blanks)):
        start, end = point(a), point(b)
        tree.edit(start_byte=a, old_end_byte=b, new_end_byte=b,
                  start_point=start, old_end_point=end, new_end_point=end)
    return tree


def _parse(parser, source: bytes, ranges, old):
    parser.included_ranges = ranges or []
    try:
        return budget.parse(parser, source, old)
    finally:
        if ranges:
            parser.included_ranges = []


def _included(source: bytes, gaps) -> list:
    """tree-sitter ranges for everything but ``gaps`` (sorted, disjoint), with the rows
    and byte columns of their ends."""
    if not gaps:
        return []
    import tree_sitter
    out, point, start = [], _Points(source), 0
    for a, b in gaps:
        if a > start:
            out.append(tree_sitter.Range(point(start), point(a), start, a))
        start = b
    if start < len(source) or not out:
        out.append(tree_sitter.Range(point(start), point(len(source)), start, len(source)))
    return out


_QUOTES = {"'": "string", '"': "string", "`": "template_string"}


def _agrees(root, p: Plan) -> bool:
    """Whether the parse saw each left-out range where the scan did: the ``{`` or quote
    before it opens the node that ends just after it; a line comment is one node from
    its ``//`` to its last byte, kept (lexer.Layout)."""
    for a, b in p.open_comments:
        node = root.descendant_for_byte_range(a - 1, a)
        if node is None or node.type != "comment" or node.start_byte != a - 2 or node.end_byte != b + 1:
            return False
    statements = set(p.statements)
    for a, b in p.statements:
        if not _between_statements(root, a, b):
            return False
    for ranges, opener in ((p.blanked, None), (p.open_literals, _QUOTES)):
        for a, b in ranges:
            if opener is None and (a, b) in statements:
                continue
            tok = root.descendant_for_byte_range(a - 1, a)
            node = tok.parent if tok is not None else None
            if node is None or node.start_byte != a - 1 or node.end_byte != b + 1:
                return False
            if opener is None and tok.type != "{" or opener is not None and opener.get(tok.type) != node.type:
                return False
    return True


def _between_statements(root, a: int, b: int) -> bool:
    """Whether the parse has the statement block's ``{``, or a statement of it ending in
    ``;``, end at ``a``, and the block's next statement (or its ``}``) start at ``b`` or after."""
    tok = root.descendant_for_byte_range(a - 1, a)
    if tok is None:
        return False
    if tok.type == "{":
        block, node = tok.parent, tok
    else:
        node = tok
        while node.parent is not None and node.parent.type != "statement_block":
            node = node.parent
        block = node.parent
        if tok.type != ";" or node.end_byte != a:
            return False
    if block is None or block.type != "statement_block" or node.start_byte < block.start_byte:
        return False
    after = node.next_sibling
    return after is not None and after.start_byte >= b


def plan(data: bytes, sites=None) -> Plan | None:
    """The skeleton of ``data``, or None when leaving things out could not save much.
    ``sites``: the file's ``wasmlint.js.sites.Sites``, when the caller has it."""
    lay = lexer.layout(data, LITERAL_MIN, COMMENT_MIN, MIN_BLOCK)
    if not lay.blocks and not lay.literals and not lay.comments:
        return None
    if sites is None:
        from .sites import Sites
        sites = Sites(data)
    unsearched = {w for words, searched in _GATED for w in words if not searched(data, sites)}
    words = tuple(w for w in INTEREST if w not in unsearched)
    shaped = {w: s for w, s in SHAPED.items() if w not in unsearched}
    p = make_plan(interest_offsets(data, lay.literals, sites, shaped, words), lay.blocks, lay.literals, lay.comments,
                  _Cuts(data, lay.blocks), interest_offsets(data, lay.literals, sites, STATEMENT_SHAPED, (), ()))
    left_out = sum(b - a for a, b in p.excluded())
    if not left_out or left_out < MIN_SHARE * len(data):
        return None
    return p


def _names_a_process_api(data: bytes, sites) -> bool:
    from .builds import names_a_process_api
    return sites.has(b"child_process") or names_a_process_api(data, sites.has)


# Words searched only in a file that holds another one: no block is kept for them elsewhere.
# The calls that start a process, where a process API is named (``flags.child_processes``
# asks for ``child_process``, ``builds.wanted`` for a specifier; protobuf.js writers in
# onnxruntime-web's bundles call ``.fork()`` hundreds of times); the word ``require``, where
# a process API or ``setFlagsFromString`` is (``builds`` and ``flags.set_flags`` read the
# requires before a call; the module graph needs only the ``require(`` mark); ``pool``,
# where the ``workerpool`` package is (``workers.workers``).
_GATED = (((b"exec", b"spawn", b"fork"), _names_a_process_api),
          ((b"require",), lambda data, sites: sites.has(b"setFlagsFromString") or _names_a_process_api(data, sites)),
          ((b"pool",), lambda data, sites: sites.has(b"'workerpool'") or sites.has(b'"workerpool"')))


def make_plan(interests, blocks, literals, comments=(), cuts=None, held=()) -> Plan:
    interests = sorted(interests)
    blanked = blank_regions(interests, blocks)
    statements = statement_regions(interests, held, blocks, blanked, cuts) if cuts is not None else []
    if statements:
        blanked = sorted([*statements, *(r for r in blanked if not _inside(statements, r[0]))])
    return Plan(tuple(interests), tuple(blocks), tuple(blanked), tuple(literals), tuple(comments),
                tuple(statements), tuple(held), cuts)


def statement_regions(interests: list[int], held, blocks, blanked, cuts) -> list[tuple[int, int]]:
    """Sorted runs of whole statements, ``MIN_BLOCK`` bytes or more, without an interest
    offset, in the statement lists of the kept blocks of ``STATEMENT_BLOCK_MIN`` bytes or
    more (an Emscripten factory whose body names WebAssembly keeps its hundreds of
    ``var``, ``function`` and ``_f.sig = "vi";`` statements, of which a few matter); the
    ``held`` offsets keep their statements too."""
    out: list[tuple[int, int]] = []
    keep = sorted({*interests, *held}) if held else interests
    for a, b in blocks:
        if b - a < STATEMENT_BLOCK_MIN or _inside(blanked, a) or not _holds(interests, (a, b)):
            continue
        starts = cuts.starts(a, b)
        if len(starts) < 2:
            continue
        last = len(starts) - 1        # statements from starts[last] on end with no ``;``: kept
        mine = keep[bisect.bisect_left(keep, starts[0]):bisect.bisect_left(keep, starts[last])]
        kept = sorted({bisect.bisect_right(starts, x) - 1 for x in mine})
        before = -1
        for j in (*kept, last):
            if j - before > 1:
                out.append((starts[before + 1], starts[j]))
            before = j
    return sorted(r for r in out if r[1] - r[0] >= MIN_BLOCK)


class _Cuts:
    """Where the statement lists of a file's body blocks may be cut (``lexer.statement_starts``),
    worked out for a block when a plan first keeps it, and kept for every plan of the file."""

    def __init__(self, data: bytes, blocks):
        self.data, self.ends, self.order = data, dict(blocks), [a for a, _ in blocks]
        self._starts: dict[tuple[int, int], list[int]] = {}
        self._flat: list[int] = []

    def starts(self, a: int, b: int) -> list[int]:
        if (a, b) not in self._starts:
            found = [] if _switch_body(self.data, a) else lexer.statement_starts(self.data, a, b, self.ends, self.order)
            self._starts[a, b] = found
            for x in found:
                bisect.insort(self._flat, x)
        return self._starts[a, b]

    def starts_within(self, a: int, b: int) -> list[int]:
        return self._flat[bisect.bisect_left(self._flat, a):bisect.bisect_left(self._flat, b)]


def _switch_body(data: bytes, a: int) -> bool:
    """Whether the block whose contents start at ``a`` (after ``)`` and ``{``) may be a
    ``switch``'s, whose ``case`` labels a cut must not move (parentheses matched by
    counting: a wrong answer costs a cut, the parse checks every cut)."""
    k, depth = data.rfind(b")", 0, a), 0
    while k >= 0:
        c = data[k]
        depth += (c == 0x29) - (c == 0x28)
        if not depth:
            break
        k -= 1
    return k < 0 or data[max(0, k - 12):k].rstrip().endswith(b"switch")


def interest_offsets(data: bytes, literals=(), sites=None, shaped=None, words=INTEREST, marks=MARKS) -> list[int]:
    """Offsets of the interest ``words``, the ``shaped`` words (``SHAPED``) and the ``marks``,
    outside literals of ``SCAN_LITERALS_BELOW`` bytes and more; such a literal's own offset
    stands for them (its blocks are kept)."""
    shaped = SHAPED if shaped is None else shaped
    if sites is None:
        from .sites import Sites
        sites = Sites(data)
    big = [(a, b) for a, b in literals if b - a >= SCAN_LITERALS_BELOW]
    out = [a for a, _ in big]
    starts = [a for a, _ in big]
    n = len(data)
    for word, whole in [(w, True) for w in (*words, *shaped)] + [(m, False) for m in marks]:
        hits = sites.offsets(word)
        if hits is None:
            hits = list(_finds(data, word))
        shape = shaped.get(word)
        for i in hits:
            end = i + len(word)
            if whole and ((i and _WORDISH[data[i - 1]]) or (end < n and _WORDISH[data[end]])):
                continue
            if shape is not None and not shape.fits(data, i, len(word)):
                continue
            k = bisect.bisect_right(starts, i) - 1
            if k < 0 or i >= big[k][1]:
                out.append(i)
    return sorted(out)


def _finds(data: bytes, word: bytes):
    i = data.find(word)
    while i >= 0:
        yield i
        i = data.find(word, i + len(word))


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
