"""Shell text as bash runs it, evaluated statically: the one walk over
tree-sitter-bash behind both views of a script, its node launches
(``shellparse``) and its emcc / cargo builds (``toolchain.shell_eval``).

The text is a ``PStr`` (a whole script, a package.json script decoded from JSON,
a Makefile recipe after Make expansion): every character keeps its position in
the file. Statements are evaluated in order: assignments (scalars, arrays,
``+=``), ``export``/``declare -x``/``local``, ``unset``, env prefixes, quoting and
field splitting, ``"${ARR[@]}"``, ``${V:-w}``/``${V-w}``/``${V:=w}``,
``${V:+w}``. Commands inside ``$(…)`` are recorded (in a subshell: their
assignments do not leak). Nothing is ever run.

A value is known, or holds ``UNKNOWN`` characters where the shell would put
text that cannot be known here (``$1``, ``$(…)``, a variable set outside); each
unknown keeps the source range and text of what produced it
(``Run.unknown_text``). A variable never assigned is unknown when expanded
(``$V``), absent for its default (``${V:-w}`` is ``w``), and, used only as a
``${V:+…}`` switch, it is a *variant*: with ``variants`` the script is evaluated
once per switch (ffmpeg.wasm's ``FFMPEG_ST``/``FFMPEG_MT``), else the switch is
unknown. A value longer than ``VALUE_LIMIT`` is unknown.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .toolchain.pstr import UNKNOWN, PStr, join_words

VALUE_LIMIT = 1 << 16   # characters a shell variable may hold; a longer value is unknown
MAX_SWITCHES = 6
WORDS = frozenset(("word", "string", "raw_string", "ansi_c_string", "concatenation", "simple_expansion",
                   "expansion", "command_substitution", "number", "arithmetic_expansion",
                   "brace_expression", "translated_string", "process_substitution"))
_SKIP = frozenset(("comment", "test_command", "heredoc_body", "file_redirect", "heredoc_redirect",
                   "herestring_redirect", "variable_name"))
_REDIRECTS = frozenset(("file_redirect", "heredoc_redirect", "herestring_redirect"))
BREAK = None            # a forced field boundary between "${ARR[@]}" elements
_ANSI = {"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"', "r": "\r", "a": "\a", "e": "\x1b"}
_DQ_ESCAPABLE = '"\\$`\n'

@lru_cache(maxsize=1)
def parser():
    import tree_sitter_bash
    from tree_sitter import Language, Parser
    return Parser(Language(tree_sitter_bash.language()))


@dataclass(eq=False)
class Binding:
    """A variable set by an assignment, an ``export``, a command prefix, or the caller."""

    name: str
    value: PStr | list[PStr] | None        # None: exported, never set
    rng: tuple[int, int] | None = None     # input characters of the assignment (None: from the caller)
    value_rng: tuple[int, int] | None = None   # input characters of the value word
    exported: bool = False
    variant: str | None = None
    origin: object = None                  # the caller's own record of an environment entry
    declared: bool = False                 # ``export NAME`` without a value
    exports: "Binding | None" = None       # then: the binding it exports, if NAME is set
    in_substitution: bool = False          # set inside ``$(…)``: the script's own variables do not see it

    @property
    def known(self) -> bool:
        v = self.value
        return v is not None and not isinstance(v, list) and v.known


@dataclass(eq=False)
class Word:
    """One argument node of a command and the fields bash makes of it."""

    rng: tuple[int, int]                   # input characters of the node
    bare: bool                             # an unquoted ``$V``/``${V…}`` standing alone
    fields: list[PStr]


@dataclass(eq=False)
class Command:
    words: list[Word]
    prefix: list[Binding]                  # ``VAR=x cmd``
    env: dict[str, Binding]                # exported variables in effect (prefix included)
    rng: tuple[int, int]
    in_substitution: bool = False
    variant: str | None = None

    @property
    def argv(self) -> list[PStr]:
        return [f for w in self.words for f in w.fields]


@dataclass
class Run:
    commands: list[Command] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)   # statement-level assignments and exports
    error: tuple[int, str, bool] | None = None   # first syntax error: input character, node type, missing
    unknown_text: dict[tuple[int, int], str] = field(default_factory=dict)


def evaluate(source: PStr, env: dict[str, Binding] | None = None, variants: bool = False) -> Run:
    """Commands and assignments of ``source`` in order (every variant's, with ``variants``);
    ``env`` is the exported environment it starts with."""
    raw = source.text.encode("utf-8")
    tree = parser().parse(raw)
    ev = _Eval(source, raw)
    out = Run(error=ev.first_error(tree.root_node), unknown_text=ev.unknown_text)
    runs = _variants(ev.switches(tree.root_node)) if variants else [(None, None)]
    for label, on in runs:
        ev.reset(env or {}, on, label)
        ev.statements(tree.root_node)
        out.commands += ev.commands
        out.bindings += ev.bindings
    return out


def _variants(switches: list[str]):
    if not switches:
        return [(None, set())]
    if len(switches) == 1:
        return [(f"{switches[0]} set", {switches[0]}), (f"{switches[0]} unset", set())]
    return [(f"{s} set", {s}) for s in switches[:MAX_SWITCHES]]


def size(v) -> int:
    return sum(len(x) for x in v) if isinstance(v, list) else len(v)


def join(v: PStr | list[PStr]) -> PStr:
    """An array as one word: its elements joined by blanks."""
    return v if isinstance(v, PStr) else join_words(v)


class _Eval:
    def __init__(self, source: PStr, raw: bytes):
        self.src = source
        self.unknown_text: dict[tuple[int, int], str] = {}
        if len(raw) == len(source.text):
            self.ch = None
        else:
            self.ch = [0] * (len(raw) + 1)
            pos = 0
            for k, c in enumerate(source.text):
                n = len(c.encode("utf-8"))
                for b in range(n):
                    self.ch[pos + b] = k
                pos += n
            self.ch[pos] = len(source.text)

    def reset(self, env: dict[str, Binding], on: set[str] | None, label: str | None) -> None:
        self.vars: dict[str, Binding] = {}
        for name, b in env.items():
            if b.value is None:
                b = Binding(b.name, self.unknown_at(b, name), b.rng, b.value_rng, True, origin=b.origin)
            self.vars[name] = b
        self.exported: dict[str, Binding] = dict(self.vars)
        self.on, self.label = on, label
        self.in_subst = False
        self.commands: list[Command] = []
        self.bindings: list[Binding] = []

    # positions -----------------------------------------------------------------
    def c(self, byte: int) -> int:
        return byte if self.ch is None else self.ch[byte]

    def rng(self, node) -> tuple[int, int]:
        return self.c(node.start_byte), self.c(node.end_byte)

    def text(self, a: int, b: int) -> PStr:
        """Source text between two byte offsets."""
        return self.src[self.c(a):self.c(b)]

    def name(self, node) -> str:
        i, j = self.rng(node)
        return self.src.text[i:j]

    def _range(self, node) -> tuple[int, int]:
        r = self.text(node.start_byte, node.end_byte).source_range()
        return r if r else (-1, -1)

    def unknown(self, node) -> PStr:
        """What ``node`` expands to when its value cannot be known here."""
        r = self._range(node)
        self.unknown_text.setdefault(r, self.name(node))
        return PStr.spread(UNKNOWN, *r)

    def unknown_at(self, b: Binding, name: str) -> PStr:
        """The value of an environment variable the caller does not know."""
        r = getattr(b.origin, "start", -1), getattr(b.origin, "end", -1)
        self.unknown_text.setdefault(r, f"${name}")
        return PStr.spread(UNKNOWN, *r)

    def first_error(self, root) -> tuple[int, str, bool] | None:
        if not root.has_error:
            return None
        stack = [root]
        while stack:
            n = stack.pop()
            if n.type == "ERROR" or n.is_missing:
                return self.c(n.start_byte), n.type, n.is_missing
            stack.extend(reversed(n.children))
        return None

    def switches(self, root) -> list[str]:
        """Variables used only as ``${V:+…}`` switches, never assigned."""
        used, assigned = [], set()
        stack = [root]
        while stack:
            n = stack.pop()
            if n.type == "variable_assignment" and n.child_by_field_name("name") is not None:
                assigned.add(n.child_by_field_name("name").text.decode())
            elif n.type == "expansion":
                ops = [ch.type for ch in n.children if not ch.is_named]
                names = [ch.text.decode() for ch in n.children if ch.type == "variable_name"]
                if names and (":+" in ops or "+" in ops) and names[0] not in used:
                    used.append(names[0])
            stack.extend(n.children)
        return [u for u in used if u not in assigned]

    # statements ----------------------------------------------------------------
    def statements(self, node) -> None:
        for ch in node.named_children:
            self.statement(ch)

    def statement(self, ch) -> None:
        t = ch.type
        if t == "command":
            self.command(ch)
        elif t == "variable_assignment":
            self.substitutions(ch)
            self.assign(ch, exported=False)
        elif t == "declaration_command":
            self.substitutions(ch)
            self.declaration(ch)
        elif t == "unset_command":
            for c in ch.named_children:
                name = self.name(c)
                self.vars.pop(name, None)
                self.exported.pop(name, None)
        elif t in WORDS or t in _SKIP:
            return
        else:
            self.statements(ch)

    def assign(self, node, exported: bool, prefix: bool = False) -> Binding | None:
        name_node = node.child_by_field_name("name")
        if name_node is None or name_node.type != "variable_name":
            return None
        name = name_node.text.decode()
        value_node = node.child_by_field_name("value")
        append = any(ch.type == "+=" for ch in node.children)
        if value_node is None:
            value: PStr | list[PStr] = PStr.synth("")
        elif value_node.type == "array":
            value = [f for el in value_node.named_children if el.type in WORDS for f in self.fields(el)]
        else:
            value = self.joined(value_node)
        if append:
            old = self.vars[name].value if name in self.vars else None
            if isinstance(value, list):
                value = (old if isinstance(old, list) else ([old] if old else [])) + value
            elif isinstance(old, PStr):
                value = old + value
        if size(value) > VALUE_LIMIT:   # `A="$A$A"` doubling: a few hundred bytes would take gigabytes
            value = self.unknown(node)
        rng = self.rng(node)
        value_rng = self.rng(value_node) if value_node is not None else (rng[1], rng[1])
        b = Binding(name, value, rng, value_rng, exported or prefix or name in self.exported, self.label,
                    in_substitution=self.in_subst)
        if prefix:
            return b
        self.vars[name] = b
        if b.exported:
            self.exported[name] = b
        self.bindings.append(b)
        return b

    def declaration(self, node) -> None:
        kw = node.children[0].type if node.children else ""
        flags = [ch.text.decode() for ch in node.named_children if ch.type == "word"]
        exported = kw == "export" or any(f.startswith("-") and "x" in f for f in flags)
        for ch in node.named_children:
            if ch.type == "variable_assignment":
                self.assign(ch, exported)
            elif ch.type == "variable_name" and exported:
                name = self.name(ch)
                old = self.vars.get(name)
                b = Binding(name, old.value if old else None, self.rng(ch), None, True, self.label,
                            declared=True, exports=old, in_substitution=self.in_subst)
                if old is not None:
                    self.vars[name] = b
                self.exported[name] = b
                self.bindings.append(b)

    def command(self, node) -> None:
        prefix: list[Binding] = []
        words: list[Word] = []
        for ch in node.named_children:
            if ch.type == "variable_assignment":
                b = self.assign(ch, exported=True, prefix=True)
                if b is not None:
                    prefix.append(b)
            elif ch.type == "command_name":
                words += [self.word(w) for w in (ch.named_children or [ch])]
            elif ch.type not in _REDIRECTS and ch.type != "comment":
                words.append(self.word(ch))
        env = {k: b for k, b in self.exported.items()}
        env.update({b.name: b for b in prefix})
        self.commands.append(Command(words, prefix, env, self.rng(node), self.in_subst, self.label))
        self.substitutions(node)

    def substitutions(self, node) -> None:
        """Commands inside ``$(…)`` and backquotes, run in a subshell."""
        for ch in node.children:
            if ch.type == "command_substitution":
                saved = self.vars, self.exported, self.in_subst
                self.vars, self.exported, self.in_subst = dict(self.vars), dict(self.exported), True
                self.statements(ch)
                self.vars, self.exported, self.in_subst = saved
            else:
                self.substitutions(ch)

    # words -----------------------------------------------------------------------
    def word(self, node) -> Word:
        return Word(self.rng(node), node.type in ("simple_expansion", "expansion"), self.fields(node))

    def joined(self, node) -> PStr:
        """A word in an assignment value: no field splitting; the elements of
        ``"${ARR[@]}"`` are joined by blanks."""
        parts = [PStr.synth(" ") if p is BREAK else p for p, _q in self.segments(node, quoted=False)]
        return PStr.join(parts) if parts else PStr.synth("")

    def fields(self, node) -> list[PStr]:
        out: list[PStr] = []
        cur: list[PStr] = []
        started = False
        for part, quoted in self.segments(node, quoted=False):
            if part is BREAK:
                if started:
                    out.append(PStr.join(cur))
                cur, started = [], False
            elif quoted:
                cur.append(part)
                started = True
            else:
                for piece in _split_keep(part):
                    if piece is BREAK:
                        if started:
                            out.append(PStr.join(cur))
                        cur, started = [], False
                    elif len(piece):
                        cur.append(piece)
                        started = True
        if started:
            out.append(PStr.join(cur))
        return out

    def segments(self, node, quoted: bool) -> list[tuple[PStr | None, bool]]:
        t = node.type
        if t in ("word", "number", "brace_expression", "command_name"):
            return self.unquote_word(node, quoted)
        if t == "raw_string":
            return [(self.text(node.start_byte + 1, node.end_byte - 1), True)]
        if t == "ansi_c_string":
            return [(self.ansi(node), True)]
        if t in ("string", "translated_string"):
            return self.string(node)
        if t == "concatenation":
            return self.sequence(node, node.start_byte, node.end_byte, quoted)
        if t == "simple_expansion":
            name = node.named_children[0].text.decode() if node.named_children else ""
            return self.variable(name, quoted, node)
        if t == "expansion":
            return self.expansion(node, quoted)
        return [(self.unknown(node), quoted)]

    def sequence(self, node, start: int, end: int, quoted: bool, children=None) -> list:
        out, pos = [], start
        for ch in (node.named_children if children is None else children):
            if ch.start_byte > pos:
                out.append((self.text(pos, ch.start_byte), quoted))
            out += self.segments(ch, quoted)
            pos = ch.end_byte
        if end > pos:
            out.append((self.text(pos, end), quoted))
        return out

    def unquote_word(self, node, quoted: bool) -> list:
        p = self.text(node.start_byte, node.end_byte)
        out, i, t = [], 0, p.text
        while i < len(t):
            if t[i] == "\\" and i + 1 < len(t):
                if t[i + 1] != "\n":
                    out.append((PStr(t[i + 1], (p.starts[i],), (p.ends[i + 1],)), True))
                i += 2
            else:
                j = i + 1          # a backslash ending the word stands for itself
                while j < len(t) and t[j] != "\\":
                    j += 1
                out.append((p[i:j], quoted))
                i = j
        return out

    def string(self, node) -> list:
        out, pos, end = [], node.start_byte + 1, node.end_byte - 1
        for ch in node.named_children:
            if ch.start_byte > pos:
                out.append((_dq_unescape(self.text(pos, ch.start_byte)), True))
            if ch.type == "string_content":
                out.append((_dq_unescape(self.text(ch.start_byte, ch.end_byte)), True))
            else:
                out += self.segments(ch, True)
            pos = ch.end_byte
        if end > pos:
            out.append((_dq_unescape(self.text(pos, end)), True))
        return out or [(PStr.synth(""), True)]

    def ansi(self, node) -> PStr:
        p = self.text(node.start_byte + 2, node.end_byte - 1)
        parts, i, t = [], 0, p.text
        while i < len(t):
            if t[i] == "\\" and i + 1 < len(t):
                parts.append(PStr(_ANSI.get(t[i + 1], t[i + 1]), (p.starts[i],), (p.ends[i + 1],)))
                i += 2
            else:
                parts.append(p[i:i + 1])
                i += 1
        return PStr.join(parts) if parts else PStr.synth("")

    def value(self, name: str) -> PStr | list[PStr] | None:
        b = self.vars.get(name)
        return None if b is None else b.value

    def variable(self, name: str, quoted: bool, node) -> list:
        value = self.value(name)
        if value is None or (isinstance(value, PStr) and value.text == UNKNOWN):
            return [(self.unknown(node), quoted)]     # unknown where it is used
        if isinstance(value, list):
            return [(value[0], quoted)] if value else []
        return [(value, quoted)]

    def is_set(self, name: str, colon: bool) -> bool | None:
        """Whether ``name`` counts as set for ``${name-…}`` (``colon``: and not empty);
        None when that cannot be known (a switch outside variant evaluation)."""
        if self.on is not None and name in self.on:
            return True
        value = self.value(name)
        if value is None:
            return None if self.on is None else False
        if isinstance(value, list) or not colon:
            return True
        return len(value) > 0

    def expansion(self, node, quoted: bool) -> list:
        kids = node.children
        names = [k for k in kids if k.type in ("variable_name", "subscript", "special_variable_name")]
        if not names or kids[1].type in ("#", "!"):
            return [(self.unknown(node), quoted)]
        target = names[0]
        op_index = next((k for k, ch in enumerate(kids) if not ch.is_named and ch.type not in ("${", "}")
                         and k > kids.index(target)), None)
        if target.type == "subscript":
            base = target.named_children[0].text.decode()
            idx = target.named_children[1].text.decode() if len(target.named_children) > 1 else "0"
            value = self.value(base)
            if op_index is None and isinstance(value, list) and idx in ("@", "*"):
                out: list = []
                for k, el in enumerate(value):
                    if k:
                        out.append((BREAK, quoted) if quoted and idx == "@" else (PStr.synth(" "), quoted))
                    out.append((el, quoted))
                return out
            return [(self.unknown(node), quoted)]
        name = target.text.decode()
        if op_index is None:
            return self.variable(name, quoted, node)
        op = kids[op_index].type
        rest = [ch for ch in kids[op_index + 1:] if ch.type != "}" and ch.is_named]
        alt_start = kids[op_index].end_byte
        alt_end = kids[-1].start_byte if kids[-1].type == "}" else node.end_byte
        if op in (":-", "-", ":=", "="):
            if self.is_set(name, op.startswith(":")):
                return self.variable(name, quoted, node)
            return self.sequence(node, alt_start, alt_end, quoted, rest)
        if op in (":+", "+"):
            is_set = self.is_set(name, op.startswith(":"))
            if is_set is None:
                return [(self.unknown(node), quoted)]
            return self.sequence(node, alt_start, alt_end, quoted, rest) if is_set else []
        return [(self.unknown(node), quoted)]


def _split_keep(p: PStr) -> list:
    """Unquoted text split on blanks; BREAK marks each boundary."""
    out: list = []
    i, t = 0, p.text
    while i < len(t):
        if t[i] in " \t\n":
            out.append(BREAK)
            while i < len(t) and t[i] in " \t\n":
                i += 1
        else:
            j = i
            while j < len(t) and t[j] not in " \t\n":
                j += 1
            out.append(p[i:j])
            i = j
    return out


def _dq_unescape(p: PStr) -> PStr:
    parts, i, t = [], 0, p.text
    while i < len(t):
        if t[i] == "\\" and i + 1 < len(t) and t[i + 1] in _DQ_ESCAPABLE:
            if t[i + 1] != "\n":
                parts.append(PStr(t[i + 1], (p.starts[i],), (p.ends[i + 1],)))
            i += 2
        else:
            parts.append(p[i:i + 1])
            i += 1
    return PStr.join(parts) if parts else p
