"""Which write of a name reaches a use: enough scope analysis for glue.

A name's writes (declarations, assignments, parameters, imports, ``x++``) are
found with a byte search for the name, then resolved to their binding: ``var``
and functions bind in the enclosing function, ``let``/``const``/``class`` in the
enclosing block. A use is given a value only when one write reaches it:

* the binding has exactly one write that carries a value (``var x;`` does not), or
* several writes, and the last one before the use is in the same function, in a
  block enclosing the use, with no loop around the use, while every other write
  is in that function too (before it, or after the use) — the ``var
  INITIAL_MEMORY = Module['INITIAL_MEMORY'] || N; … INITIAL_MEMORY =
  wasmMemory.buffer.byteLength`` form of Emscripten's pthreads glue.

Anything else is unknown: no finding rather than a wrong one.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from .nested_functions import NestedFunctions
from .occurrences import SCOPED_DECLARATIONS, label_or_key, surely_read, word_before
from .parents import parent as parent_of
from .parse import FUNCTIONS, HEAD_BYTES, LOOPS, Doc, ancestors, dialect_of, enclosing_function

_BLOCKS = frozenset(("statement_block", "program", "for_statement", "for_in_statement",
                     "switch_body", "class_body"))
_WORD_TYPES = ("identifier", "shorthand_property_identifier_pattern")
_PATTERNS = frozenset(("required_parameter", "optional_parameter", "assignment_pattern",
                       "rest_pattern", "object_pattern", "array_pattern", "pair_pattern",
                       "object_assignment_pattern"))
# A blanked range longer than this is not parsed alone to tell whether a write in it
# reaches out: it is parsed in its place (skeleton.py), which costs no more — and far
# less for an asm.js module body, whose closing ``return`` a program does not allow.
ALONE_MAX = 64 << 10


@dataclass
class Write:
    node: object            # the identifier written
    value: object | None    # the value node, None when the write carries no known value
    declares: str | None    # "var" | "let" | "const" | "function" | "param" | "import" | None
    carries: bool           # whether the write gives the name a value
    default: object | None = None   # a parameter's or destructured name's default (``size = 4``)


class Bindings:
    """Name resolution that searches only the byte range of the scopes around a use,
    so short minified names in a 13 MB file cost what their function costs."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self._found: dict[tuple[str, int], list[Write]] = {}
        self._blank_locals: dict[tuple[int, str], tuple[bool, set[int]]] = {}
        self._param_sets: dict[int, set[str]] = {}
        self._piece_scopes: dict[tuple, set] = {}     # ids of the scopes declaring a name in a statement
        self._bound: dict[int, list[Write]] = {}      # binding_writes' answers, by use
        self._javascript = dialect_of(doc.path) == "javascript"   # no type annotations (``x: T``)
        self._nested: NestedFunctions | None = None    # the functions in left-out blocks parsed in place

    def writes_in(self, name: str, scope) -> list[Write]:
        """Every write of ``name`` inside the byte range of ``scope`` (a node)."""
        key = (name, scope.id)
        if key not in self._found:
            raw = name.encode()
            doc, out = self.doc, []
            hits = doc.word_offsets(raw, scope.start_byte, scope.end_byte)
            n, at = len(hits), 0
            while at < n:
                i = hits[at]
                at += 1
                if surely_read(doc.data, i, len(raw)):
                    continue
                k = doc.blank_index(i) if doc.blanked else -1
                if k < 0:
                    node = doc.root.descendant_for_byte_range(i, i + len(raw))
                    if node is not None and node.type in _WORD_TYPES and node.end_byte == i + len(raw):
                        w = _classify(node)
                        if w is not None:
                            out.append(w)
                elif self._bound_by_owner(k, name):   # and so is every other occurrence there
                    at = bisect.bisect_left(hits, doc.blanked[k][1], at)
                else:
                    self._note_blank_write(k, i, len(raw))
            self._found[key] = out
        return self._found[key]

    def _bound_by_owner(self, k: int, name: str) -> bool:
        """Whether the function whose body is blanked range ``k`` binds ``name`` by a
        parameter or a leading ``var`` (cheap to tell: the body need not be parsed)."""
        owner = self.doc.blank_owner(k)
        if owner is None or owner.type not in FUNCTIONS:
            return False
        a, b = self.doc.blanked[k]
        return name in self._params(owner) or (b - a > HEAD_BYTES and name in self.doc.blank_head_vars(k))

    def _note_blank_write(self, k: int, i: int, length: int) -> None:
        """The parser did not see this occurrence in blanked range ``k`` (skeleton.py):
        if it may be a write that reaches out, the file is parsed again with its block
        kept; a read changes nothing."""
        before = word_before(self.doc.data, i)
        if self.doc.cut_statements(k):
            if not (self._javascript and label_or_key(self.doc.data, i, length, before)) and \
                    self._statement_write_reaches_out(i, length):
                self.doc.touched.add(i)
            return
        if before in SCOPED_DECLARATIONS:
            return        # let/const/class/function x: bound in the range (see _bound_inside)
        if self._javascript and label_or_key(self.doc.data, i, length, before):
            return
        if before == b"var":
            owner = self.doc.blank_owner(k)
            if owner is not None and owner.type in FUNCTIONS:
                return    # hoisted to the function whose body the range is, or to one inside it
        a, b = self.doc.blanked[k]
        if b - a > ALONE_MAX:
            if not self._nested_functions().binds((a, b), i, self.doc.data[i:i + length]):
                self.doc.touched.add(i)
            return
        node = self.doc.blank_node(i, length)
        w = _classify(node) if node is not None and node.type in _WORD_TYPES else None
        if w is None or _bound_inside(w):
            return
        if not self._resolves_inside(k, node.text.decode("utf-8", "replace"), node):
            self.doc.touched.add(i)

    def _nested_functions(self) -> NestedFunctions:
        if self._nested is None:
            self._nested = NestedFunctions(self.doc, self.doc.parsed.plan.blocks)
        return self._nested

    def _statement_write_reaches_out(self, i: int, length: int) -> bool:
        """Whether the occurrence at ``i``, in a left-out run of statements (skeleton.py),
        may be a write of a binding outside its statement: a declaration at the statement's
        top (it binds in the block around), an assignment not to a name declared inside it."""
        node, root, piece = self.doc.statement_node(i, length)
        if root.has_error or node is None:
            return True
        w = _classify(node) if node.type in _WORD_TYPES else None
        if w is None:
            return False
        if w.declares is not None:
            scope = _declaration_scope(w)
            return scope is None or scope == root.id
        name = node.text.decode("utf-8", "replace")
        key = (piece, name)
        if key not in self._piece_scopes:
            self._piece_scopes[key] = {_declaration_scope(d) for d in self._piece_writes(piece, name)
                                       if d.declares is not None} - {None, root.id}
        inner = self._piece_scopes[key]
        return not any(a.id in inner for a in ancestors(node))

    def _piece_writes(self, piece: tuple[int, int], name: str) -> list[Write]:
        raw, out = name.encode(), []
        for j in self.doc.words_within(raw, piece[0], piece[1]):
            n = self.doc.statement_node(j, len(raw))[0]
            w = _classify(n) if n is not None and n.type in _WORD_TYPES else None
            if w is not None:
                out.append(w)
        return out

    def _blank_scopes(self, k: int, name: str) -> tuple[bool, set[int]]:
        """Where blanked range ``k`` (parsed alone) binds ``name``: (the whole range — the
        function whose body it is binds it by a parameter or ``var``, or the range's own
        block by a top-level ``let``, ``const``, class or function — and the ids of the
        scopes inside the range that declare it)."""
        key = (k, name)
        if key not in self._blank_locals:
            owner = self.doc.blank_owner(k)
            function = owner is not None and owner.type in FUNCTIONS
            whole, inner = function and name in self._params(owner), set()
            for n in self.doc.blank_words(k, name):
                w = _classify(n) if n is not None and n.type in _WORD_TYPES else None
                if w is None or w.declares is None:
                    continue
                if _declares_at_top(n, hoisted=function):
                    whole = True
                elif _declaration_scope(w) is not None and not (w.declares == "var" and enclosing_function(n) is None):
                    inner.add(_declaration_scope(w))
            self._blank_locals[key] = (owner is not None and whole, inner)
        return self._blank_locals[key]

    def _resolves_inside(self, k: int, name: str, node) -> bool:
        """Whether the write ``node`` (of blanked range ``k`` parsed alone) writes a binding
        of the range itself: then it reaches no use outside."""
        whole, inner = self._blank_scopes(k, name)
        return whole or any(a.id in inner for a in ancestors(node))

    def _params(self, fn) -> set[str]:
        if fn.id not in self._param_sets:
            self._param_sets[fn.id] = _param_names(fn)
        return self._param_sets[fn.id]

    def writes(self, name: str) -> list[Write]:
        return self.writes_in(name, self.doc.root)

    def reaching(self, use) -> Write | None:
        """The one write whose value reaches ``use`` (an identifier node), else None."""
        w = self.reaching_write(use)
        return w if w is not None and w.value is not None else None

    def reaching_write(self, use) -> Write | None:
        """The one write that reaches ``use``, also when its value is unknown (a parameter)."""
        mine = self.binding_writes(use)
        if not mine:
            return None
        carrying = [w for w in mine if w.carries]
        if len(carrying) == 1 and all(w.carries or w.declares in ("var", "let") for w in mine):
            return carrying[0]
        if not carrying:
            return None
        return self._dominating(use, carrying)

    def binding_writes(self, use) -> list[Write]:
        """Every write of the binding ``use`` (an identifier node) reads (once per use:
        a worker's loop bound, its pool size and its core count each ask)."""
        known = self._bound.get(use.id)
        if known is None:
            known = self._bound[use.id] = self._binding_writes(use)
        return known

    def _binding_writes(self, use) -> list[Write]:
        name = use.text.decode("utf-8", "replace")
        up_ids = [a.id for a in ancestors(use)]
        mine = None
        for scope in _search_ranges(use, self.doc.root):
            found = self.writes_in(name, scope)
            decl_scopes = {_declaration_scope(w) for w in found if w.declares}
            binding = next((i for i in up_ids if i in decl_scopes), None)
            if binding is not None:
                mine = [w for w in found if _resolves_to(w, decl_scopes) == binding]
                break
        if mine is None:   # an undeclared (global) name: writes outside every declaring scope
            found = self.writes_in(name, self.doc.root)
            decl_scopes = {_declaration_scope(w) for w in found if w.declares}
            mine = [w for w in found if _resolves_to(w, decl_scopes) is None]
        return mine

    def _dominating(self, use, carrying: list[Write]) -> Write | None:
        fn = enclosing_function(use)
        fn_id = fn.id if fn is not None else None
        for w in carrying:
            wf = enclosing_function(w.node)
            if (wf.id if wf is not None else None) != fn_id:
                return None
        for a in ancestors(use):
            if fn is not None and a.id == fn.id:
                break
            if a.type in LOOPS:
                return None
        before = [w for w in carrying if w.node.start_byte < use.start_byte]
        if not before:
            return None
        last = before[-1]
        stmt_block = _statement_block(last.node)
        if stmt_block is None or not any(a.id == stmt_block.id for a in ancestors(use)):
            return None
        return last


