"""A shell text of simple commands of plain words, evaluated without a parse.

Most texts ``bash.evaluate`` is given are one command of literal words: a Makefile
recipe line after Make expansion (``emcc -O3 -sINITIAL_MEMORY=64MB -o t0.js t0.c``), a
workflow's ``run: cargo build --target wasm32-unknown-unknown``, a Procfile's ``web: node
server.js``, ``NODE_OPTIONS=--expose-gc node s.js``). Bash reads such a text as its words
split at blanks: no quote, escape, expansion, glob, brace, tilde, comment, operator or
redirection can occur in it. Its leading ``NAME=value`` words are the command's environment
prefix; the word after them names no keyword, no builtin the evaluator follows (``cd``,
``source``, ``set``, ``exec``…), no shell and no path (a script it would read). Its one
command is then what the evaluator's walk would make of it (``Eval.command``): each word
one field, its own text; each prefix an exported binding of its value word; the environment
given, exported; nothing read, nothing contested. So are such commands joined by ``&&``, ``||``, ``|`` or ``;`` (a package.json script, a
workflow step): the walk reads a list or a pipeline as its commands in turn; and lines of them
(a heredoc's script, a ``run: |`` block), the statements of a script in turn. Parsing them
(tree-sitter, then the walk) cost a third of each of a Makefile's 2,319 links.

Only ``&&`` and ``||`` nest: tree-sitter-bash reads ``a && b && c`` as a list inside a list, as
deep as the chain is long, while a pipeline (``a | b | c``) and the commands of a line split by
``;`` are the children of one node. A line holds at most ``MAX_JOINED`` commands joined by
``&&``/``||`` (a longer chain stays the walk's, WL001 when too deep); its pipes and ``;`` are
not counted (a pipeline of 20,000 ``| tee`` was parsed and walked command by command). A line
may be of any length; a prefix value longer than a variable may hold is the walk's (unknown).
A line that ends in a backslash after a blank goes on on the next one (``emcc a.c \\``, then
``-o a.js``: a CI step's or a Dockerfile's long command), as bash joins them; a last one that
ends the text is a blank, as ``bashtree.parse_bytes`` reads it. A line whose first word starts with ``#`` is a comment (the script's ``#!`` line too): bash reads
nothing of it, the walk skips it.

A line that exports assignments (``export EMCC_CFLAGS=-O2 CC=emcc``) sets them, exported, as the
walk does (``Eval.declaration``); it is then the line's only statement (joined to commands, it
stays the walk's). Build scripts are such lines and commands (an ``export`` and a ``make`` per
target were walked at 30 µs a statement).
"""
from __future__ import annotations

import re

from .bashcalls import SHELLS
from .bashrun import Binding, Command, Run, Word
from .bashstate import Table
from .toolchain.pstr import UNKNOWN, PStr

# the characters of words bash takes literally wherever they are (blanks separate them)
# a blank: a space, a tab, or a line continuation after one (`-o a.js \`: bash removes the
# backslash and the newline; after a word character it would join two words into one)
_B = r"(?:[ \t]|(?<=[ \t])\\\n)"
_PLAIN = re.compile(rf"{_B}*(?:[A-Za-z0-9_./,:+@%^=-]+{_B}+)*[A-Za-z0-9_./,:+@%^=-]+{_B}*")
_WORD = re.compile(r"[^ \t\\\n]+")
_JOIN = re.compile(r"&&|\|\||\||;")     # the commands of a list or a pipeline run in turn
MAX_JOINED = 16         # commands joined by `&&` or `||` on a line, at most (they nest)
_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_SPECIAL_NAME = re.compile(r"_=")     # tree-sitter-bash reads `_=x` as a word (`_` is `$_`): walked
_HEAD = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.,:+@%^-]*")     # no `=` (an assignment), no `/` (a path)
# keywords, and builtins the evaluator follows or a parser reads otherwise
_SPECIAL = frozenset((
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do", "done",
    "in", "function", "time", "coproc", "cd", "pushd", "popd", "source", "shift", "set", "exec", "command",
    "eval", "export", "declare", "typeset", "readonly", "local", "unset", "test", "let", "alias", "builtin",
    "trap", "return", "exit", "break", "continue", "wait", "read", "getopts", "mapfile", "readarray",
    "shopt", "enable", "hash", "type", "ulimit", "umask",
)) | SHELLS


def plain_words(text: str, longest: int) -> list[tuple[list, list, bool]] | None:
    """When ``text`` is lines of plain commands joined by ``&&``, ``||``, ``|`` or ``;`` (see the
    module docstring; blank and comment lines aside), no prefix value longer than ``longest``, each command's
    prefix assignments (start, ``=``, end) and the character ranges of its words; else None."""
    global _last
    if _last[0] == longest and _last[1] == text:
        return _last[2]          # a script's evaluation and its syntax check read it once
    found = _plain_words(text, longest)
    _last = (longest, text, found)
    return found


