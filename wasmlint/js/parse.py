"""tree-sitter parsing of JS/TS, loaded lazily and cached per process, and the
small node helpers every fact builder uses."""
from __future__ import annotations

import bisect
from functools import lru_cache
from typing import Iterator

from ..facts import Span

# Words a file must contain for its parse to be worth it (design.md: byte prefilter).
PREFILTER = (
    b"WebAssembly", b"Worker", b"NODE_OPTIONS", b"setFlagsFromString", b"child_process",
    b"execArgv", b"iscina", b"workerpool",
)

TS_SUFFIXES = (".ts", ".mts", ".cts")
HEAD_BYTES = 4096     # of a blanked function body, parsed to find its leading var statements
WORDISH = [chr(b).isalnum() or chr(b) in "_$" or b >= 0x80 for b in range(256)]
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

    def __init__(self, path: str, data: bytes, interests: list[int] | None = None,
                 blocks: list[tuple[int, int]] | None = None):
        """``interests``: parse a skeleton (``wasmlint.js.skeleton``) that keeps the
        blocks holding these offsets (``blocks``: the file's body blocks, when known);
        None parses everything."""
        self.path = path
        self.data = data
        # tree-sitter's lexer reads NUL as end of input; Emscripten's binary-string SINGLE_FILE
        # literal holds raw NULs. Parse a same-length copy; values are read from ``data``.
        source = data.replace(b"\0", b"\x01") if b"\0" in data else data
        self.blanked: list[tuple[int, int]] = []   # byte ranges the parser saw as spaces
        self.touched: set[int] = set()             # searched words found inside them
        if interests is not None:
            from . import skeleton
            self.blanked = skeleton.blank_regions(data, interests, blocks)
        if self.blanked:
            self.tree = parser(dialect_of(path)).parse(skeleton.blank(source, self.blanked))
            if self.tree.root_node.has_error:     # a wrong cut, or a file with errors: parse it whole
                self.blanked = []
        if not self.blanked:
            self.tree = parser(dialect_of(path)).parse(source)
        self._blank_starts = [a for a, _ in self.blanked]
        self._blank_trees: dict[int, object] = {}
        self._head_vars: dict[int, frozenset] = {}
        self.root = self.tree.root_node
        self.skip: list[tuple[int, int]] = []    # byte ranges searches ignore (embedded modules)

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
                note_blanks: bool = True) -> Iterator[int]:
        """Where ``needle`` occurs. A whole word found in a blanked range is noted in
        ``touched`` (see skeleton.py) unless ``note_blanks`` is False (the caller decides)."""
        if not needle:    # a zero-width node tree-sitter made up in error recovery has no name
            return
        find = self.data.find
        for lo, hi in self.segments(start, end):
            while (i := find(needle, lo, hi)) >= 0:
                if self.blanked and note_blanks and self.blank_index(i) >= 0 and self._whole_word(i, needle):
                    self.touched.add(i)
                yield i
                lo = i + len(needle)

    def reveal(self, node) -> None:
        """A builder is about to read inside ``node`` without searching for a word: any
        blanked range in it must be parsed (noted in ``touched``, see skeleton.py)."""
        if not self.blanked or node is None:
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

    def blank_owner(self, k: int):
        """The node whose body is blanked range ``k`` (a function, an ``if``, a loop…)."""
        a = self.blanked[k][0]
        block = self.root.descendant_for_byte_range(a - 1, a)
        while block is not None and block.start_byte == a - 1 and block.type != "statement_block":
            block = block.parent
        return block.parent if block is not None and block.type == "statement_block" else None

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
        if k not in self._head_vars:
            a, b = self.blanked[k]
            head = self.data[a:min(b, a + HEAD_BYTES)].replace(b"\0", b"\x01")
            root = parser(dialect_of(self.path)).parse(head).root_node
            names = set()
            for stmt in root.named_children:
                if stmt.type != "variable_declaration" or stmt.has_error or stmt.end_byte >= len(head) - 1 \
                        or stmt.children[-1].type != ";":
                    break
                for d in stmt.named_children:
                    n = d.child_by_field_name("name") if d.type == "variable_declarator" else None
                    if n is not None and n.type == "identifier":
                        names.add(n.text.decode("utf-8", "replace"))
            self._head_vars[k] = frozenset(names)
        return self._head_vars[k]

    def blank_node(self, i: int, length: int):
        """The smallest node at ``[i, i+length)`` inside a blanked range, from a parse of
        that range's own text (a function body parses as a program)."""
        k = self.blank_index(i)
        if k not in self._blank_trees:
            a, b = self.blanked[k]
            self._blank_trees[k] = parser(dialect_of(self.path)).parse(self.data[a:b].replace(b"\0", b"\x01"))
        a = self.blanked[k][0]
        return self._blank_trees[k].root_node.descendant_for_byte_range(i - a, i - a + length)

    def words(self, word: str, types=("identifier", "property_identifier",
                                      "shorthand_property_identifier")) -> Iterator:
        """Nodes whose whole text is ``word`` (an identifier, not a part of one)."""
        raw = word.encode()
        for off in self.offsets(raw):
            node = self.root.descendant_for_byte_range(off, off + len(raw))
            if node is not None and node.type in types and node.end_byte - node.start_byte == len(raw):
                yield node

    def has_error_only(self) -> bool:
        """True when the text is not JavaScript at all: most bytes sit in top-level errors."""
        if not self.root.has_error or not self.data.strip():
            return False
        bad = sum(c.end_byte - c.start_byte for c in self.root.children if c.type == "ERROR")
        return bad * 2 > len(self.data.strip()) or (self.root.type == "ERROR")


# ----------------------------------------------------------------- node helpers
def unwrap(node):
    while node is not None and node.type in TRANSPARENT:
        inner = node.named_children
        node = inner[0] if inner else None
    return node


def up(node):
    """The parent, skipping transparent wrappers."""
    node = node.parent
    while node is not None and node.type in TRANSPARENT:
        node = node.parent
    return node


def ancestors(node) -> Iterator:
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


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
        return node.text.decode()
    if node.type == "member_expression":
        prop = node.child_by_field_name("property")
        return prop.text.decode() if prop is not None else None
    if node.type == "subscript_expression":
        return string_value(node.child_by_field_name("index"))
    return None


def path_of(node) -> str | None:
    """``a.b.c`` for member chains of identifiers (``a['b']`` normalised), else None."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type in ("identifier", "this"):
        return node.text.decode()
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


def object_pairs(node) -> dict:
    """{key: (pair node, value node)} of an object literal; shorthand ``{a}`` maps to the identifier."""
    node = unwrap(node)
    out: dict = {}
    if node is None or node.type != "object":
        return out
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            name = key.text.decode() if key.type in ("property_identifier", "number") else string_value(key)
            if name is not None:
                out[name] = (child, child.child_by_field_name("value"))
        elif child.type == "shorthand_property_identifier":
            out[child.text.decode()] = (child, child)
    return out