def _search_ranges(use, root):
    """The enclosing functions of ``use``, innermost first, then the whole file."""
    for a in ancestors(use):
        if a.type in FUNCTIONS:
            yield a
    yield root


def _resolves_to(w: Write, decl_scopes: set) -> int | None:
    if w.declares:
        return _declaration_scope(w)
    for a in ancestors(w.node):
        if a.id in decl_scopes:
            return a.id
    return None


def _statement_block(node):
    for a in ancestors(node):
        if a.type in ("statement_block", "program", "switch_case"):
            return a
        if a.type in FUNCTIONS:
            return None
    return None


def _declaration_scope(w: Write) -> int | None:
    node = w.node
    if w.declares in ("let", "const"):
        for a in ancestors(node):
            if a.type in _BLOCKS:
                return a.id
        return None
    if w.declares == "function":
        fn_node = parent_of(node)
        scope_start = parent_of(fn_node) if fn_node is not None else None
        for a in ([scope_start] if scope_start is not None else []) + list(ancestors(scope_start or node)):
            if a.type in FUNCTIONS or a.type == "program" or a.type == "statement_block":
                return a.id
        return None
    if w.declares == "param":
        for a in ancestors(node):
            if a.type in FUNCTIONS or a.type == "catch_clause":
                return a.id
        return None
    for a in ancestors(node):
        if a.type in FUNCTIONS or a.type == "program":
            return a.id
    return None