_last: tuple = (None, None, None)


def _plain_words(text: str, longest: int) -> list[tuple[list, list, bool]] | None:
    if not text.isascii():
        return None
    out, start, end = [], 0, len(text)
    while start <= end:
        stop = text.find("\n", start)
        stop = end if stop < 0 else stop
        line = text[start:stop].lstrip(" \t")
        if line and line[0] != "#":       # a comment line (`#!/bin/sh`, `# build`) is nothing to bash
            while 0 < stop < end and text[stop - 1] == "\\":     # continued on the next line
                stop = text.find("\n", stop + 1)
                stop = end if stop < 0 else stop
            found = _line(text, start, stop, longest)
            if found is None:
                return None
            out += found
        start = stop + 1
    return out or None


def _line(text: str, start: int, end: int, longest: int) -> list[tuple[list, list, bool]] | None:
    """The plain commands of one line (``plain_words``)."""
    out, at, chained = [], start, 1
    for m in _JOIN.finditer(text, start, end):
        if m.end() - m.start() == 2:       # `&&`, `||`: one more command in the list
            chained += 1
            if chained > MAX_JOINED:
                return None   # a long chain is walked: it nests as deep as it is long (too deep: WL001)
        found = _one(text, at, m.start(), longest)
        if found is None:
            return None
        out.append(found)
        at = m.end()
    found = _one(text, at, end, longest)
    if found is None or (out and not all(words for _a, words, _e in out + [found])):
        return None           # assignments alone, joined to other commands: the walk's
    return out + [found]


def _one(text: str, start: int, end: int, longest: int) -> tuple[list, list, bool] | None:
    """A plain command's prefix assignments and words; or, for a statement of assignments
    alone (``A=1 B=2``, ``export A=1``: no words), those assignments and whether they are
    exported."""
    if _PLAIN.fullmatch(text, start, end) is None:
        return None
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    export = text.startswith("export", words[0][0]) and words[0][1] - words[0][0] == 6 and len(words) > 1
    k = first = int(export)
    while k < len(words) and _ASSIGN.match(text, words[k][0], words[k][1]) is not None:
        k += 1
    if any(_SPECIAL_NAME.match(text, i) for i, _j in words[first:k + 1]):
        return None           # `_=x`: a word to tree-sitter-bash
    if any(j - eq - 1 > longest for eq, j in ((text.index("=", i), j) for i, j in words[first:k])):
        return None           # a value longer than a variable may hold: the walk makes it unknown
    assigns = [(i, text.index("=", i), j) for i, j in words[first:k]]
    if k == len(words):
        # ``export A=1``: a statement that sets variables. Assignments alone (``A=1``) are the
        # walk's: tree-sitter-bash makes them the prefix of the next line's command, whose
        # range then starts there (``Eval.own_line`` sets them apart)
        return (assigns, [], True) if export else None
    head = text[words[k][0]:words[k][1]]
    if export or _HEAD.fullmatch(head) is None or head in _SPECIAL:
        return None
    return assigns, words[k:], False


def plain_run(source: PStr, found: list[tuple[list, list, bool]], env: dict[str, Binding] | None, root) -> Run:
    """The evaluation of ``source``, the plain commands ``plain_words`` found, in ``env``."""
    out = Run()
    given = env or {}
    vars_ = {}
    for name, b in given.items():
        if b.value is None:      # as ``Eval.reset``/``unknown_at``: unknown where the caller set it
            r = getattr(b.origin, "start", -1), getattr(b.origin, "end", -1)
            out.unknown_text.setdefault(r, f"${name}")
            b = Binding(b.name, PStr.spread(UNKNOWN, *r), b.rng, b.value_rng, True, origin=b.origin)
        vars_[name] = b
    exported = Table(vars_).frozen
    for prefixes, words, export in found:
        if not words:           # ``export A=1``
            for i, eq, j in prefixes:
                name = source.text[i:eq]
                b = Binding(name, source[eq + 1:j] if j > eq + 1 else PStr.synth(""), (i, j),
                            (eq + 1, j) if j > eq + 1 else (j, j), True)
                exported = exported.set(name, b)
                out.bindings.append(b)
            continue
        prefix = [Binding(source.text[i:eq], source[eq + 1:j] if j > eq + 1 else PStr.synth(""), (i, j),
                          (eq + 1, j) if j > eq + 1 else (j, j), True)
                  for i, eq, j in prefixes]
        env_now = exported.update({b.name: b for b in prefix}) if prefix else exported
        fields = [Word((i, j), False, [source[i:j]]) for i, j in words]
        start = prefixes[0][0] if prefixes else words[0][0]
        out.commands.append(Command(fields, prefix, env_now, (start, words[-1][1]), False, None, 0, "", frozenset()))
    out.files = [root]
    out.plain = True
    out.given = given
    return out
