"""tree-sitter parsing of JS/TS, loaded lazily and cached per process, and the
small node helpers every fact builder uses."""
from __future__ import annotations

import bisect
from functools import lru_cache
from typing import Iterator

from .. import budget
from ..facts import Span
from .parents import parent, register
from .word_search import WORDISH, WordSearch

# Words a file must contain for its parse to be worth it (design.md: byte prefilter).
PREFILTER = (
    b"WebAssembly", b"Worker", b"NODE_OPTIONS", b"setFlagsFromString", b"child_process",
    b"execArgv", b"iscina", b"workerpool",
)

TS_SUFFIXES = (".ts", ".mts", ".cts")
HEAD_BYTES = 4096     # of a blanked function body, parsed to find its leading var statements
# Wrappers that do not change a value: (x), x as T, x!, x satisfies T, <T>x.
TRANSPARENT = frozenset(("parenthesized_expression", "as_expression", "non_null_expression",
                         "satisfies_expression", "type_assertion"))
FUNCTIONS = frozenset(("function_declaration", "function_expression", "arrow_function",
                       "method_definition", "generator_function_declaration",
                       "generator_function", "class_static_block"))
LOOPS = frozenset(("for_statement", "for_in_statement", "while_statement", "do_statement"))


@lru_cache(maxsize=None)
def language(dialect: str):
    import tree_sitter
    if dialect == "javascript":
        import tree_sitter_javascript as mod
        return tree_sitter.Language(mod.language())
    import tree_sitter_typescript as mod
    return tree_sitter.Language(mod.language_tsx() if dialect == "tsx" else mod.language_typescript())


@lru_cache(maxsize=None)
def parser(dialect: str):
    import tree_sitter
    return tree_sitter.Parser(language(dialect))


def dialect_of(path: str) -> str:
    low = path.lower()
    if low.endswith(".tsx"):
        return "tsx"
    if low.endswith(TS_SUFFIXES):
        return "typescript"
    return "javascript"