def _classify(node) -> Write | None:
    parent = parent_of(node)
    if parent is None:
        return None
    t = parent.type
    if t == "variable_declarator" and parent.child_by_field_name("name") == node:
        decl = parent_of(parent)
        kind = "var"
        if decl is not None and decl.type == "lexical_declaration":
            kind = decl.child(0).type
        if decl is not None and parent_of(decl) is not None and parent_of(decl).type in ("for_in_statement",):
            return Write(node, None, kind, True)
        value = parent.child_by_field_name("value")
        return Write(node, value, kind, value is not None)
    if t in ("assignment_expression",) and parent.child_by_field_name("left") == node:
        return Write(node, parent.child_by_field_name("right"), None, True)
    if t == "augmented_assignment_expression" and parent.child_by_field_name("left") == node:
        return Write(node, None, None, True)
    if t == "update_expression":
        return Write(node, None, None, True)
    if t in ("function_declaration", "class_declaration", "generator_function_declaration") \
            and parent.child_by_field_name("name") == node:
        return Write(node, None, "function", True)
    if t in ("import_specifier", "import_clause", "namespace_import"):
        alias = parent.child_by_field_name("alias") if t == "import_specifier" else None
        if alias is not None and alias != node:
            return None     # `{ Worker as Thread }` binds Thread; Worker names the export
        return Write(node, None, "import", True)
    if t in ("formal_parameters", "catch_clause") or (
            t == "arrow_function" and parent.child_by_field_name("parameter") == node):
        return Write(node, None, "param", True)
    if t in _PATTERNS:
        return _pattern_write(node)
    if t == "for_in_statement" and parent.child_by_field_name("left") == node:
        return Write(node, None, None, True)
    return None


