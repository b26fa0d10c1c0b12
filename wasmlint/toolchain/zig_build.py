"""``build.zig`` → the emcc links a Zig build makes (tree-sitter-zig).

Zig builds for the web link with emcc in two ways, both read here in source order:

* ``const run_emcc = b.addSystemCommand(&.{ "emcc", … })`` is a command run by the
  build (also with a first word held in a variable whose value is built from an ``"emcc"``
  literal: sokol-zig's ``emTool(b, emsdk, "emcc")``, ``b.pathJoin(&.{ dir, "emcc" })``);
  ``run_emcc.addArg("…")`` and ``run_emcc.addArgs(&.{ "…", … })`` append its arguments
  (an array may be a variable of the file). Its string arguments are the emcc command
  line; ``addFileArg``/``addArtifactArg``/``addOutputFileArg`` add paths and are left out.
* zemscripten (zig-gamedev, raylib's build.zig): ``var s = zemscripten.emccDefaultSettings(…)``
  is a map of emcc settings; ``s.put("NAME", "VALUE")`` sets one, and ``emccStep`` passes
  each as ``-sNAME=VALUE`` to the link of every project that uses the helper: the puts
  are read as one flag set (a link elsewhere), a value that is not a string literal unknown.

A string literal keeps each character's place in the file, escapes decoded. What is
added under a condition or in a loop that the declaration is not in (``if (optimize ==
.Debug) emcc.addArgs(&.{ "-Og", "-sSAFE_HEAP=1" }) else emcc.addArg("-O3")``) may or
may not be passed: an argument is one unknown word (any flag may be in it), a setting
is left out. So is an argument that is not a string literal (``addArg(kvp.key_ptr.*)``).
"""
from __future__ import annotations

from functools import lru_cache

from .. import budget
from ..facts import Fact
from ..launch.argv import basename
from .emcc import build_facts
from .pstr import UNKNOWN_TEXT, CharOffsets, LineIndex, PStr, Tok

EMCC_NAMES = ("emcc", "em++", "emcc.py", "em++.py")
_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'"}
# what runs its body zero, one or more times
_BRANCHES = frozenset(("if_statement", "if_expression", "else_clause", "switch_expression", "switch_case",
                       "for_statement", "while_statement", "for_expression", "while_expression"))


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_zig
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_zig.language()))


def wanted(data: bytes) -> bool:
    """Only a build file that names emcc or zemscripten's settings is parsed."""
    return b"emcc" in data or b"emccDefaultSettings" in data


def zig_build_facts(text: str, path: str) -> list[Fact]:
    data = text.encode("utf-8", "surrogateescape")
    if not wanted(data):
        return []
    return _Reader(text, path, data).facts()


