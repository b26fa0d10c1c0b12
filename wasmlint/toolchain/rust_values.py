"""Positioned values of Rust source read with tree-sitter-rust (``Source``): string
literals, ``format!``, ``let``/``const`` values, arrays and vectors, ``cfg!`` on a Linux
host — what ``rust_commands`` (``std::process::Command``), ``build_rs`` and the
``include_bytes!`` reader (``sources.rust_source``) take from a file."""
from __future__ import annotations

from functools import lru_cache

from .. import budget
from .pstr import UNKNOWN, UNKNOWN_TEXT, CharOffsets, LineIndex, PStr, guarded
from .script_runs import RelPath


SAME_VALUE = frozenset(("to_string", "to_owned", "into", "as_str", "as_ref", "clone", "as_os_str", "iter",
                        "into_iter", "to_vec"))


WRAPPERS = frozenset(("String::from", "OsString::from", "OsStr::new", "Path::new", "PathBuf::from"))


# formatting macros → which of their arguments is the format string (write! takes the writer first)
FORMATTING = {"format": 0, "print": 0, "println": 0, "eprint": 0, "eprintln": 0, "write": 1, "writeln": 1}


_ESC = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


_BRANCHES = frozenset(("if_expression", "match_expression", "for_expression", "while_expression",
                       "loop_expression", "closure_expression", "else_clause", "match_arm"))


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_rust
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_rust.language()))


