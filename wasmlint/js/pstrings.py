"""Positioned string values of JS expressions: what a build script hands a process.

``Texts.text(node)`` is the string an expression evaluates to as a ``PStr`` whose
characters keep their place in the file: string literals (escapes decoded),
template literals, ``+`` concatenation, names with one reaching write (the
``Bindings`` of the constant evaluator), properties of object literals,
``a ?? b`` / ``a || b`` with an unknown left side (the default, as ``values.py``
reads ``Module['X'] || N``), a conditional whose test the constant evaluator
decides, ``String(x)``, ``x.trim()`` and ``array.join(sep)``. Numbers are text
with no place. Anything else is ``UNKNOWN``.

``Texts.items(node)`` is an array's elements: array literals with spreads,
``a.concat(b)``, ``.flat()``, ``.filter(Boolean)``, ``str.split(' ')``. ``push``
and ``unshift`` made in straight-line code before the use add their values; one
made under a condition adds one unknown element; other changes (``splice``,
``a[i] =`` …) make the array unknown: its elements are not guessed.
"""
from __future__ import annotations

import posixpath

from ..toolchain.pstr import UNKNOWN_TEXT, CharOffsets, LineIndex, PStr, guarded, joined
from ..toolchain.script_runs import RelPath
from .embedded import unescape_js
from .parse import LOOPS, ancestors, call_parts, enclosing_function, name_of, object_pairs, path_of, unwrap, up
from .values import UNKNOWN as NO_VALUE, Evaluator, ObjectRef, _js_str

MUTATORS = frozenset(("push", "unshift", "splice", "pop", "shift", "reverse", "sort", "fill", "copyWithin"))


