"""tree-sitter parsing of JS/TS, loaded lazily and cached per process, and the
small node helpers every fact builder uses."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from ..facts import Span

# Words a file must contain for its parse to be worth it (design.md: byte prefilter).
PREFILTER = (
    b"WebAssembly", b"Worker", b"NODE_OPTIONS", b"setFlagsFromString", b"child_process",
    b"execArgv", b"iscina", b"workerpool",
)

TS_SUFFIXES = (".ts", ".mts", ".cts")
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

    def __init__(self, path: str, data: bytes):
        self.path = path
        self.data = data
        # tree-sitter's lexer reads NUL as end of input; Emscripten's binary-string SINGLE_FILE
        # literal holds raw NULs. Parse a same-length copy; values are read from ``data``.
        self.tree = parser(dialect_of(path)).parse(data.replace(b"\0", b"\x01") if b"\0" in data else data)
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

    def offsets(self, needle: bytes, start: int = 0, end: int | None = None) -> Iterator[int]:
        find = self.data.find
        for lo, hi in self.segments(start, end):
            while (i := find(needle, lo, hi)) >= 0:
                yield i
                lo = i + len(needle)

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
