"""Evaluate shell text (tree-sitter-bash) into commands with argument lists.

The text is a ``PStr``: a whole script, a Makefile recipe after Make expansion, a
package.json script; every argument keeps its position. Evaluated statically
and in order: assignments (scalars and arrays), ``export``, env prefixes,
quoting and field splitting, ``"${ARR[@]}"``, ``${V:-w}``, ``${V:+w}``. A value
that cannot be known (command substitution, ``$@``, a variable from outside)
becomes ``UNKNOWN``; a ``$(cmd …)`` whose output the caller's ``substitute`` knows
(``node file.js`` printing a constant) is that output, trailing newlines removed, as
the shell gives it. Variables used only as ``${V:+…}`` switches and never
assigned are the script's *variants* (ffmpeg.wasm's ``FFMPEG_ST``/``FFMPEG_MT``):
the script is evaluated once per variant. ``cd DIR`` (and ``pushd``/``popd``) moves
the folder later commands run in, until the end of a ``( … )`` subshell. Nothing is
ever run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..facts import Span
from ..shellparse import VALUE_LIMIT
from .pstr import UNKNOWN, LineIndex, PStr, Tok

WORDS = frozenset(("word", "string", "raw_string", "ansi_c_string", "concatenation", "simple_expansion",
                   "expansion", "command_substitution", "number", "arithmetic_expansion",
                   "brace_expression", "translated_string", "process_substitution"))
BREAK = None          # a forced field boundary between "${ARR[@]}" elements
MAX_SWITCHES = 6
_ANSI = {"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"', "r": "\r", "a": "\a", "e": "\x1b"}


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_bash
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


@dataclass
class Command:
    argv: list[Tok]
    prefix: dict[str, PStr]           # VAR=value words before the command
    env: dict[str, PStr]              # exported variables at this point
    span: Span
    variant: str | None = None
    cwd: str | None = ""              # folder it runs in, relative to where the text starts ("": there;
    #                                   None: unknown — an absolute or computed ``cd``)


@dataclass
class Assignment:
    name: str
    value: PStr | list[PStr]
    span: Span
    exported: bool
    variant: str | None = None


@dataclass
class ShellResult:
    commands: list[Command] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    error_at: int | None = None       # char offset (in the source PStr) of the first syntax error


def evaluate(source: PStr, index: LineIndex, env: dict[str, PStr] | None = None,
             substitute=None) -> ShellResult:
    """Every variant of ``source``: commands and assignments, in order. ``substitute``:
    the known output of a command (its argument strings), or None."""
    raw = source.text.encode("utf-8")
    tree = _parser().parse(raw)
    ev = _Eval(source, raw, index, substitute)
    switches = ev.switches(tree.root_node)
    out = ShellResult(error_at=ev.first_error(tree.root_node))
    for label, on in _variants(switches):
        ev.reset(env or {}, on, label)
        ev.statements(tree.root_node)
        out.commands += ev.commands
        out.assignments += ev.assignments
    return out


def _variants(switches: list[str]):
    if not switches:
        return [(None, set())]
    if len(switches) == 1:
        return [(f"{switches[0]} set", {switches[0]}), (f"{switches[0]} unset", set())]
    return [(f"{s} set", {s}) for s in switches[:MAX_SWITCHES]]


class _Eval:
    def __init__(self, source: PStr, raw: bytes, index: LineIndex, substitute=None):
        self.src, self.index, self.substitute = source, index, substitute
        self.ascii = len(raw) == len(source.text)
        self._b2c: dict[int, int] = {}
        if not self.ascii:
            pos = 0
            for k, ch in enumerate(source.text):
                self._b2c[pos] = k
                pos += len(ch.encode("utf-8"))
            self._b2c[pos] = len(source.text)

    def reset(self, env: dict[str, PStr], on: set[str], label: str | None) -> None:
        self.vars: dict[str, PStr | list[PStr]] = dict(env)
        self.exported: set[str] = set(env)
        self.on, self.label = on, label
        self.commands: list[Command] = []
        self.assignments: list[Assignment] = []
        self.cwd: str | None = ""
        self.dirs: list[str | None] = []

    # positions -----------------------------------------------------------------
    def c(self, byte: int) -> int:
        return byte if self.ascii else self._b2c.get(byte, 0)

    def text(self, a: int, b: int) -> PStr:
        return self.src[self.c(a):self.c(b)]

    def span(self, node) -> Span:
        r = self.text(node.start_byte, node.end_byte).source_range()
        return self.index.span(*r) if r else Span(self.index.path)

    def first_error(self, root) -> int | None:
        if not root.has_error:
            return None
        stack = [root]
        while stack:
            n = stack.pop()
            if n.type == "ERROR" or n.is_missing:
                return self.c(n.start_byte)
            stack.extend(reversed(n.children))
        return None

    def switches(self, root) -> list[str]:
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
            t = ch.type
            if t == "command":
                self.command(ch)
            elif t == "variable_assignment":
                self.assign(ch, exported=False)
            elif t == "declaration_command":
                self.declaration(ch)
            elif t in WORDS or t in ("comment", "test_command", "heredoc_body", "file_redirect",
                                     "heredoc_redirect", "herestring_redirect", "variable_name"):
                continue
            elif t == "subshell":        # its `cd` ends with it
                cwd, dirs = self.cwd, list(self.dirs)
                self.statements(ch)
                self.cwd, self.dirs = cwd, dirs
            else:
                self.statements(ch)

    def assign(self, node, exported: bool, scope: dict | None = None) -> tuple[str, PStr | list[PStr]] | None:
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
            old = self.vars.get(name)
            if isinstance(value, list):
                value = (old if isinstance(old, list) else ([old] if old else [])) + value
            elif isinstance(old, PStr):
                value = old + value
        if _size(value) > VALUE_LIMIT:   # `A="$A$A"` doubling: a few hundred bytes would take gigabytes
            value = PStr.spread(UNKNOWN, *self._range(node))
        target = self.vars if scope is None else scope
        target[name] = value
        if scope is None:
            if exported:
                self.exported.add(name)
            self.assignments.append(Assignment(name, value, self.span(node), name in self.exported, self.label))
        return name, value

    def declaration(self, node) -> None:
        kw = node.children[0].type if node.children else ""
        flags = [ch.text.decode() for ch in node.named_children if ch.type == "word"]
        exported = kw == "export" or any(f.startswith("-") and "x" in f for f in flags)
        for ch in node.named_children:
            if ch.type == "variable_assignment":
                self.assign(ch, exported)
            elif ch.type == "variable_name" and exported:
                self.exported.add(ch.text.decode())

    def command(self, node) -> None:
        prefix: dict[str, PStr | list[PStr]] = {}
        argv: list[Tok] = []
        for ch in node.named_children:
            if ch.type == "variable_assignment":
                self.assign(ch, exported=True, scope=prefix)
            elif ch.type == "command_name":
                argv += [Tok(f, self.index) for w in ch.named_children for f in self.fields(w)]
            elif ch.type in WORDS:
                argv += [Tok(f, self.index) for f in self.fields(ch)]
        pre = {k: _join(v) for k, v in prefix.items()}
        env = {k: _join(v) for k, v in self.vars.items() if k in self.exported}
        self.commands.append(Command(argv, pre, {**env, **pre}, self.span(node), self.label, self.cwd))
        self.change_dir([a.text for a in argv])

    def change_dir(self, argv: list[PStr]) -> None:
        """``cd DIR`` / ``pushd DIR`` / ``popd``: the folder the next commands run in."""
        name = argv[0].text if argv else ""
        if name == "popd":
            self.cwd = self.dirs.pop() if self.dirs else None
            return
        if name not in ("cd", "pushd"):
            return
        args = [a for a in argv[1:] if a.text not in ("-P", "-L", "--")]
        if name == "pushd":
            self.dirs.append(self.cwd)
        self.cwd = _moved(self.cwd, args[0] if len(args) == 1 else None)

    # words -----------------------------------------------------------------------
    def joined(self, node) -> PStr:
        """A word in an assignment value: no field splitting."""
        parts = [p for p, _q in self.segments(node, quoted=False) if p is not BREAK]
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
        if t in ("word", "number", "brace_expression"):
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
        if t == "command_substitution":
            output = self.output(node)
            if output is not None:
                return [(PStr.spread(output.rstrip("\n"), *self._range(node)), quoted)]
        return [(PStr.spread(UNKNOWN, *self._range(node)), quoted)]

    def output(self, node) -> str | None:
        """What ``$(…)`` holding one simple command with known arguments prints, when known."""
        inner = [ch for ch in node.named_children if ch.type != "comment"]
        if self.substitute is None or len(inner) != 1 or inner[0].type != "command":
            return None
        argv: list[PStr] = []
        for ch in inner[0].named_children:
            if ch.type == "command_name":
                argv += [f for w in ch.named_children for f in self.fields(w)]
            elif ch.type in WORDS:
                argv += self.fields(ch)
            else:                      # an env prefix, a redirection: not a plain run
                return None
        if not argv or not all(a.known for a in argv):
            return None
        return self.substitute([a.text for a in argv])

    def _range(self, node) -> tuple[int, int]:
        r = self.text(node.start_byte, node.end_byte).source_range()
        return r if r else (-1, -1)

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

    def variable(self, name: str, quoted: bool, node) -> list:
        value = self.vars.get(name)
        if value is None:
            return [(PStr.spread(UNKNOWN, *self._range(node)), quoted)]
        if isinstance(value, list):
            return [(value[0], quoted)] if value else []
        return [(value, quoted)]

    def expansion(self, node, quoted: bool) -> list:
        kids = node.children
        names = [k for k in kids if k.type in ("variable_name", "subscript", "special_variable_name")]
        if not names or kids[1].type in ("#", "!"):
            return [(PStr.spread(UNKNOWN, *self._range(node)), quoted)]
        target = names[0]
        op_index = next((k for k, ch in enumerate(kids) if not ch.is_named and ch.type not in ("${", "}")
                         and k > kids.index(target)), None)
        if target.type == "subscript":
            base = target.named_children[0].text.decode()
            idx = target.named_children[1].text.decode() if len(target.named_children) > 1 else "0"
            value = self.vars.get(base)
            if op_index is None and isinstance(value, list) and idx in ("@", "*"):
                out: list = []
                for k, el in enumerate(value):
                    if k:
                        out.append((BREAK, quoted) if quoted and idx == "@" else (PStr.synth(" "), quoted))
                    out.append((el, quoted))
                return out
            return [(PStr.spread(UNKNOWN, *self._range(node)), quoted)]
        name = target.text.decode()
        if op_index is None:
            return self.variable(name, quoted, node)
        op = kids[op_index].type
        rest = [ch for ch in kids[op_index + 1:] if ch.type != "}"]
        alt_start = kids[op_index].end_byte
        alt_end = kids[-1].start_byte if kids[-1].type == "}" else node.end_byte
        is_set = name in self.vars and (isinstance(self.vars[name], list) or len(self.vars[name]))
        if name in self.on:
            is_set = True
        if op in (":-", "-", ":=", "="):
            if is_set:
                return self.variable(name, quoted, node)
            return self.sequence(node, alt_start, alt_end, quoted, [r for r in rest if r.is_named])
        if op in (":+", "+"):
            if not is_set:
                return []
            return self.sequence(node, alt_start, alt_end, quoted, [r for r in rest if r.is_named])
        return [(PStr.spread(UNKNOWN, *self._range(node)), quoted)]


def _moved(cwd: str | None, arg: PStr | None) -> str | None:
    """``cwd`` after ``cd arg``: a relative, known ``arg`` is joined; anything else
    (``cd``, ``cd -``, ``cd /abs``, ``cd "$(dirname "$0")"``) leaves it unknown."""
    if cwd is None or arg is None or not arg.known or arg.text in ("", "-") or arg.text.startswith(("/", "~")):
        return None
    parts = [p for p in cwd.split("/") if p]
    for seg in arg.text.split("/"):
        if seg == "..":
            if not parts or parts[-1] == "..":
                parts.append("..")
            else:
                parts.pop()
        elif seg not in ("", "."):
            parts.append(seg)
    return "/".join(parts)


def _size(v: PStr | list[PStr]) -> int:
    return sum(len(x) for x in v) if isinstance(v, list) else len(v)


def _join(v: PStr | list[PStr]) -> PStr:
    if isinstance(v, PStr):
        return v
    parts: list[PStr] = []
    for k, el in enumerate(v):
        if k:
            parts.append(PStr.synth(" "))
        parts.append(el)
    return PStr.join(parts) if parts else PStr.synth("")


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
        if t[i] == "\\" and i + 1 < len(t) and t[i + 1] in '"\\$`\n':
            if t[i + 1] != "\n":
                parts.append(PStr(t[i + 1], (p.starts[i],), (p.ends[i + 1],)))
            i += 2
        else:
            parts.append(p[i:i + 1])
            i += 1
    return PStr.join(parts) if parts else p