class Texts:
    def __init__(self, ev: Evaluator, text: str, path: str, shift: int = 0):
        """``text``: the file as decoded for edits (a BOM dropped); ``shift``: bytes the
        parsed data has before that text's first character (3 for a BOM)."""
        self.ev, self.doc = ev, ev.doc
        self.index = LineIndex(text, path)
        self.char = CharOffsets(text, shift)
        self._active: set[int] = set()

    def verbatim(self, node) -> PStr:
        start, end = self.char(node.start_byte), self.char(node.end_byte)
        return PStr.source(self.index.text[start:end], start)

    # ------------------------------------------------------------ strings
    def text(self, node, depth: int = 0) -> PStr:
        return self._text(unwrap(node), depth)

    @guarded(UNKNOWN_TEXT)
    def _text(self, node, depth: int) -> PStr:
        t = node.type
        if t in ("string", "template_string"):
            return self._literal(node, depth)
        if t == "number":
            return self._constant(node)
        if t == "identifier":
            w = self.ev.bindings.reaching(node)
            return self.text(w.value, depth) if w is not None and w.value is not None else UNKNOWN_TEXT
        if t == "binary_expression":
            return self._binary(node, depth)
        if t == "ternary_expression":
            return self._choice(node, depth)
        if t in ("member_expression", "subscript_expression"):
            value = self._property(node, depth)
            return self.text(value, depth) if value is not None else UNKNOWN_TEXT
        if t == "call_expression":
            return self._call_text(node, depth)
        return self._constant(node)

    def _constant(self, node) -> PStr:
        """A value only the constant evaluator knows (``1024 * 1024``): its text, with no place."""
        v = self.ev.value(node)
        if isinstance(v, bool) or not isinstance(v, (str, int, float)):
            return UNKNOWN_TEXT
        return PStr.synth(v if isinstance(v, str) else _js_str(v))

    def _literal(self, node, depth: int) -> PStr:
        self.doc.reveal(node)        # its pieces: a skeleton parse may have left them out
        parts = []
        for child in node.named_children:
            if child.type == "template_substitution":
                inner = child.named_children
                parts.append(self.text(inner[0], depth) if inner else UNKNOWN_TEXT)
            else:
                parts.append(self.fragment(child))
        return PStr.join(parts) if parts else PStr.synth("")

    def fragment(self, child) -> PStr:
        """A literal piece of a string or template: verbatim text, or one escape decoded."""
        if child.type == "string_fragment":
            return self.verbatim(child)
        if child.type == "escape_sequence":
            return PStr.spread(unescape_js(self.doc.text(child)), self.char(child.start_byte), self.char(child.end_byte))
        return PStr.synth("")

    def _binary(self, node, depth: int) -> PStr:
        op = node.child_by_field_name("operator").type
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op in ("||", "??"):
            v = self.ev.value(left)
            if v is NO_VALUE or (op == "||" and not v) or (op == "??" and v is None):
                return self.text(right, depth)
            return self.text(left, depth)
        if op == "+" and not (isinstance(self.ev.value(left), (int, float)) and
                              isinstance(self.ev.value(right), (int, float))):
            return self.text(left, depth) + self.text(right, depth)
        return self._constant(node)

    def _choice(self, node, depth: int) -> PStr:
        cond = self.ev.value(node.child_by_field_name("condition"))
        yes, no = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        if cond is not NO_VALUE:
            return self.text(yes if cond else no, depth)
        a, b = self.text(yes, depth), self.text(no, depth)
        return a if a.known and a.text == b.text else UNKNOWN_TEXT

    def _property(self, node, depth: int):
        """The value node of ``obj.key`` when ``obj`` is an object literal."""
        key = name_of(node)
        base = self.ev.value(node.child_by_field_name("object"))
        if key is None or not isinstance(base, ObjectRef):
            return None
        pair = object_pairs(base.node).get(key)
        return pair[1] if pair else None

    def _call_text(self, node, depth: int) -> PStr:
        callee, args = call_parts(node)
        callee = unwrap(callee)
        if callee is None:
            return UNKNOWN_TEXT
        if callee.type == "identifier" and path_of(callee) == "String" and len(args) == 1:
            return self.text(args[0], depth)
        if callee.type != "member_expression":
            return UNKNOWN_TEXT
        if path_of(callee) in ("path.join", "path.posix.join", "posix.join") and args:
            parts = [self.text(a, depth) for a in args]    # node's path.join: joined, then normalised
            if all(p.known for p in parts):
                return PStr.synth(posixpath.normpath(posixpath.join(*(p.text for p in parts))))
            return UNKNOWN_TEXT
        method, obj = name_of(callee), callee.child_by_field_name("object")
        if method == "trim" and not args:
            return self.text(obj, depth).strip()
        if method == "toString" and not args:
            return self.text(obj, depth)
        if method == "join":
            items = self.items(obj, depth)
            if items is None:
                return UNKNOWN_TEXT
            return joined(items, self.text(args[0], depth) if args else PStr.synth(","))
        return UNKNOWN_TEXT

    # ------------------------------------------------------------ arrays
    def items(self, node, depth: int = 0) -> list[PStr] | None:
        """The elements of an array value, or None when they are not known. An element
        that is itself an array is unknown here (node rejects it as an argument)."""
        found = self._elements(node, depth)
        return None if found is None else [x if isinstance(x, PStr) else UNKNOWN_TEXT for x in found]

    def _elements(self, node, depth: int) -> list | None:
        """Elements as ``PStr`` or, for nested array literals, lists of them."""
        return self._elements_of(unwrap(node), depth)

    @guarded(None)
    def _elements_of(self, node, depth: int) -> list | None:
        t = node.type
        if t == "array":
            out: list = []
            for el in node.named_children:
                inner = unwrap(el.named_children[0]) if el.type == "spread_element" and el.named_children else None
                if el.type == "comment":
                    continue
                if el.type == "spread_element":
                    spread = self.items(inner, depth) if inner is not None else None
                    out += spread if spread is not None else [UNKNOWN_TEXT]
                elif unwrap(el) is not None and unwrap(el).type == "array":
                    nested = self.items(el, depth)
                    out.append(nested if nested is not None else [UNKNOWN_TEXT])
                else:
                    out.append(self.text(el, depth))
            return out
        if t == "identifier":
            w = self.ev.bindings.reaching(node)
            out = self._elements(w.value, depth) if w is not None and w.value is not None else None
            for call, surely in self._changes(node, w):
                method, args = name_of(call_parts(call)[0]), call_parts(call)[1]
                if out is None or method not in ("push", "unshift"):
                    return None
                more: list = []
                for a in args if surely else ():
                    inner = a.named_children[0] if a.type == "spread_element" and a.named_children else None
                    spread = self.items(inner, depth) if inner is not None else None
                    more += ([self.text(a, depth)] if a.type != "spread_element" else
                             spread if spread is not None else [UNKNOWN_TEXT])
                more = more if surely else [UNKNOWN_TEXT]
                out = out + more if method == "push" else more + out
            return out
        if t == "ternary_expression":
            cond = self.ev.value(node.child_by_field_name("condition"))
            if cond is NO_VALUE:
                return None
            return self._elements(node.child_by_field_name("consequence" if cond else "alternative"), depth)
        if t == "call_expression":
            return self._call_elements(node, depth)
        return None

    def _call_elements(self, node, depth: int) -> list | None:
        callee, args = call_parts(node)
        callee = unwrap(callee)
        if callee is None or callee.type != "member_expression":
            return None
        method, obj = name_of(callee), callee.child_by_field_name("object")
        if method == "split" and len(args) == 1 and self.ev.value(args[0]) == " ":
            return self.text(obj, depth).split_ws()
        base = self._elements(obj, depth)
        if base is None:
            return None
        if method == "flat" and not args:
            return [x for item in base for x in (item if isinstance(item, list) else [item])]
        if method == "concat":
            for a in args:
                more = self.items(a, depth)
                base = base + (more if more is not None else [self.text(a, depth)])
            return base
        if method == "filter" and len(args) == 1 and path_of(args[0]) == "Boolean":
            return [item for item in base if isinstance(item, list) or item.text != ""]
        return None

    def _changes(self, ident, write) -> list:
        """Calls that change in place the array ``ident`` names, after ``write`` and before
        the use, each with whether it surely ran (a statement of a block around the use);
        an assignment to an element, or a change that may run again after the use (in a
        loop around it), stands as one unknown change."""
        name, at = ident.text.decode("utf-8", "replace"), ident.start_byte
        since = write.node.start_byte if write is not None else 0
        fn = enclosing_function(ident)
        loops = [a for a in ancestors(ident) if a.type in LOOPS]
        out = []
        for use in self.doc.words(name, ("identifier",)):
            member = up(use)
            if use.start_byte < since or member is None or \
                    member.type not in ("member_expression", "subscript_expression") or \
                    unwrap(member.child_by_field_name("object")).id != use.id:
                continue
            outer = up(member)
            call = outer if outer is not None and outer.type == "call_expression" and \
                unwrap(outer.child_by_field_name("function")).id == member.id else None
            assigned = outer is not None and outer.type in ("assignment_expression",
                                                            "augmented_assignment_expression") and \
                unwrap(outer.child_by_field_name("left")).id == member.id
            if not assigned and (call is None or name_of(member) not in MUTATORS):
                continue
            if use.start_byte >= at:
                if any(loop.start_byte <= use.start_byte < loop.end_byte for loop in loops):
                    return [(None, False)]
                continue
            if assigned:
                return [(None, False)]
            here = enclosing_function(call)
            stmt = call.parent
            surely = stmt is not None and stmt.type == "expression_statement" and stmt.parent is not None and \
                any(a.id == stmt.parent.id for a in ancestors(ident)) and \
                (here.id if here else None) == (fn.id if fn else None) and \
                not any(loop.start_byte <= call.start_byte < loop.end_byte for loop in loops)
            out.append((call, surely))
        return sorted(out, key=lambda pair: pair[0].start_byte)

    # ------------------------------------------------------------ objects
    def object_entries(self, node, before) -> dict[str, PStr] | None:
        """String entries of an object literal (``{...process.env, K: v}``), and the
        writes ``obj.K = v`` that run before the node ``before`` in straight-line code.
        None when the value is not an object literal."""
        node = unwrap(node)
        target = self.object_literal(node)
        if target is None:
            return None
        out: dict[str, PStr] = {}
        for key, (_pair, value) in object_pairs(target).items():
            out[key] = self.text(value)
        if node.type in ("identifier", "shorthand_property_identifier"):
            out.update(self.member_writes(node.text.decode("utf-8", "replace"), before))
        return out

    def object_literal(self, node):
        """The object literal a value is (``{…}``, a name holding one, ``{ env }`` shorthand)."""
        if node is not None and node.type == "shorthand_property_identifier":
            w = self.ev.bindings.reaching(node)
            node = unwrap(w.value) if w is not None and w.value is not None else None
        target = self.ev.origin(node) if node is not None else None
        return target if target is not None and target.type == "object" else None

    def member_writes(self, path: str, before) -> dict[str, PStr]:
        """``path.K = v`` (``path['K'] = v``) statements that surely run before the node
        ``before``: in a block around it, in the same function. A write under a condition
        may not run, so it is not read (the key may or may not be set)."""
        fn, out = enclosing_function(before), {}
        enclosing = {a.id for a in ancestors(before)}
        last = path.rsplit(".", 1)[-1]
        # a statement in a left-out block is in no block around ``before`` (which the parse
        # sees); one in a left-out run of statements may be (the run is parsed after all)
        self.doc.note_statements_before(last.encode(), before)
        for word in self.doc.words(last, ("identifier", "property_identifier"), note_blanks=False):
            holder = word if word.type == "identifier" else word.parent
            if word.start_byte >= before.start_byte or path_of(holder) != path:
                continue
            member = up(holder)
            if member is None or member.type not in ("member_expression", "subscript_expression") or \
                    unwrap(member.child_by_field_name("object")).id != holder.id:
                continue
            assign = up(member)
            if assign is None or assign.type != "assignment_expression" or \
                    unwrap(assign.child_by_field_name("left")).id != member.id:
                continue
            stmt, here = assign.parent, enclosing_function(assign)
            if stmt is None or stmt.type != "expression_statement" or stmt.parent is None or \
                    stmt.parent.id not in enclosing or (here.id if here else None) != (fn.id if fn else None):
                continue
            key = name_of(member)
            if key is not None:
                out[key] = self.text(assign.child_by_field_name("right"))
        return out

    # ------------------------------------------------------------ paths
    @guarded(None)
    def script_path(self, node, depth: int) -> RelPath | None:
        """A path the script builds from its own folder (``__dirname``, ``import.meta.dirname``,
        ``path.dirname(fileURLToPath(import.meta.url))``, ``new URL('../x', import.meta.url)``),
        joined with pieces the file fixes (``path.join``/``path.resolve``, ``+ '/x'``); None
        for any other path (``process.cwd()``, a relative string: relative to where node starts)."""
        node = unwrap(node)
        t, dotted = node.type, path_of(node)
        if t == "member_expression" and node.child_by_field_name("object").type == "meta_property":
            dotted = "import.meta." + (name_of(node) or "")
        if dotted in ("__dirname", "import.meta.dirname") and self._unbound(node):
            return RelPath()
        if dotted in ("__filename", "import.meta.filename", "import.meta.url") and self._unbound(node):
            return RelPath((".",))                       # the script file itself: its parent is the folder
        if t == "identifier":
            w = self.ev.bindings.reaching(node)
            return self.script_path(w.value, depth) if w is not None and w.value is not None else None
        if t == "member_expression" and name_of(node) in ("pathname", "href"):
            return self.script_path(node.child_by_field_name("object"), depth)
        if t == "binary_expression" and node.child_by_field_name("operator").type == "+":
            base = self.script_path(node.child_by_field_name("left"), depth)
            tail = self.text(node.child_by_field_name("right"))
            return base.join(tail.text) if base is not None else None
        if t not in ("call_expression", "new_expression"):
            return None
        callee, args = call_parts(node)
        name = (path_of(callee) or "").rsplit(".", 1)[-1]
        if name in ("fileURLToPath", "resolve", "normalize") and len(args) == 1:
            return self.script_path(args[0], depth)
        if name == "dirname" and len(args) == 1:
            inner = self.script_path(args[0], depth)
            return inner.parent() if inner is not None else None
        if name == "URL" and len(args) == 2:
            base = self.script_path(args[1], depth)
            return base.parent().join(self.text(args[0]).text) if base is not None else None
        if name in ("join", "resolve") and args:
            base = self.script_path(args[0], depth)
            return base.join(*(self.text(a).text for a in args[1:])) if base is not None else None
        return None

    def _unbound(self, node) -> bool:
        """``__dirname`` as node gives it (no declaration of that name in the file)."""
        return node.type != "identifier" or self.ev.bindings.reaching(node) is None