class Source:
    """One Rust file: its tree, positions and the values of its expressions."""

    def __init__(self, text: str, path: str):
        self.data = text.encode("utf-8", "surrogateescape")
        self.root = budget.parse(_parser(), self.data).root_node
        self.index = LineIndex(text, path)
        self.char = CharOffsets(text)
        self._active: set[int] = set()

    def span(self, node):
        return self.index.span(self.char(node.start_byte), self.char(node.end_byte))

    def raw(self, node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "surrogateescape")

    # ------------------------------------------------------------ strings
    @guarded(UNKNOWN_TEXT)
    def text(self, node, depth: int) -> PStr:
        t = node.type
        if t == "string_literal":
            return self._string(node)
        if t == "raw_string_literal":
            content = next((c for c in node.named_children if c.type == "string_content"), None)
            return self._verbatim(content) if content is not None else PStr.synth("")
        if t in ("integer_literal", "float_literal"):
            return PStr.synth(self.raw(node))
        if t in ("reference_expression", "parenthesized_expression", "identifier", "call_expression",
                 "if_expression"):
            same = self._same(node)
            if same is None and t == "call_expression":
                same = self._env_default(node)
            return self.text(same, depth) if same is not None else UNKNOWN_TEXT
        if t == "macro_invocation":
            return self._macro_text(node, depth)
        return UNKNOWN_TEXT

    def _verbatim(self, node) -> PStr:
        start = self.char(node.start_byte)
        return PStr.source(self.index.text[start:self.char(node.end_byte)], start)

    def _string(self, node) -> PStr:
        parts = []
        for child in node.named_children:
            if child.type == "string_content":
                parts.append(self._verbatim(child))
            elif child.type == "escape_sequence":
                raw, a, b = self.raw(child), self.char(child.start_byte), self.char(child.end_byte)
                parts.append(PStr.spread(_unescape(raw), a, b))
        return PStr.join(parts) if parts else PStr.synth("")

    def _same(self, node):
        """The node whose value ``node`` has: ``&x``, ``(x)``, the value of a name,
        ``x.to_string()``, ``String::from(x)``; None when there is none."""
        if node.type in ("reference_expression", "parenthesized_expression"):
            return node.child_by_field_name("value") or (node.named_children[0] if node.named_children else None)
        if node.type == "identifier":
            return self.value_of(node)
        if node.type == "if_expression":
            return self._host_branch(node)
        if node.type != "call_expression":
            return None
        call = node
        fn, args = call.child_by_field_name("function"), call_args(call)
        if fn is not None and fn.type == "field_expression" and not args and \
                self.raw(fn.child_by_field_name("field")) in SAME_VALUE:
            return fn.child_by_field_name("value")
        if fn is not None and fn.type == "scoped_identifier" and len(args) == 1 and \
                any(self.raw(fn).endswith(w) for w in WRAPPERS):
            return args[0]
        return None

    def _host_branch(self, node):
        """The value of ``if cfg!(…) { a } else { b }`` on the host (``rust_cfg``): the
        chosen block's last expression; None when the condition is not a known ``cfg!``."""
        from .rust_cfg import host_value
        cond = node.child_by_field_name("condition")
        holds = host_value(self, cond) if cond is not None else None
        if holds is None:
            return None
        block = node.child_by_field_name("consequence")
        if not holds:
            other = node.child_by_field_name("alternative")
            block = next((c for c in other.named_children), None) if other is not None else None
            if block is not None and block.type == "if_expression":
                return block
        return block_tail(block)

    def _env_default(self, call):
        """``env::var("EMCC").unwrap_or("emcc".into())`` (or ``unwrap_or_else(|_| …)``): the
        default, the build as run with nothing set (as the JS evaluator reads ``process.env.K || d``)."""
        fn, args = call.child_by_field_name("function"), call_args(call)
        if fn is None or fn.type != "field_expression" or len(args) != 1:
            return None
        method, receiver = self.raw(fn.child_by_field_name("field")), fn.child_by_field_name("value")
        lookup = receiver.child_by_field_name("function") if receiver.type == "call_expression" else None
        if method not in ("unwrap_or", "unwrap_or_else") or lookup is None or \
                not self.raw(lookup).replace(" ", "").endswith(("env::var", "env::var_os")):
            return None
        if method == "unwrap_or":
            return args[0]
        return args[0].child_by_field_name("body") if args[0].type == "closure_expression" else None

    def _macro_text(self, node, depth: int) -> PStr:
        """The text ``format!`` makes, or ``println!`` and its kin print."""
        name = self.raw(node.child_by_field_name("macro"))
        tree = next((c for c in node.named_children if c.type == "token_tree"), None)
        at = FORMATTING.get(name)
        if at is None or tree is None:
            return UNKNOWN_TEXT
        elements = token_elements(tree)
        if len(elements) <= at or len(elements[at]) != 1 or \
                elements[at][0].type not in ("string_literal", "raw_string_literal"):
            return UNKNOWN_TEXT
        positional, named = [], {}
        for el in elements[at + 1:]:
            if len(el) == 3 and el[0].type == "identifier" and self.raw(el[1]) == "=":
                named[self.raw(el[0])] = el[2]
            else:
                positional.append(el[0] if len(el) == 1 else None)
        return self._format(self.text(elements[at][0], depth), positional, named, tree, depth)

    def _format(self, fmt: PStr, positional: list, named: dict, scope, depth: int) -> PStr:
        parts, i, n, auto = [], 0, len(fmt.text), 0
        t = fmt.text
        while i < n:
            c = t[i]
            if c in "{}" and t[i + 1:i + 2] == c:
                parts.append(fmt[i:i + 1])
                i += 2
                continue
            if c != "{":
                parts.append(fmt[i:i + 1])
                i += 1
                continue
            close = t.find("}", i)
            if close < 0:
                return UNKNOWN_TEXT
            field, _, spec = t[i + 1:close].partition(":")
            node = None
            if field == "":
                node, auto = (positional[auto] if auto < len(positional) else None), auto + 1
            elif field.isdigit():
                node = positional[int(field)] if int(field) < len(positional) else None
            elif field in named:
                node = named[field]
            elif field.isidentifier():
                node = self.lookup(field, scope)
            parts.append(self.text(node, depth) if node is not None and not spec else UNKNOWN_TEXT)
            i = close + 1
        return PStr.join(parts) if parts else PStr.synth("")

    # ------------------------------------------------------------ arrays
    @guarded(None)
    def items(self, node, depth: int) -> list[PStr] | None:
        t = node.type
        if t == "array_expression":
            return [self.text(el, depth) for el in node.named_children if el.type not in ("line_comment", "block_comment")]
        if t == "identifier":
            return self._grown(node, depth)
        if t in ("reference_expression", "parenthesized_expression", "call_expression", "if_expression"):
            same = self._same(node)
            return self.items(same, depth) if same is not None else None
        if t == "macro_invocation" and self.raw(node.child_by_field_name("macro")) == "vec":
            tree = next((c for c in node.named_children if c.type == "token_tree"), None)
            if tree is None:
                return None
            return [self.text(el[0], depth) if len(el) == 1 else UNKNOWN_TEXT for el in token_elements(tree)]
        return None

    def _grown(self, use, depth: int) -> list[PStr] | None:
        """The elements of the vector a name holds at ``use``: its ``let`` value, then every
        ``name.extend(..)`` / ``name.push(..)`` made after the ``let`` and before the use (in
        source order). One under a condition or in a loop adds one unknown element; any other
        change (``insert``, ``clear``, ``retain`` …, a ``&mut`` borrow, an assignment) makes the
        list unknown. A value not known (``if debug { vec![..] } else { vec![..] }``) with
        additions is one unknown element, then the additions."""
        bound, let = self.binding(self.raw(use), use)
        if not bound:
            value = self.value_of(use)                   # a const or static of the file
            return self.items(value, depth) if value is not None else None
        if let is None or let.child_by_field_name("value") is None:
            return None
        name, block = self.raw(use), let.parent
        start = self.items(let.child_by_field_name("value"), depth)
        out, grown = (list(start) if start is not None else [UNKNOWN_TEXT]), False
        stack = [c for c in reversed(block.named_children) if let.end_byte <= c.start_byte < use.start_byte]
        while stack:
            node = stack.pop()
            if node.start_byte >= use.start_byte:
                continue
            if node.type in ("function_item", "closure_expression"):
                continue
            if node.type == "reference_expression" and any(c.type == "mutable_specifier" for c in node.children) \
                    and self.raw(node.child_by_field_name("value")) == name:
                return None                              # lent out to be changed
            if node.type == "assignment_expression" and self.raw(node.child_by_field_name("left")) == name:
                return None
            fn = node.child_by_field_name("function") if node.type == "call_expression" else None
            if fn is not None and fn.type == "field_expression" and \
                    self.raw(fn.child_by_field_name("value")) == name:
                method, args = self.raw(fn.child_by_field_name("field")), call_args(node)
                if method not in ("extend", "push", "iter", "len", "is_empty", "clone", "contains",
                                  "join", "first", "last", "get"):
                    return None
                if method in ("extend", "push") and len(args) == 1:
                    more = (self.items(args[0], depth) if method == "extend" else [self.text(args[0], depth)]) \
                        if not conditional(node, block) else None
                    out += more if more is not None else [UNKNOWN_TEXT]
                    grown = True
                continue
            stack.extend(reversed(node.named_children))
        return out if start is not None or grown else None

    # ------------------------------------------------------------ paths
    @guarded(None)
    def script_path(self, node, depth: int) -> RelPath | None:
        """A path built from the crate's folder (``env!("CARGO_MANIFEST_DIR")``, joined with
        ``.join("..")``, ``concat!``, ``.parent()``, through ``let``s and argument-less local
        functions), relative to this file's folder; None for any other."""
        t = node.type
        if t == "macro_invocation":
            name = self.raw(node.child_by_field_name("macro"))
            tree = next((c for c in node.named_children if c.type == "token_tree"), None)
            elements = token_elements(tree) if tree is not None else []
            if name == "env" and tree is not None and self._names_manifest_dir(tree):
                return self._crate_root()
            first = elements[0] if elements else []
            if name == "concat" and len(first) == 3 and self.raw(first[0]) == "env" and \
                    first[2].type == "token_tree" and self._names_manifest_dir(first[2]):
                rest = "".join(self.text(el[0]).text if len(el) == 1 else UNKNOWN for el in elements[1:])
                # text glued to the folder's name: only a "/…" tail names a path under it
                return self._crate_root().join(rest[1:]) if rest.startswith("/") or not rest else None
            return None
        if t in ("reference_expression", "parenthesized_expression", "identifier"):
            same = self._same(node)
            return self.script_path(same, depth) if same is not None else None
        if t != "call_expression":
            return None
        fn, args = node.child_by_field_name("function"), call_args(node)
        if fn.type == "identifier" and not args:                 # guests_root(): a local function's value
            body = self._function_body(self.raw(fn))
            return self.script_path(body, depth) if body is not None else None
        if fn.type == "scoped_identifier" and len(args) == 1 and \
                self.raw(fn).replace(" ", "").endswith(("PathBuf::from", "Path::new")):
            return self.script_path(args[0], depth)
        if fn.type != "field_expression":
            return None
        method, receiver = self.raw(fn.child_by_field_name("field")), fn.child_by_field_name("value")
        if method in ("unwrap", "expect", "to_path_buf", "to_owned", "clone", "canonicalize", "as_path"):
            return self.script_path(receiver, depth)
        inner = self.script_path(receiver, depth)
        if inner is None:
            return None
        if method == "parent" and not args:
            return inner.parent()
        if method == "join" and len(args) == 1:
            return inner.join(self.text(args[0]).text)
        return None

    def _names_manifest_dir(self, tree) -> bool:
        """``env!``'s token tree names ``CARGO_MANIFEST_DIR``."""
        elements = token_elements(tree)
        return len(elements) == 1 and len(elements[0]) == 1 and self.text(elements[0][0]).text == "CARGO_MANIFEST_DIR"

    def _crate_root(self) -> RelPath:
        """``CARGO_MANIFEST_DIR`` seen from this file: the folder above its ``src/`` (Cargo's
        layout), or this file's own folder (a ``build.rs`` beside its Cargo.toml)."""
        folders = self.index.path.split("/")[:-1]
        if "src" not in folders:
            return RelPath()
        return RelPath(("..",) * (len(folders) - max(i for i, f in enumerate(folders) if f == "src")))

    def _function_body(self, name: str):
        """The value an argument-less function of the file returns (its block's last expression)."""
        for item in self.root.named_children:
            if item.type == "function_item" and self.raw(item.child_by_field_name("name")) == name:
                body = item.child_by_field_name("body")
                last = body.named_children[-1] if body is not None and body.named_children else None
                return last if last is not None and last.type != "expression_statement" else None
        return None

    # ------------------------------------------------------------ names
    def value_of(self, ident):
        return self.lookup(self.raw(ident), ident)

    def lookup(self, name: str, use):
        """The value of the ``let`` of ``name`` that reaches ``use`` (the last one before it
        in an enclosing block), or of the file's ``const``/``static`` of that name."""
        bound, let = self.binding(name, use)
        if bound:
            return let.child_by_field_name("value") if let is not None else None
        for item in self.root.named_children:
            if item.type in ("const_item", "static_item") and self.raw(item.child_by_field_name("name")) == name:
                return item.child_by_field_name("value")
        return None

    def binding(self, name: str, use) -> tuple[bool, object]:
        """Whether a local binding of ``name`` reaches ``use``, and its ``let`` (the last one
        before it in an enclosing block; None when a pattern or a parameter binds it)."""
        node = use
        while node.parent is not None:
            parent = node.parent
            if parent.type in ("block", "source_file"):
                for stmt in reversed([c for c in parent.named_children if c.end_byte <= node.start_byte]):
                    if stmt.type == "let_declaration":
                        pattern = stmt.child_by_field_name("pattern")
                        if pattern is not None and pattern.type == "identifier" and self.raw(pattern) == name:
                            return True, stmt
                        if pattern is not None and name in self.raw(pattern):
                            return True, None  # bound by a pattern: not known
            if parent.type in ("function_item", "closure_expression"):
                params = parent.child_by_field_name("parameters")
                if params is not None and any(self.raw(p).split(":")[0].strip().removeprefix("mut ") == name
                                              for p in params.named_children):
                    return True, None
            node = parent
        return False, None