class _Reader:
    def __init__(self, text: str, path: str, data: bytes):
        self.index = LineIndex(text, path)
        self.char = CharOffsets(text)
        self.data = data
        self.root = budget.parse(_parser(), data).root_node
        # variable → (declaration, its branch depth, argv / -s words), the latest declaration
        # of the name read so far (the walk is in source order); ``made``: every one, in order
        self.commands: dict[str, tuple[object, int, list[Tok]]] = {}
        self.settings: dict[str, tuple[object, int, list[Tok]]] = {}
        self.made: list[tuple[bool, tuple[object, int, list[Tok]]]] = []    # (flag set, entry)
        self.values: dict[str, list] = {}          # name → the values it is declared with, in order

    def facts(self) -> list[Fact]:
        self.visit(self.root)
        out: list[Fact] = []
        for flag_set, (node, _depth, words) in self.made:
            if words or not flag_set:
                out += build_facts(words, self.span(node), flag_set=flag_set, complete=False)   # the optimize mode
        return out

    def span(self, node):
        return self.index.span(self.char(node.start_byte), self.char(node.end_byte))

    def visit(self, node) -> None:
        stack = [(node, 0)]
        while stack:
            n, depth = stack.pop()
            if n.type == "variable_declaration":
                self.declaration(n, depth)
            elif n.type == "call_expression":
                self.call(n, depth)
            depth += n.type in _BRANCHES
            stack.extend((c, depth) for c in reversed(n.named_children))

    def declaration(self, node, depth: int) -> None:
        name = next((c for c in node.named_children if c.type == "identifier"), None)
        value = node.named_children[-1] if node.named_children else None
        if name is None or value is None or value is name:
            return
        var = self.raw(name)
        self.values.setdefault(var, []).append(value)
        self.commands.pop(var, None)
        self.settings.pop(var, None)
        if value.type != "call_expression":
            return
        method, _obj, args = _method_call(value)
        if method == "addSystemCommand" and args:
            words = self.strings(args[0])
            if words and (basename(words[0].value) in EMCC_NAMES or self.names_emcc(args[0])):
                self.commands[var] = (node, depth, words[1:])
                self.made.append((False, self.commands[var]))
        elif method == "emccDefaultSettings":
            self.settings[var] = (node, depth, [])
            self.made.append((True, self.settings[var]))

    def names_emcc(self, node) -> bool:
        """``&.{emcc_path}``: the first word is a variable built from an ``"emcc"`` literal."""
        first = self.elements(node)[:1]
        if not first or first[0].type != "identifier":
            return False
        value = self.value_of(first[0])
        return value is not None and any(basename(s) in EMCC_NAMES for s in self.literals(value))

    def literals(self, node) -> list[str]:
        out, stack = [], [node]
        while stack:
            n = stack.pop()
            if n.type == "string":
                s = self.string(n)
                out += [s.text] if s is not None else []
            else:
                stack.extend(n.named_children)
        return out

    def value_of(self, ident):
        """The value the last declaration of ``ident`` before it gives it."""
        before = [v for v in self.values.get(self.raw(ident), ()) if v.end_byte <= ident.start_byte]
        return before[-1] if before else None

    def call(self, node, depth: int) -> None:
        method, obj, args = _method_call(node)
        if obj is None or obj.type != "identifier":
            return
        var = self.raw(obj)
        if var in self.commands and method in ("addArg", "addArgs") and args:
            decl, at, argv = self.commands[var]
            argv.extend(self.strings(args[0]) if depth == at else [Tok(UNKNOWN_TEXT, self.index)])
        elif var in self.settings and method == "put" and len(args) == 2 and depth == self.settings[var][1]:
            name = self.string(args[0])
            value = self.string(args[1]) or UNKNOWN_TEXT
            if name is not None:
                self.settings[var][2].append(Tok(PStr.synth("-s") + name + PStr.synth("=") + value, self.index))

    def elements(self, node) -> list:
        """The items of ``&.{ … }`` or ``&[_][]const u8{ … }``; a lone expression is one."""
        if node.type == "unary_expression" and node.named_children:
            node = node.named_children[-1]
        if node.type == "identifier":
            value = self.value_of(node)
            if value is not None and value.type in ("unary_expression", "anonymous_struct_initializer",
                                                    "struct_initializer"):
                return self.elements(value)
        if node.type in ("anonymous_struct_initializer", "struct_initializer"):
            items = next((c for c in node.named_children if c.type == "initializer_list"), None)
            return list(items.named_children) if items is not None else []
        return [node]

    def strings(self, node) -> list[Tok]:
        """The words of ``"…"``, ``&.{ "…", … }``, ``&[_][]const u8{ … }`` or a variable
        holding one; an item that is not a string literal is an unknown word."""
        out = []
        for e in self.elements(node):
            s = self.string(e)
            out.append(Tok(s if s is not None else UNKNOWN_TEXT, self.index))
        return out

    def string(self, node) -> PStr | None:
        """A string literal's value, each character placed where it is written."""
        if node.type != "string":
            return None
        parts = []
        for c in node.named_children:
            a, b = self.char(c.start_byte), self.char(c.end_byte)
            raw = self.raw(c)
            if c.type == "string_content":
                parts.append(PStr.source(raw, a))
            elif c.type == "escape_sequence":
                value = _ESC.get(raw[1:]) if len(raw) == 2 else _hex_escape(raw)
                if value is None:
                    return None
                parts.append(PStr.spread(value, a, b))
        return PStr.join(parts) if parts else PStr.synth("")

    def raw(self, node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "surrogateescape")


def _hex_escape(raw: str) -> str | None:
    """``\\x41`` and ``\\u{1F600}``."""
    try:
        if raw.startswith("\\x") and len(raw) == 4:
            return chr(int(raw[2:], 16))
        if raw.startswith("\\u{") and raw.endswith("}"):
            return chr(int(raw[3:-1], 16))
    except ValueError:
        return None
    return None


def _method_call(call) -> tuple[str | None, object, list]:
    """``obj.method(args…)`` → (method, obj, args); (None, None, []) for any other call."""
    fn = call.named_children[0] if call.named_children else None
    if fn is None or fn.type != "field_expression" or len(fn.named_children) != 2:
        return None, None, []
    obj, name = fn.named_children
    method = name.text.decode("utf-8", "surrogateescape") if name.type == "identifier" else None
    return method, obj, list(call.named_children[1:])
