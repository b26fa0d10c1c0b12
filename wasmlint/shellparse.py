"""Shell scripts through tree-sitter-bash, as a sequence of commands and
assignments with exact spans.

The input is a ``MappedText`` (a whole script file, a JSON-decoded package.json
script, a YAML ``run:`` block, a Dockerfile ``RUN``), so every word keeps a map
to the file it came from. Words are given after quote removal, with variables
assigned earlier in the same script expanded (``A=1; node $A``), ``${A:-x}``
defaults applied, and unquoted expansions of known values split into words.
Anything else (``$1``, ``$(...)``, environment variables from outside) leaves
the word ``dynamic``. Nothing is ever run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .textpos import MappedText, TextBuilder


@dataclass
class Word:
    text: MappedText
    start: int                 # source range of the whole word (file offsets)
    end: int
    dynamic: bool = False      # holds an expansion not known in this script
    splat: bool = False        # an unquoted unknown expansion: may be zero or many words
    placed: bool = True        # start/end are this word's own text in the file (edits may go there)

    @property
    def value(self) -> str:
        return self.text.value


@dataclass
class Assign:
    name: str
    value: MappedText | None   # None: not known statically
    start: int
    end: int
    exported: bool = False
    dynamic: bool = False
    written: str | None = None   # a dynamic value as written, its unknown expansions verbatim (`$PWD/bin:$PATH`)


@dataclass
class Command:
    words: list[Word]
    prefix: list[Assign]                       # ``VAR=x cmd``
    env: dict[str, Assign]                     # exported variables in effect (prefix included)
    start: int
    end: int
    in_substitution: bool = False


@dataclass
class Script:
    commands: list[Command] = field(default_factory=list)
    assigns: list[Assign] = field(default_factory=list)     # statement-level assignments/exports
    error: tuple[str, int] | None = None                     # first syntax error: message, offset


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter_bash
    from tree_sitter import Language, Parser
    return Parser(Language(tree_sitter_bash.language()))


_DESCEND = {"program", "list", "pipeline", "redirected_statement", "subshell", "compound_statement",
            "if_statement", "elif_clause", "else_clause", "while_statement", "for_statement",
            "c_style_for_statement", "do_group", "case_statement", "case_item",
            "negated_command", "function_definition"}
_DQ_ESCAPABLE = '"\\$`\n'
VALUE_LIMIT = 1 << 16   # characters a shell variable may hold; a longer value is unknown


def parse(script: MappedText, env: dict[str, Assign] | None = None) -> Script:
    """Commands and assignments of ``script``; ``env`` is the exported environment
    it starts with (a Dockerfile's ENV, a compose service's environment)."""
    data = script.value.encode("utf-8")
    tree = _parser().parse(data)
    walker = _Walker(script, data, env or {})
    walker.stmt(tree.root_node)
    if tree.root_node.has_error:
        walker.out.error = walker.first_error(tree.root_node)
    return walker.out


def error_bytes(root) -> int:
    """Bytes inside ERROR nodes (outermost ones only)."""
    total, stack = 0, [root]
    while stack:
        n = stack.pop()
        if n.type == "ERROR":
            total += n.end_byte - n.start_byte
        elif n.has_error:
            stack.extend(n.children)
    return total


class _Walker:
    def __init__(self, script: MappedText, data: bytes, env: dict[str, Assign]):
        self.s = script
        self.out = Script()
        self.vars: dict[str, MappedText | None] = {k: a.value for k, a in env.items()}
        self.exported: dict[str, Assign] = dict(env)
        if script.value.isascii():
            self.ch = None
        else:
            self.ch = [0] * (len(data) + 1)
            pos = 0
            for i, c in enumerate(script.value):
                n = len(c.encode("utf-8"))
                for k in range(n):
                    self.ch[pos + k] = i
                pos += n
            self.ch[pos] = len(script.value)

    # ------------------------------------------------------------ positions
    def c(self, byte: int) -> int:
        return byte if self.ch is None else self.ch[byte]

    def rng(self, node) -> tuple[int, int]:
        return self.c(node.start_byte), self.c(node.end_byte)

    def src(self, i: int, j: int) -> tuple[int, int]:
        return self.s.source_range(i, j)

    def first_error(self, root) -> tuple[str, int]:
        stack = [root]
        while stack:
            n = stack.pop()
            if n.type == "ERROR" or n.is_missing:
                i = self.c(n.start_byte)
                what = f"missing `{n.type}`" if n.is_missing else "unexpected text"
                return f"shell syntax error: {what}", self.src(i, i + 1)[0]
            stack.extend(reversed(n.children))
        return "shell syntax error", self.s.src_start

    # ------------------------------------------------------------ statements
    def stmt(self, node, in_subst: bool = False) -> None:
        t = node.type
        if t == "command":
            self.command(node, in_subst)
            return
        if t in ("variable_assignment", "declaration_command"):
            self._substitutions(node)
        if t == "variable_assignment":
            a = self.assignment(node)
            if a:
                self.vars[a.name] = a.value
                if a.name in self.exported:
                    a.exported = True
                    self.exported[a.name] = a
                self.out.assigns.append(a)
        elif t == "declaration_command":
            self.declaration(node)
        elif t == "unset_command":
            for c in node.named_children:
                name = self.text(c)
                self.vars.pop(name, None)
                self.exported.pop(name, None)
        elif t == "function_definition":
            body = node.child_by_field_name("body")
            if body is not None:
                self.stmt(body, in_subst)
        elif t in _DESCEND:
            for c in node.named_children:
                self.stmt(c, in_subst)

    def text(self, node) -> str:
        i, j = self.rng(node)
        return self.s.value[i:j]

    def declaration(self, node) -> None:
        kw = node.children[0].type if node.children else ""
        words = [self.text(c) for c in node.named_children if c.type == "word"]
        export = kw == "export" or (kw in ("declare", "typeset") and any(
            w.startswith("-") and "x" in w for w in words))
        for c in node.named_children:
            if c.type == "variable_assignment":
                a = self.assignment(c)
                if a is None:
                    continue
                self.vars[a.name] = a.value
                a.exported = export
                if export:
                    self.exported[a.name] = a
                self.out.assigns.append(a)
            elif c.type == "variable_name" and export:
                name = self.text(c)
                i, j = self.src(*self.rng(c))
                a = Assign(name, self.vars.get(name), i, j, exported=True,
                           dynamic=self.vars.get(name) is None)
                self.exported[name] = a
                self.out.assigns.append(a)

    def assignment(self, node) -> Assign | None:
        name_node = node.child_by_field_name("name")
        if name_node is None:
            return None
        value_node = node.child_by_field_name("value")
        i, j = self.src(*self.rng(node))
        if value_node is None:
            v = self.rng(node)[1]
            return Assign(self.text(name_node), MappedText.verbatim("", self.src(v, v)[0]), i, j)
        words = self.word(value_node, split=False)
        if not words:
            return Assign(self.text(name_node), None, i, j, dynamic=True)
        w = words[0]
        if len(w.text.value) > VALUE_LIMIT:   # `A="$A$A"` doubling: unknown, not gigabytes
            return Assign(self.text(name_node), None, i, j, dynamic=True)
        return Assign(self.text(name_node), None if w.dynamic else w.text, i, j, dynamic=w.dynamic,
                      written=w.text.value if w.dynamic else None)

    def command(self, node, in_subst: bool) -> None:
        prefix: list[Assign] = []
        words: list[Word] = []
        for c in node.children:
            if c.type == "variable_assignment":
                a = self.assignment(c)
                if a:
                    a.exported = True
                    prefix.append(a)
            elif c.type == "command_name":
                words.extend(self.word(c.named_children[0] if c.named_children else c))
            elif c.is_named and c.type not in ("file_redirect", "heredoc_redirect", "herestring_redirect",
                                               "comment"):
                words.extend(self.word(c))
        env = dict(self.exported)
        env.update({a.name: a for a in prefix})
        i, j = self.src(*self.rng(node))
        self.out.commands.append(Command(words, prefix, env, i, j, in_subst))
        self._substitutions(node)

    def _substitutions(self, node) -> None:
        """Commands inside ``$(...)`` of a command's words."""
        for c in node.children:
            if c.type == "command_substitution":
                for s in c.named_children:
                    self.stmt(s, in_subst=True)
            else:
                self._substitutions(c)

    # ------------------------------------------------------------ words
    def word(self, node, split: bool = True) -> list[Word]:
        """One argument node → words (several when an unquoted known expansion splits)."""
        t = node.type
        i, j = self.rng(node)
        si, sj = self.src(i, j)
        placed = self.s.is_exact(i, j)
        if split and t in ("simple_expansion", "expansion"):
            val = self.expand(node)
            if val is None:
                return [Word(MappedText.opaque(self.s.value[i:j], si, sj), si, sj, True, True, placed)]
            return [Word(p, p.src_start, p.src_end, placed=False) for p in _split_ws(val)]
        b = TextBuilder()
        dyn = self.piece(node, b)
        return [Word(b.build(si, sj, self.s.escape), si, sj, dyn, placed=placed)]

    def piece(self, node, b: TextBuilder) -> bool:
        """Append the value of ``node`` to ``b``; True when part of it is dynamic."""
        t = node.type
        i, j = self.rng(node)
        if t in ("word", "number", "command_name"):
            self.unescape(i, j, b, lambda k: True)
            return False
        if t == "raw_string":
            b.add_mapped(self.s.slice(i + 1, j - 1))
            return False
        if t == "string":
            return self.dq(node, b)
        if t == "concatenation":
            return any([self.piece(c, b) for c in node.children])
        if t in ("simple_expansion", "expansion"):
            val = self.expand(node)
            if val is not None:
                b.add_mapped(val)
                return False
        si, sj = self.src(i, j)
        b.add(self.s.value[i:j], si, sj)
        b.exact = False
        return True

    def unescape(self, i: int, j: int, b: TextBuilder, escapable) -> None:
        """Text ``[i, j)`` with backslash escapes removed; runs without one are added whole."""
        value, k = self.s.value, i
        while k < j:
            bs = value.find("\\", k, j)
            end = j if bs < 0 else bs
            if end > k:
                b.add_mapped(self.s.slice(k, end))
            if bs < 0:
                return
            k = bs
            if k + 1 < j and escapable(value[k + 1]):
                nxt = value[k + 1]
                if nxt != "\n":
                    b.add(nxt, self.src(k, k + 2)[0], self.src(k, k + 2)[1])
                k += 2
            else:
                b.add_mapped(self.s.slice(k, k + 1))
                k += 1

    def dq(self, node, b: TextBuilder) -> bool:
        i, j = self.rng(node)
        pos, dyn = i + 1, False
        for c in node.named_children:
            ci, cj = self.rng(c)
            if c.type == "string_content":
                continue
            self.unescape(pos, ci, b, lambda ch: ch in _DQ_ESCAPABLE)
            dyn = self.piece(c, b) or dyn
            pos = cj
        self.unescape(pos, j - 1, b, lambda ch: ch in _DQ_ESCAPABLE)
        return dyn

    def expand(self, node) -> MappedText | None:
        """The value of ``$A``/``${A}``/``${A:-x}`` when known in this script."""
        names = [c for c in node.named_children if c.type == "variable_name"]
        if not names:
            return None
        name = self.text(names[0])
        ops = [c.type for c in node.children if not c.is_named]
        val = self.vars.get(name)
        if node.type == "simple_expansion" or ops == ["${", "}"]:
            return val
        default_ops = {":-", "-", ":=", "="}
        op = next((o for o in ops if o in default_ops), None)
        if op is None:
            return None
        if val is not None and not (op.startswith(":") and val.value == ""):
            return val
        if name in self.vars and val is None:
            return None
        rest = [c for c in node.named_children if c is not names[0]]
        b = TextBuilder()
        for c in rest:
            if self.piece(c, b):
                return None
        i = self.rng(node)[1]
        return b.build(*self.src(i, i), self.s.escape)


def _split_ws(val: MappedText) -> list[MappedText]:
    out, i, n = [], 0, len(val.value)
    while i < n:
        while i < n and val.value[i] in " \t\n":
            i += 1
        j = i
        while j < n and val.value[j] not in " \t\n":
            j += 1
        if j > i:
            out.append(val.slice(i, j))
        i = j
    return out


def split_words(text: MappedText) -> list[Word]:
    """Whitespace-split words of a value that no shell reads (a systemd line, a
    PM2 ``node_args`` string)."""
    return [Word(p, p.src_start, p.src_end, placed=p.is_exact(0, len(p.value))) for p in _split_ws(text)]