def call_args(call) -> list:
    args = call.child_by_field_name("arguments")
    return [a for a in (args.named_children if args is not None else ())
            if a.type not in ("line_comment", "block_comment")]


def block_tail(block):
    """A block's value: its last expression (not a statement); None when it has none."""
    if block is None or block.type != "block":
        return None
    last = next((c for c in reversed(block.named_children) if c.type not in ("line_comment", "block_comment")), None)
    return last if last is not None and not last.type.endswith(("_statement", "_declaration", "_item")) else None


def token_elements(tree) -> list[list]:
    """A macro's token tree split at its top-level commas (each element: its tokens)."""
    out, cur = [], []
    for child in tree.children[1:-1]:
        if child.type == ",":
            out.append(cur)
            cur = []
        elif child.type not in ("line_comment", "block_comment"):
            cur.append(child)
    if cur:
        out.append(cur)
    return out


def _unescape(raw: str) -> str:
    e = raw[1:2]
    if e in _ESC:
        return _ESC[e]
    if e == "\n" or e == "\r":
        return ""                      # a line continuation: the newline and the indent go
    try:
        if e == "x":
            return chr(int(raw[2:4], 16))
        if e == "u":
            return chr(int(raw[3:-1], 16))
    except ValueError:
        pass
    return raw


def conditional(node, upto) -> bool:
    """Whether ``node`` runs only sometimes, relative to the block ``upto`` holding the variable."""
    while node is not None and node.id != upto.id:
        if node.type in _BRANCHES:
            return True
        node = node.parent
    return False