def _pattern_write(node) -> Write | None:
    """A name bound by destructuring or a parameter pattern: a write of unknown value
    (its default, ``size = 4`` or ``{ size = 4 }``, is kept)."""
    w = _pattern_binding(node)
    if w is not None:
        w.default = _default_of(node)
    return w


def _default_of(node):
    parent = parent_of(node)
    if parent.type in ("assignment_pattern", "object_assignment_pattern") and \
            parent.child_by_field_name("left") == node:
        return parent.child_by_field_name("right")
    if parent.type in ("required_parameter", "optional_parameter") and parent.child_by_field_name("pattern") == node:
        return parent.child_by_field_name("value")
    return None


def _pattern_binding(node) -> Write | None:
    child = node
    for a in ancestors(node):
        if a.type in _PATTERNS:
            if a.type in ("assignment_pattern", "object_assignment_pattern") and \
                    a.child_by_field_name("left") != child:
                return None
            if a.type == "pair_pattern" and a.child_by_field_name("value") != child:
                return None
            child = a
            continue
        if a.type == "variable_declarator":
            decl = parent_of(a)
            kind = decl.child(0).type if decl is not None and decl.type == "lexical_declaration" else "var"
            return Write(node, None, kind, True)
        if a.type in ("formal_parameters", "catch_clause", "arrow_function"):
            return Write(node, None, "param", True)
        if a.type == "assignment_expression":
            return Write(node, None, None, True)
        return None
    return None


def _param_names(fn) -> set[str]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    out, stack = set(), [params] if params is not None else []
    while stack:
        n = stack.pop()
        if n.type in _WORD_TYPES:
            w = _classify(n)
            if w is not None and w.declares == "param":
                out.add(n.text.decode("utf-8", "replace"))
        stack.extend(n.named_children)
    return out


def _bound_inside(w: Write) -> bool:
    """A declaration, in a blanked range parsed alone, whose scope lies inside the range
    (a ``let``, ``const``, class, function or parameter, a ``var`` in a function there):
    no use outside the range resolves to it."""
    if w.declares in ("let", "const", "function", "param"):
        return True
    return w.declares == "var" and enclosing_function(w.node) is not None


def _declares_at_top(node, hoisted: bool = True) -> bool:
    """A declaration that binds the name for a whole program (a blanked body parsed
    alone); ``var`` only when ``hoisted`` (the body is a function's, not a block's)."""
    if node is None or node.type not in _WORD_TYPES:
        return False
    w = _classify(node)
    if w is None or w.declares is None:
        return False
    if w.declares == "var":
        return hoisted and enclosing_function(node) is None
    if w.declares in ("let", "const"):
        decl = next((a for a in ancestors(node) if a.type == "lexical_declaration"), None)
        return decl is not None and parent_of(decl) is not None and parent_of(decl).type == "program"
    if w.declares == "function":
        return parent_of(parent_of(node)) is not None and parent_of(parent_of(node)).type == "program"
    return False