class Doc:
    """One parsed file: bytes, tree, and position helpers (columns are characters)."""

    def __init__(self, path: str, data: bytes, plan=None, previous: Doc | None = None, sites=None):
        """``plan``: parse a skeleton (``wasmlint.js.skeleton.Plan``) that leaves its
        ranges out; None parses everything. ``previous``: an earlier Doc of the same
        bytes, whose tree the parse reuses (tree-sitter reparses only what changed).
        ``sites``: the file's ``wasmlint.js.sites.Sites``, which searches answer from."""
        from . import skeleton
        self.path = path
        self.data = data
        self.sites = sites if sites is not None or previous is None else previous.sites
        self.parsed = skeleton.parse(parser(dialect_of(path)), data, plan,
                                     previous.parsed if previous is not None else None)
        self.tree = self.parsed.tree
        used = self.parsed.plan
        self.blanked: list[tuple[int, int]] = list(used.blanked) if used else []   # blocks left out
        self.literals: list[tuple[int, int]] = used.open_literals if used else []  # literals seen empty
        self.touched: set[int] = set()             # searched words found inside them
        self._blank_starts = [a for a, _ in self.blanked]
        self._statement_starts = {a for a, _ in used.statements} if used else set()   # runs of statements
        self._cuts = used.cuts if used else None
        self._literal_starts = [a for a, _ in self.literals]
        # parses of blanked ranges alone, by range: every parse of the file shares them
        self._blank_trees: dict[tuple, object] = previous._blank_trees if previous is not None else {}
        # the blocks a statement's parse for a name leaves out, by statement and name
        self._piece_regions: dict[tuple, tuple] = previous._piece_regions if previous is not None else {}
        self._head_vars: dict[tuple[int, int], frozenset] = previous._head_vars if previous is not None else {}
        # embedded-module literals decoded (binary strings, base64), by range: a widened
        # parse does not decode them again
        self.decoded: dict[tuple[int, int], bytes | None] = previous.decoded if previous is not None else {}
        self.base64: dict[tuple[int, int], tuple | None] = previous.base64 if previous is not None else {}
        self._owners: dict[int, object] = {}
        self.root = self.tree.root_node
        register(self.root, data)
        self.skip: list[tuple[int, int]] = []    # byte ranges searches ignore (embedded modules)
        self._words = self.sites.words if self.sites is not None else \
            previous._words if previous is not None else WordSearch(data)   # word_offsets' searches

    # ------------------------------------------------------------- text, spans
    def text(self, node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def _column(self, byte_offset: int, row_start: int) -> int:
        prefix = self.data[row_start:byte_offset]
        return (len(prefix) if prefix.isascii() else len(prefix.decode("utf-8", "replace"))) + 1

    def position(self, byte_offset: int, point) -> tuple[int, int]:
        row, col = point
        return row + 1, self._column(byte_offset, byte_offset - col)

    def span(self, node, end_node=None) -> Span:
        end_node = end_node or node
        line, col = self.position(node.start_byte, node.start_point)
        eline, ecol = self.position(end_node.end_byte, end_node.end_point)
        return Span(self.path, line, col, eline, ecol, node.start_byte, end_node.end_byte)

    def between(self, start, end, start_at_end: bool = True, end_at_end: bool = False) -> Span:
        """The span from the end (or start) of node ``start`` to the start (or end) of ``end``."""
        b1, p1 = (start.end_byte, start.end_point) if start_at_end else (start.start_byte, start.start_point)
        b2, p2 = (end.end_byte, end.end_point) if end_at_end else (end.start_byte, end.start_point)
        (l1, c1), (l2, c2) = self.position(b1, p1), self.position(b2, p2)
        return Span(self.path, l1, c1, l2, c2, b1, b2)

    def insertion(self, node, after: bool = True) -> Span:
        """An empty span just after (or before) ``node``: where an edit inserts."""
        b, p = (node.end_byte, node.end_point) if after else (node.start_byte, node.start_point)
        line, col = self.position(b, p)
        return Span(self.path, line, col, line, col, b, b)

    # ------------------------------------------------------------- finding
    def segments(self, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
        """``[start, end)`` minus the skipped ranges (a 10 MB embedded module is never searched twice)."""
        end = len(self.data) if end is None else end
        for a, b in self.skip:
            if b <= start or a >= end:
                continue
            if a > start:
                yield start, a
            start = max(start, b)
        if start < end:
            yield start, end

    def offsets(self, needle: bytes, start: int = 0, end: int | None = None,
                note_blanks: bool = True, whole: bool = False, shape=None) -> Iterator[int]:
        """Where ``needle`` occurs. An occurrence in a blanked range is noted in
        ``touched`` (see skeleton.py) unless ``note_blanks`` is False (the caller
        decides); only a whole word when ``whole`` (the caller wants nodes of exactly
        ``needle``), and only where its neighbours fit ``shape`` (a ``shapes.Shape``:
        the only nodes the caller reads)."""
        if not needle:    # a zero-width node tree-sitter made up in error recovery has no name
            return
        note = note_blanks and (self.blanked or self.literals)
        hits = self.sites.offsets(needle) if self.sites is not None else None
        if hits is None:     # not a vocabulary word: the file's identifiers may be indexed
            hits = self._words.occurrences(needle, list(self.segments(start, end)), list(self.segments()))
        find = self.data.find
        for lo, hi in self.segments(start, end):
            if hits is not None:
                found = hits[bisect.bisect_left(hits, lo):bisect.bisect_left(hits, hi - len(needle) + 1)]
            else:
                found = _finds(find, needle, lo, hi)
            for i in found:
                if note and self._unseen(i, needle, whole) and \
                        (shape is None or shape.fits(self.data, i, len(needle))):
                    self.touched.add(i)
                yield i

    def has(self, needle: bytes) -> bool:
        """Whether ``needle`` occurs anywhere in the bytes."""
        return needle in self.data if self.sites is None else self.sites.has(needle)

    def word_offsets(self, word: bytes, start: int = 0, end: int | None = None) -> list[int]:
        """Where ``word`` (an identifier) occurs as a whole word in ``[start, end)``, skipped
        ranges aside; nothing is noted. A search of most of the file is made once per
        word and file (every parse of the file shares it)."""
        end = len(self.data) if end is None else end
        if not word:
            return []
        if (end - start) * 8 < len(self.data):
            return self._words.within(word, self.segments(start, end), list(self.segments()))
        hits = self._words.whole_file(word, self.skip, list(self.segments()))
        return hits[bisect.bisect_left(hits, start):bisect.bisect_left(hits, end - len(word) + 1)]

    def _unseen(self, i: int, needle: bytes, whole: bool) -> bool:
        """Whether a whole parse could have a node at ``i`` that this one has not: in a
        left-out block (a whole word, when only those count), or in a left-out literal a
        text between escapes (tree-sitter's ``string_fragment``)."""
        if self.blank_index(i) >= 0:
            return not whole or self._whole_word(i, needle)
        k = bisect.bisect_right(self._literal_starts, i) - 1
        if k < 0 or i >= self.literals[k][1]:
            return False
        a, b = self.literals[k]
        end, data = i + len(needle), self.data
        return (i == a or 0x5C in data[max(a, i - 10):i] or data[i - 1] == 0x24) and \
            (end >= b or data[end] in b"\\$")

    def reveal(self, node) -> None:
        """A builder is about to read inside ``node`` without searching for a word: any
        blanked range in it must be parsed (noted in ``touched``, see skeleton.py); for a
        string or template literal, its left-out contents too (the parts it is made of)."""
        if node is None:
            return
        if self.literals and node.type in ("string", "template_string"):
            k = bisect.bisect_left(self._literal_starts, node.start_byte)
            while k < len(self.literals) and self.literals[k][0] < node.end_byte:
                self.touched.add(self.literals[k][0])
                k += 1
        if not self.blanked:
            return
        k = bisect.bisect_left(self._blank_starts, node.start_byte)
        while k < len(self.blanked) and self.blanked[k][0] < node.end_byte:
            self.touched.add(self.blanked[k][0])
            k += 1

    def _whole_word(self, i: int, needle: bytes) -> bool:
        data, end = self.data, i + len(needle)
        return not ((WORDISH[needle[0]] and i and WORDISH[data[i - 1]]) or
                    (WORDISH[needle[-1]] and end < len(data) and WORDISH[data[end]]))

    def blank_index(self, i: int) -> int:
        """The blanked range holding byte ``i``, or -1."""
        k = bisect.bisect_right(self._blank_starts, i) - 1
        return k if k >= 0 and i < self.blanked[k][1] else -1

    def cut_statements(self, k: int) -> bool:
        """Whether blanked range ``k`` is a run of statements (of a kept block), not a block's body."""
        return self.blanked[k][0] in self._statement_starts

    def blank_owner(self, k: int):
        """The node whose body is blanked range ``k`` (a function, an ``if``, a loop…); None
        for a run of statements."""
        if self.cut_statements(k):
            return None
        if k not in self._owners:
            a = self.blanked[k][0]
            block = self.root.descendant_for_byte_range(a - 1, a)
            while block is not None and block.start_byte == a - 1 and block.type != "statement_block":
                block = block.parent
            self._owners[k] = block.parent if block is not None and block.type == "statement_block" else None
        return self._owners[k]

    def note_statements_before(self, word: bytes, node) -> None:
        """Note in ``touched`` (see skeleton.py) ``word`` found whole in a left-out run of
        statements before ``node`` and inside a node around it: it may be a statement
        that runs before ``node`` in a block around it."""
        if not self._statement_starts or not word:
            return
        spans = [(a.start_byte, a.end_byte) for a in ancestors(node)]
        for i in self.offsets(word, 0, node.start_byte, note_blanks=False):
            k = self.blank_index(i)
            if k >= 0 and self.cut_statements(k) and self._whole_word(i, word):
                a, b = self.blanked[k]
                if any(s <= a and b <= e for s, e in spans):
                    self.touched.add(i)

    def words_within(self, word: bytes, start: int, end: int) -> list[int]:
        """Where ``word`` occurs as a whole word in ``[start, end)`` (a byte search of that range)."""
        out, find = [], self.data.find
        for i in _finds(find, word, start, end):
            if self._whole_word(i, word):
                out.append(i)
        return out

    def statement_node(self, i: int, length: int):
        """(the smallest node at ``[i, i+length)``, the root, the statement's range) of a
        parse of the statement around byte ``i`` of a blanked run of statements, alone (a
        statement parses as a program), with its body blocks that do not hold that word
        left out (a scope they declare the name in is no scope around an occurrence)."""
        a, b = self.blanked[self.blank_index(i)]
        starts = self._cuts.starts_within(a, b)
        k = bisect.bisect_right(starts, i) - 1
        piece = (starts[k], starts[k + 1] if k + 1 < len(starts) else b)
        word = self.data[i:i + length]
        regions = self._piece_regions.get((piece, word))
        if regions is None:
            from .skeleton import blank_regions
            s, e = piece
            blocks = self.parsed.plan.blocks
            inside = blocks[bisect.bisect_left(blocks, (s, 0)):bisect.bisect_left(blocks, (e, 0))]
            regions = self._piece_regions[piece, word] = tuple(blank_regions(self.words_within(word, s, e), inside))
        key = (piece, regions)      # names whose blocks left out are the same share a parse
        if key not in self._blank_trees:
            from .skeleton import blank_text
            s, e = piece
            text = blank_text(self.data[s:e], [(x - s, y - s) for x, y in regions])
            self._blank_trees[key] = budget.parse(parser(dialect_of(self.path)), text.replace(b"\0", b"\x01"))
            register(self._blank_trees[key].root_node, self.data, part=True)
        root = self._blank_trees[key].root_node
        return root.descendant_for_byte_range(i - piece[0], i - piece[0] + length), root, piece

    def blank_words(self, k: int, word: str) -> Iterator:
        """Nodes (of the range's own parse) where ``word`` occurs as a whole word in blanked range ``k``."""
        raw = word.encode()
        a, b = self.blanked[k]
        for i in self.offsets(raw, a, b, note_blanks=False):
            if self._whole_word(i, raw):
                yield self.blank_node(i, len(raw))

    def blank_head_vars(self, k: int) -> frozenset:
        """Names declared by the ``var`` statements that open blanked range ``k`` (minified
        functions declare their locals first), from a parse of its first few KiB only."""
        return self.head_vars(*self.blanked[k])

    def head_vars(self, a: int, b: int) -> frozenset:
        """``blank_head_vars`` of the block whose contents are ``[a, b)``."""
        if (a, b) not in self._head_vars:
            head = self.data[a:min(b, a + HEAD_BYTES)].replace(b"\0", b"\x01")
            root = budget.parse(parser(dialect_of(self.path)), head).root_node
            names = set()
            for stmt in root.named_children:
                if stmt.type != "variable_declaration" or stmt.has_error or stmt.end_byte >= len(head) - 1 \
                        or stmt.children[-1].type != ";":
                    break
                for d in stmt.named_children:
                    n = d.child_by_field_name("name") if d.type == "variable_declarator" else None
                    if n is not None and n.type == "identifier":
                        names.add(n.text.decode("utf-8", "replace"))
            self._head_vars[a, b] = frozenset(names)
        return self._head_vars[a, b]

    def blank_node(self, i: int, length: int):
        """The smallest node at ``[i, i+length)`` inside a blanked range, from a parse of
        that range's own text (a function body parses as a program)."""
        a, b = self.blanked[self.blank_index(i)]
        if (a, b) not in self._blank_trees:
            self._blank_trees[a, b] = budget.parse(parser(dialect_of(self.path)),
                                                  self.data[a:b].replace(b"\0", b"\x01"))
            register(self._blank_trees[a, b].root_node, self.data, part=True)
        return self._blank_trees[a, b].root_node.descendant_for_byte_range(i - a, i - a + length)

    def words(self, word: str, types=("identifier", "property_identifier",
                                      "shorthand_property_identifier"), shape=None,
              note_blanks: bool = True, start: int = 0, end: int | None = None) -> Iterator:
        """Nodes whose whole text is ``word`` (an identifier, not a part of one) in
        ``[start, end)``; ``shape``: the caller reads only nodes whose neighbours fit it,
        ``note_blanks`` False: none in a left-out range (see ``offsets``)."""
        raw = word.encode()
        for off in self.offsets(raw, start, end, whole=True, shape=shape, note_blanks=note_blanks):
            node = self.root.descendant_for_byte_range(off, off + len(raw))
            if node is not None and node.type in types and node.end_byte - node.start_byte == len(raw):
                yield node

    def has_error_only(self) -> bool:
        """True when the text is not JavaScript at all: most bytes sit in top-level errors."""
        if not self.root.has_error or not self.data.strip():
            return False
        bad = sum(c.end_byte - c.start_byte for c in self.root.children if c.type == "ERROR")
        return bad * 2 > len(self.data.strip()) or (self.root.type == "ERROR")


def _finds(find, needle: bytes, lo: int, hi: int) -> Iterator[int]:
    while (i := find(needle, lo, hi)) >= 0:
        yield i
        lo = i + len(needle)


# ----------------------------------------------------------------- node helpers
def unwrap(node):
    while node is not None and node.type in TRANSPARENT:
        inner = node.named_children
        node = inner[0] if inner else None
    return node


def up(node):
    """The parent, skipping transparent wrappers."""
    node = parent(node)
    while node is not None and node.type in TRANSPARENT:
        node = parent(node)
    return node


def ancestors(node) -> Iterator:
    """The parent, its parent… up to the root (parents.py: each found once)."""
    node = parent(node)
    while node is not None:
        yield node
        node = parent(node)


def enclosing_function(node):
    for a in ancestors(node):
        if a.type in FUNCTIONS:
            return a
    return None


def returns_of(node) -> list:
    """The ``return`` statements in ``node`` that belong to it, not to functions inside it."""
    out, stack = [], list(node.named_children)
    while stack:
        n = stack.pop()
        if n.type == "return_statement":
            out.append(n)
        elif n.type not in FUNCTIONS:
            stack.extend(n.named_children)
    return out


def function_name(fn) -> str | None:
    """The name a function is known by: a declaration's or method's own, else the variable,
    property or class field it is assigned to, else a function expression's own."""
    if fn.type in ("function_declaration", "generator_function_declaration", "method_definition"):
        return name_of(fn.child_by_field_name("name"))
    parent = up(fn)
    if parent is not None and parent.type == "variable_declarator":
        return name_of(parent.child_by_field_name("name"))
    if parent is not None and parent.type in ("pair", "public_field_definition"):
        return name_of(parent.child_by_field_name("key" if parent.type == "pair" else "name"))
    own = fn.child_by_field_name("name") if fn.type == "function_expression" else None
    return name_of(own) if own is not None else None


def name_of(node) -> str | None:
    """``a`` for an identifier, ``b`` for ``a.b``/``a['b']``/``a?.b``."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type in ("identifier", "property_identifier", "this", "shorthand_property_identifier"):
        return node.text.decode("utf-8", "replace")
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return prop.text.decode("utf-8", "replace") if prop is not None else None
    if node.type == "subscript_expression":
        return string_value(node.child_by_field_name("index"))
    return None


def path_of(node) -> str | None:
    """``a.b.c`` for member chains of identifiers (``a['b']`` normalised), else None."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type in ("identifier", "this"):
        return node.text.decode("utf-8", "replace")
    if node.type in ("member_expression", "subscript_expression"):
        base = path_of(node.child_by_field_name("object"))
        prop = name_of(node)
        return f"{base}.{prop}" if base is not None and prop is not None else None
    return None


def string_value(node) -> str | None:
    """The value of a plain string literal (or a template without substitutions)."""
    node = unwrap(node)
    if node is None or node.type not in ("string", "template_string"):
        return None
    if node.type == "template_string" and any(c.type == "template_substitution" for c in node.children):
        return None
    from .embedded import unescape_js
    return unescape_js(node.text[1:-1].decode("utf-8", "replace"))


def operator(node) -> str:
    """The operator of a binary or unary expression (``""`` when recovery left none)."""
    op = node.child_by_field_name("operator")
    return op.type if op is not None else ""


def call_parts(node):
    """(callee, [argument nodes]) of a call or new expression, else (None, [])."""
    node = unwrap(node)
    if node is None or node.type not in ("call_expression", "new_expression"):
        return None, []
    callee = node.child_by_field_name("function" if node.type == "call_expression" else "constructor")
    args = node.child_by_field_name("arguments")
    named = [] if args is None or args.type != "arguments" else [
        a for a in args.named_children if a.type != "comment"]
    return callee, named


def object_pairs(node, origin=None, depth: int = 0) -> dict:
    """{key: (pair node, value node)} of an object literal; shorthand ``{a}`` maps to the identifier.
    With ``origin`` (the evaluator's), a spread ``{...OPTS, shell: true}`` of an object literal it
    finds gives its pairs in its place; a spread of anything else gives none."""
    node = unwrap(node)
    out: dict = {}
    if node is None or node.type != "object":
        return out
    for child in node.named_children:
        if child.type == "spread_element" and origin is not None and child.named_children and depth < 8:
            out.update(object_pairs(origin(child.named_children[0]), origin, depth + 1))
        elif child.type == "pair":
            key = child.child_by_field_name("key")
            name = key.text.decode("utf-8", "replace") if key.type in ("property_identifier", "number") else string_value(key)
            if name is not None:
                out[name] = (child, child.child_by_field_name("value"))
        elif child.type == "shorthand_property_identifier":
            out[child.text.decode("utf-8", "replace")] = (child, child)
    return out
