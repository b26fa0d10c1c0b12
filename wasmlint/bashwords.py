"""One shell word as bash expands it (the word half of ``wasmlint.bash``).

Quote removal, ``\\`` escapes, ``$'…'``, variables and arrays (``"${ARR[@]}"``),
positional parameters (``$1``, ``"$@"``, ``$#`` inside a function call or a
script run with arguments), ``${V:-w}``/``${V-w}``/``${V:=w}``/``${V:+w}``, and
field splitting of unquoted expansions. ``$(dirname "$0")``, ``$(cd "$(dirname
"$0")" && pwd)`` and ``${BASH_SOURCE%/*}`` are the folder of the script (a
``here`` mark, ``wasmlint.bash``); a command substitution whose output the
evaluator's ``substitute`` knows is that output; others are unknown.
"""
from __future__ import annotations

import re

from .toolchain.pstr import UNKNOWN, PStr

BREAK = None            # a forced field boundary between "${ARR[@]}" elements
HERE = 0xE100           # chr(HERE + k): the folder of the k-th file read (``$(dirname "$0")``)
MAX_FILES = 64
_ANSI = {"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"', "r": "\r", "a": "\a", "e": "\x1b"}
_DQ_ESCAPABLE = '"\\$`\n'
_SCRIPT_NAMES = ("0", "BASH_SOURCE")
WORDS = frozenset(("word", "string", "raw_string", "ansi_c_string", "concatenation", "simple_expansion",
                   "expansion", "command_substitution", "number", "arithmetic_expansion",
                   "brace_expression", "translated_string", "process_substitution"))   # argument nodes


_BLANK_PART = PStr.synth(" ")
HERE_MARKS = re.compile(f"[{chr(HERE)}-{chr(HERE + MAX_FILES - 1)}]")   # one character class: a C scan


def is_here(c: str) -> bool:
    return HERE <= ord(c) < HERE + MAX_FILES


def has_here(text: str) -> bool:
    return HERE_MARKS.search(text) is not None


def known(p: PStr) -> bool:
    """A value with no unknown part (a ``here`` mark is known only to path lookups)."""
    return known_text(p.text)


def known_text(text: str) -> bool:
    """``known`` of a value's text."""
    return UNKNOWN not in text and not has_here(text)


def plain(p: PStr) -> PStr:
    """``p`` with its ``here`` marks unknown: what a tool that is given the text sees."""
    if not has_here(p.text):
        return p
    return PStr(HERE_MARKS.sub(UNKNOWN, p.text), p.starts, p.ends)


class Words:
    """Word expansion; the evaluator provides positions (``text``, ``rng``, ``name``,
    ``unknown``, ``_range``), variables (``vars``, ``on``), positional parameters (``args``),
    ``here_mark`` and ``substitute`` (what a command prints, or None), and ``note_read``
    (a variable's value is read: ``bashforks``)."""

    def joined(self, node) -> PStr:
        """A word in an assignment value: no field splitting; the elements of
        ``"${ARR[@]}"`` are joined by blanks."""
        parts = self.joined_parts(node)
        return PStr.join(parts) if parts else PStr.synth("")

    def joined_parts(self, node) -> list[PStr]:
        """The pieces ``joined`` puts together, not yet copied into one value (their
        size is known before the value is made)."""
        if node.type == "word":        # most values: literal text, no escape: itself
            p = self.text(node.start_byte, node.end_byte)
            if "\\" not in p.text:
                return [p] if p.text else []
        return [_BLANK_PART if p is BREAK else p for p, _q in self.segments(node, quoted=False)]

    def fields(self, node) -> list[PStr]:
        if node.type == "word":        # most words: literal text, no escape, no blank: itself
            p = self.text(node.start_byte, node.end_byte)
            if "\\" not in p.text and not _BLANK.search(p.text):
                return [p] if p.text else []
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
        if t == "simple_expansion":        # the most frequent: `$V`
            kids = node.named_children
            return self.variable(self.name(kids[0]) if kids else "", quoted, node)
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
        if t == "expansion":
            return self.expansion(node, quoted)
        if t == "command_substitution":
            return [(self.substitution(node), quoted)]
        if t == "arithmetic_expansion":
            return [(self.arithmetic(node), quoted)]
        return [(self.unknown(node), quoted)]

    def arithmetic(self, node) -> PStr:
        """``$(( … ))``: its value when every term is known (``$((1 << 27))``), else unknown."""
        from .basharith import evaluate

        def variable(name: str) -> str | None:
            v = self.value(name)
            return v.text if isinstance(v, PStr) and known(v) else None
        value = evaluate(node, variable)
        return self.unknown(node) if value is None else PStr.spread(str(value), *self._range(node))

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
                j = t.find("\\", i + 1)     # a backslash ending the word stands for itself
                j = len(t) if j < 0 else j
                out.append((p[i:j], quoted))
                i = j
        return out

    def string(self, node) -> list:
        out, pos, end = [], node.start_byte + 1, node.end_byte - 1
        for ch in node.named_children:
            start = ch.start_byte
            if ch.type != "string_content" and self.f.src.text[self.c(start)] in _MAY_LEAD:
                # tree-sitter-bash (0.25) starts an expansion that follows another one at
                # the blanks before its `$` or backquote ("$A $B"): they are the string's.
                # (Read from the parsed text, which has blanks where the script has a
                # backquoted comment or a last backslash, only when one may start it.)
                lead = ch.children[0].text if ch.children else b""
                start += len(lead) - len(lead.lstrip(b" \t"))
            if start > pos:
                out.append((_dq_unescape(self.text(pos, start)), True))
            if ch.type == "string_content":
                out.append((_dq_unescape(self.text(ch.start_byte, ch.end_byte)), True))
            else:
                out += self.segments(ch, True)
            pos = ch.end_byte
        if end > pos:
            out.append((_dq_unescape(self.text(pos, end)), True))
        if not out and len(node.named_children) == 1 and is_at(node.named_children[0]):
            return []      # "$@" with no arguments, "${ARR[@]}" of an empty array: no word at all
        return out or [(PStr.synth(""), True)]

    def ansi(self, node) -> PStr:
        p = self.text(node.start_byte + 2, node.end_byte - 1)
        parts, i, t = [], 0, p.text
        while i < len(t):
            j = t.find("\\", i)
            if j < 0 or j + 1 == len(t):        # the rest is plain (a last backslash is itself)
                parts.append(p[i:])
                break
            if j > i:
                parts.append(p[i:j])
            parts.append(PStr(_ANSI.get(t[j + 1], t[j + 1]), (p.starts[j],), (p.ends[j + 1],)))
            i = j + 2
        return PStr.join(parts) if parts else PStr.synth("")

    # parameters ------------------------------------------------------------------
    def value(self, name: str) -> PStr | list[PStr] | None:
        if _positional(name):
            if self.args is None or name in ("@", "*", "#"):
                return None
            n = int(name)
            return self.args[n - 1] if 0 < n <= len(self.args) else None
        self.note_read(name)
        b = self.vars.get(name)
        return None if b is None else b.value

    def variable(self, name: str, quoted: bool, node) -> list:
        if _positional(name):
            if self.args is None:
                return [(self.unknown(node), quoted)]
            if name in ("@", "*", "#"):
                return self.all_args(name, quoted)
            value = self.value(name)
            return [(PStr.synth("") if value is None else value, quoted)]
        self.note_read(name)
        b = self.vars.get(name)
        value = None if b is None else b.value
        if value is None or (isinstance(value, PStr) and value.text == UNKNOWN):
            return [(self.unknown(node), quoted)]     # unknown where it is used
        if isinstance(value, list):
            return [(value[0], quoted)] if value else []
        return [(value, quoted)]

    def all_args(self, name: str, quoted: bool) -> list:
        if name == "#":
            return [(PStr.synth(str(len(self.args))), quoted)]
        return _elements(self.args, quoted and name == "@", quoted)

    def is_set(self, name: str, colon: bool) -> bool | None:
        """Whether ``name`` counts as set for ``${name-…}`` (``colon``: and not empty);
        None when that cannot be known (a switch outside variant evaluation)."""
        if self.on is not None and name in self.on:
            return True
        value = self.value(name)
        if value is None:
            if _positional(name) and self.args is not None:
                return False
            self.plain = False       # unknown, or unset in a variant
            self.reading.add(UNSURE)      # a value chosen by it is not known for certain (bashtest)
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
            base = self.name(target.named_children[0])
            idx = self.name(target.named_children[1]) if len(target.named_children) > 1 else "0"
            value = self.value(base)
            if op_index is None and isinstance(value, list) and idx in ("@", "*"):
                return _elements(value, quoted and idx == "@", quoted)
            return [(self.unknown(node), quoted)]
        name = self.name(target)
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
        if op == "%" and name in _SCRIPT_NAMES and [r.text for r in rest] == [b"/*"]:
            return [(self.here_mark(node, name), quoted)]     # ${BASH_SOURCE%/*}: the script's folder
        return [(self.unknown(node), quoted)]

    # command substitutions ---------------------------------------------------------
    def substitution(self, node) -> PStr:
        """``$(…)``: the script's folder when that is what it prints, the output
        ``substitute`` knows (trailing newlines removed), else unknown."""
        value = self.folder_of(node)
        if value is not None:
            return value
        value = self.printed(node)
        if value is not None:
            return value[:len(value.text.rstrip("\n"))]
        output = self.output(node)
        if output is not None:
            return PStr.spread(output.rstrip("\n"), *self._range(node))
        return self.unknown(node)

    def output(self, node) -> str | None:
        """What ``$(…)`` holding one simple command with known arguments prints, when known."""
        inner = [ch for ch in node.named_children if ch.type != "comment"]
        if len(inner) != 1 or inner[0].type != "command":
            return None
        self.plain = False           # what it prints may be known to a ``substitute``
        if self.substitute is None:
            return None
        argv: list[PStr] = []
        for ch in inner[0].named_children:
            if ch.type == "command_name":
                argv += [f for w in (ch.named_children or [ch]) for f in self.fields(w)]
            elif ch.type in WORDS:
                argv += self.fields(ch)
            else:                      # an env prefix, a redirection: not a plain run
                return None
        if not argv or not all(known(a) for a in argv):
            return None
        return self.substitute([a.text for a in argv])

    def printed(self, node) -> PStr | None:
        """What the shell's own ``$(echo ARGS)`` and ``$(cat <<EOF … EOF)`` print: the
        arguments joined by blanks, and the here-document (its expansions made unless its
        delimiter is quoted). biowasm's hyphy build keeps its link flags in ``$(cat <<EOF``."""
        inner = [ch for ch in node.named_children if ch.type != "comment"]
        if len(inner) != 1:
            return None
        stmt = inner[0]
        if stmt.type == "command" and _head(stmt) == "echo":
            args = [f for ch in stmt.named_children if ch.type in WORDS for f in self.fields(ch)]
            while args and args[0].text in ("-n", "-e", "-E"):
                args = args[1:]
            parts = [q for k, a in enumerate(args) for q in ((_BLANK_PART, a) if k else (a,))]
            return PStr.join(parts) if parts else PStr.synth("")
        if stmt.type != "redirected_statement":
            return None
        kids = stmt.named_children
        cmd, redirects = kids[0], kids[1:]
        if cmd.type != "command" or _head(cmd) != "cat" or len(cmd.named_children) != 1 or \
                len(redirects) != 1 or redirects[0].type != "heredoc_redirect":
            return None
        start = next((c for c in redirects[0].children if c.type == "heredoc_start"), None)
        body = next((c for c in redirects[0].children if c.type == "heredoc_body"), None)
        if start is None or body is None:
            return PStr.synth("")
        if start.text[:1] in (b"'", b'"') or b"\\" in start.text:      # <<'EOF': the text as written
            return self.text(body.start_byte, body.end_byte)
        made = [c for c in body.named_children if c.type != "heredoc_content"]
        parts = [p for p, _q in self.sequence(body, body.start_byte, body.end_byte, True, made) if p is not BREAK]
        return PStr.join(parts) if parts else PStr.synth("")

    def folder_of(self, node) -> PStr | None:
        """The folder a command substitution prints when it is the script's own:
        ``dirname "$0"``, ``dirname "${BASH_SOURCE[0]}"``, ``cd DIR && pwd`` (or
        ``cd DIR; pwd``) and ``realpath DIR`` / ``readlink -f DIR`` of such a folder."""
        cmds = [c.named_children[0] if c.type == "redirected_statement" and c.named_children else c
                for c in node.named_children if c.type != "comment"]
        if len(cmds) == 1 and cmds[0].type == "list":
            cmds = [c.named_children[0] if c.type == "redirected_statement" and c.named_children else c
                    for c in cmds[0].named_children]
        if not cmds or any(c.type != "command" for c in cmds):
            return None
        heads = [_head(c) for c in cmds]
        args = _operands(cmds[0])
        if len(args) != 1:
            return None
        if heads == ["dirname"]:
            ref = _script_ref(args[0])
            return self.here_mark(node, ref) if ref else None
        if heads in (["realpath"], ["readlink"], ["cd", "pwd"]):
            value = self.joined(args[0])
            return value if value.text and is_here(value.text[0]) else None
        return None


# The key a value carries (as a contested statement's, ``bashforks``) when it was chosen by
# whether a variable of unknown state is set: ``M=${1:-debug}`` in a script run without
# known arguments is "debug" only perhaps, so no test is decided on it. A key of the same
# shape as a statement's (file, byte) that names none: keys are sorted together
UNSURE = (-1, -1)


def _positional(name: str) -> bool:
    """``$1``…, ``$@``, ``$*``, ``$#`` (``$0`` is the script's name, not an argument)."""
    return (name.isdigit() and name != "0") or name in ("@", "*", "#")


def _elements(values: list[PStr], separate: bool, quoted: bool) -> list:
    """Array elements (or arguments): separate words for ``"…[@]"``, else joined by blanks."""
    out: list = []
    for k, el in enumerate(values):
        if k:
            out.append((BREAK, quoted) if separate else (PStr.synth(" "), quoted))
        out.append((el, quoted))
    return out


def is_at(node) -> bool:
    """``$@`` / ``${@}`` / ``${ARR[@]}``."""
    if node.type not in ("simple_expansion", "expansion"):
        return False
    for ch in node.named_children:
        if ch.type == "special_variable_name":
            return ch.text == b"@"
        if ch.type == "subscript":
            return len(ch.named_children) > 1 and ch.named_children[1].text == b"@"
    return False


def _head(cmd) -> str:
    name = cmd.child_by_field_name("name")
    return name.text.decode(errors="replace") if name is not None else ""


def _operands(cmd) -> list:
    """The arguments of a command that are not options (``--``, ``-f``, ``-P``)."""
    return [a for a in cmd.named_children if a.type not in ("command_name", "file_redirect", "herestring_redirect")
            and not (a.type == "word" and a.text.startswith(b"-"))]


def _script_ref(node) -> str | None:
    """``$0``, ``"$0"``, ``${BASH_SOURCE[0]}``, ``"$BASH_SOURCE"``: which name it uses."""
    if node.type == "string" and len(node.named_children) == 1:
        node = node.named_children[0]
    if node.type not in ("simple_expansion", "expansion"):
        return None
    kids = [c for c in node.children if c.type not in ("$", "${", "}")]
    if len(kids) != 1:
        return None
    k = kids[0]
    if k.type == "subscript":
        base = k.named_children[0].text.decode(errors="surrogateescape") if k.named_children else ""
        index = k.named_children[1].text if len(k.named_children) > 1 else b"0"
        return base if base == "BASH_SOURCE" and index == b"0" else None
    name = k.text.decode(errors="replace")
    return name if name in _SCRIPT_NAMES else None


def _split_keep(p: PStr) -> list:
    """Unquoted text split on blanks; BREAK marks each boundary."""
    if not _BLANK.search(p.text):
        return [p] if p.text else []
    return [BREAK if m.group()[0] in " \t\n" else p[m.start():m.end()] for m in _BLANKS_OR_WORD.finditer(p.text)]


_BLANK = re.compile(r"[ \t\n]")
# what the text of an expansion inside a string may start with when tree-sitter-bash starts it
# before its `$` (blanks; a backquoted comment or a last backslash, read as blanks: ``bashtree``)
_MAY_LEAD = frozenset(" \t`\\")
_BLANKS_OR_WORD = re.compile(r"[ \t\n]+|[^ \t\n]+")


def _dq_unescape(p: PStr) -> PStr:
    """Inside double quotes: ``\\`` before ``"``, ``\\``, ``$``, a backquote or a newline
    escapes it (a line continuation is removed); any other backslash is itself."""
    parts, i, t = [], 0, p.text
    while i < len(t):
        j = t.find("\\", i)
        if j < 0:
            parts.append(p[i:])
            break
        if j > i:
            parts.append(p[i:j])
        if j + 1 < len(t) and t[j + 1] in _DQ_ESCAPABLE:
            if t[j + 1] != "\n":
                parts.append(PStr(t[j + 1], (p.starts[j],), (p.ends[j + 1],)))
            i = j + 2
        else:
            parts.append(p[j:j + 1])
            i = j + 1
    return PStr.join(parts) if parts else p
