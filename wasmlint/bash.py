"""Shell text as bash runs it, evaluated statically: the one walk over
tree-sitter-bash behind both views of a script, its node launches
(``shellparse``) and its emcc / cargo builds (``toolchain.shell_eval``).

The text is a ``PStr`` (a whole script, a package.json script decoded from JSON,
a Makefile recipe after Make expansion): every character keeps its position in
the file. Statements are evaluated in order: assignments (scalars, arrays,
``+=``), ``export``/``declare -x``/``local``, ``unset``, env prefixes, quoting and
field splitting (``wasmlint.bashwords``). Commands inside ``$(…)`` and ``( … )`` are
recorded; both run in a subshell, so what they assign, define or ``cd`` to does not
outlive them. Nothing is ever run.

Functions run where they are called, with their arguments as ``$1``…``"$@"``
(``shift``, ``set --`` and ``local`` as bash has them); a function that is never
called by name runs once where it is defined, its arguments unknown. With a
``reader``, ``. FILE``/``source FILE`` of a project file runs it in the caller's
scope (its variables and functions flow into the caller), and a project script
run as a command (``./build.sh -O3``, ``bash scripts/env.sh``) runs with its
arguments in a scope of its own that sees only exported variables; files are
read once, at most ``bashcalls.MAX_DEPTH`` deep, and never inside themselves. What is
found in another file keeps its place there: positions of the n-th file read
are ``n * STRIDE`` + its offset (``Run.files``), above every position the given text
uses (its own and its linked files', ``pstr.STRIDE`` apart: a Makefile recipe holding
a Dockerfile's ``ENV``), which all stay the text's.

A value is known, or holds ``UNKNOWN`` characters where the shell would put
text that cannot be known here (``$1`` of the script, ``$(…)``, a variable set
outside); each unknown keeps the source range and text of what produced it
(``Run.unknown_text``); a ``$(cmd …)`` the caller's ``substitute`` knows the output of
(``node file.js`` printing a constant) is that output, trailing newlines removed as
the shell does. A variable never assigned is unknown when expanded
(``$V``), absent for its default (``${V:-w}`` is ``w``), and, used only as a
``${V:+…}`` switch, it is a *variant*: with ``variants`` the script is evaluated
once per switch (ffmpeg.wasm's ``FFMPEG_ST``/``FFMPEG_MT``), else the switch is
unknown. A value longer than ``VALUE_LIMIT`` is unknown.

The branches of an ``if``/``case`` whose test is not known are alternatives: the evaluation
follows one (``alternatives``), and, for the commands a caller asks about (``forks``), the
others are evaluated too (``bashforks``).

Each command records the folder it runs in (``Command.cwd``, relative to where the
text starts): ``cd DIR`` and ``pushd DIR``/``popd`` move it, in sourced files and
functions too, and a ``( … )`` subshell, a ``$(…)`` or a script run as a command
gives it back when it ends (stockfish.wasm's ``cd engine && make ARCH=wasm``).
``Command.folder`` is that folder as the ``cd`` words say it, unknown parts kept
(``cd $DEPS/zlib``) and ``cd -`` back to OLDPWD: which of the script's folders a command
runs in when their place is not known (``toolchain.dependency_builds``).
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Callable

from . import budget
from .bashassign import VALUE_LIMIT, Assigns
from .bashcalls import Calls
from .bashforks import MAX_FORKS, Forks, run_forks, wanted
from .bashplain import plain_run, plain_words
from .bashrun import STRIDE, Binding, Command, Loaded, Reader, Run, Substitute, Word
from .bashstate import Table, moved, written_folder
from .bashtest import Tests
from .bashtree import ParsedText
from .bashwords import HERE, WORDS, Words, is_at
from .budget import ExpansionBudget
from .toolchain.pstr import UNKNOWN, PStr

MAX_SWITCHES = 6
_SKIP = frozenset(("comment", "test_command", "heredoc_body", "file_redirect", "heredoc_redirect",
                   "herestring_redirect", "variable_name"))
_REDIRECTS = frozenset(("file_redirect", "heredoc_redirect", "herestring_redirect"))



def evaluate(source: PStr, env: dict[str, Binding] | None = None, variants: bool = False,
             reader: Reader | None = None, root: Loaded | None = None,
             substitute: Substitute | None = None, forks: Callable[[list[str]], bool] | None = None) -> Run:
    """Commands and assignments of ``source`` in order (every variant's, with ``variants``;
    with ``forks``, those commands it asks for as each branch not followed makes them:
    ``bashforks``);
    ``env`` is the exported environment it starts with, ``reader`` finds project files
    (``root``: the file ``source`` is, when it is one), ``substitute`` knows what some
    commands print. The views of one text (its launches, ``shellparse``, and its builds,
    ``toolchain.shell_eval``) share an evaluation when nothing in it depends on what
    they ask differently (``Run.plain``; a ``reader`` no file was asked of; ``forks`` that
    would evaluate no branch not followed, ``_would_fork``): a script is evaluated once, not
    once a view."""
    given = _given_key(env)
    key = None if given is None else (budget.current(), source, root and (root.path, root.key, root.shell), given)
    memo = budget.file_memo("bash.evaluate")
    recent = _recent if memo is None else memo
    for r, v, sub, fk, run in recent.get(key, ()) if key is not None else ():
        if (r is reader or not run.reads) and ((v, sub, fk) == (variants, substitute, forks)
                                               or run.plain and not _would_fork(run, forks)):
            return run
    # commands of literal words: their words, without a parse (a line as long as VALUE_LIMIT is not)
    words = plain_words(source.text, VALUE_LIMIT)
    if words is not None:
        out = plain_run(source, words, env, root)
    else:
        out = _walk(source, env, variants, reader, root, substitute, forks)
    if key is not None:
        recent.setdefault(key, []).append((reader, variants, substitute, forks, out))
        while len(_recent) > RECENT:
            del _recent[next(iter(_recent))]
    return out


def _walk(source: PStr, env: dict[str, Binding] | None, variants: bool, reader: Reader | None,
          root: Loaded | None, substitute: Substitute | None, forks: Callable[[list[str]], bool] | None) -> Run:
    """``evaluate``'s work: the statements of ``source``'s tree, once per variant."""
    ev = _Eval(source, reader, root, substitute)
    file = ev.files[0]
    out = Run(error=ev.first_error(file.tree.root_node), unknown_text=ev.unknown_text)
    switches = ev.switches(file)
    runs = _variants(switches) if variants else [(None, None)]
    forked = 0
    for label, on in runs:
        ev.reset(env or {}, on, label)
        ev.statements(file.tree.root_node)
        out.commands += ev.commands
        out.bindings += ev.bindings
        if forks is not None:
            forked += run_forks(ev, env or {}, on, label, file.tree.root_node, forks, out, MAX_FORKS - forked)
    out.files = [f.loaded for f in ev.files]
    out.plain = ev.plain and not switches and not forked
    out.contested = frozenset(ev.contested)
    out.reads = ev.reads
    out.given = env or {}
    return out


def _would_fork(run: Run, forks: Callable[[list[str]], bool] | None) -> bool:
    """Whether ``forks`` would evaluate branches of ``run`` that it did not follow: a command
    it asks for reads a contested statement (``bashforks.run_forks``). Otherwise an evaluation
    with ``forks`` is ``run`` itself: a script's launch view (no forks) and its build view share
    one evaluation when no build command reads what an ``if``/``case`` sets otherwise."""
    return forks is not None and bool(run.contested) and any(k in run.contested for k in wanted(run.commands, forks))


def _given_key(env: dict[str, Binding] | None) -> tuple | None:
    """What of the environment given the evaluation depends on: each variable's value (where
    an unknown one is, for its unknown text); None when a value is an array (not compared)."""
    out = []
    for name, b in sorted((env or {}).items()):
        if isinstance(b.value, list):
            return None
        where = None if b.value is not None else (getattr(b.origin, "start", -1), getattr(b.origin, "end", -1))
        out.append((name, b.value, b.exported, where))
    return tuple(out)


RECENT = 4
# evaluations of texts with no environment given: the file's (``budget.file_memo``), else the last few
_recent: dict[tuple, list] = {}


def _variants(switches: list[str]):
    if not switches:
        return [(None, set())]
    if len(switches) == 1:
        return [(f"{switches[0]} set", {switches[0]}), (f"{switches[0]} unset", set())]
    return [(f"{s} set", {s}) for s in switches[:MAX_SWITCHES]]


class _Eval(Assigns, Calls, Words, Forks, Tests):
    def __init__(self, source: PStr, reader: Reader | None, root: Loaded | None,
                 substitute: Substitute | None = None):
        self.reader, self.substitute = reader, substitute
        self.unknown_text: dict[tuple[int, int], str] = {}
        self.files = [ParsedText(0, source, root)]
        self.by_key: dict[str, ParsedText] = {}
        self.f = self.files[0]
        self.plain = True          # nothing depends on ``variants`` or ``substitute`` (``Run.plain``)
        self.reads = False         # a project file was asked for (``Run.reads``)

    def reset(self, env: dict[str, Binding], on: set[str] | None, label: str | None,
              forced: dict | None = None) -> None:
        self.written: list[str] = []              # keys the tables were written (``Table.written``)
        self.fork_reset(forced)
        self.vars: Table = self.table({name: b if b.value is not None else
                                       Binding(b.name, self.unknown_at(b, name), b.rng, b.value_rng, True,
                                               origin=b.origin) for name, b in env.items()})
        self.exported = self.vars.copy()
        self.functions: Table = self.table()                    # name -> (ParsedText, body node)
        self.branching = 0                        # ``if``/``case`` statements being read
        self.branch: tuple | None = None          # the innermost branch being read (``Binding.branch``)
        self.called = set(self.files[0].called)
        self.args: list[PStr] | None = None       # positional parameters; None: the script's own, unknown
        self.frames: list[dict] = []              # per function call: what its ``local``s shadow
        root = self.files[0].loaded
        self.active: list[str] = [root.key] if root else []   # files being read (no file inside itself)
        self.script = 0                           # the file ``$0`` names
        self.calls = self.depth = 0
        self.on, self.label = on, label
        self.in_subst = False
        self.library = False                      # functions here run only when called: a sourced file, a dispatcher
        self.cwd: str | None = ""                 # the folder commands run in (``Command.cwd``)
        self.where: tuple = ("", None)            # that folder as written, and OLDPWD (``Command.folder``)
        self.assigned_budget = ExpansionBudget(len(self.files[0].src.text))   # values assigned, all told
        self.dirs: list[str | None] = []          # ``pushd``'s stack
        self.f = self.files[0]
        self.commands: list[Command] = []
        self.bindings: list[Binding] = []

    # positions -----------------------------------------------------------------
    def c(self, byte: int) -> int:
        return self.f.c(byte)

    def rng(self, node) -> tuple[int, int]:
        ch = self.f.ch
        if ch is None:             # ASCII: bytes are characters
            return node.start_byte, node.end_byte
        return ch[node.start_byte], ch[node.end_byte]

    def text(self, a: int, b: int) -> PStr:
        """Source text between two byte offsets."""
        ch = self.f.ch
        return self.f.src[a:b] if ch is None else self.f.src[ch[a]:ch[b]]

    def name(self, node) -> str:
        i, j = self.rng(node)
        return self.f.src.text[i:j]

    def _range(self, node) -> tuple[int, int]:
        return self.f.source_range(*self.rng(node))

    def unknown(self, node) -> PStr:
        """What ``node`` expands to when its value cannot be known here (one per reference
        of an unknown variable: ``rng``, ``_range`` and ``name`` in one)."""
        f = self.f
        ch = f.ch
        i, j = (node.start_byte, node.end_byte) if ch is None else (ch[node.start_byte], ch[node.end_byte])
        r = f.source_range(i, j)
        if r not in self.unknown_text:
            self.unknown_text[r] = f.src.text[i:j].lstrip(" \t")   # see Words.string
        return PStr(UNKNOWN, (r[0],), (r[1],))

    def unknown_at(self, b: Binding, name: str) -> PStr:
        """The value of an environment variable the caller does not know."""
        r = getattr(b.origin, "start", -1), getattr(b.origin, "end", -1)
        self.unknown_text.setdefault(r, f"${name}")
        return PStr.spread(UNKNOWN, *r)

    def here_mark(self, node, ref: str) -> PStr:
        """The folder of the script ``$0`` names, or (``BASH_SOURCE``) of this file."""
        r = self._range(node)
        self.unknown_text.setdefault(r, self.name(node))
        return PStr.spread(chr(HERE + (self.f.id if ref == "BASH_SOURCE" else self.script)), *r)

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

    def switches(self, file: "ParsedText") -> list[str]:
        """Variables used only as ``${V:+…}`` switches, never assigned, in the order of a
        right-to-left walk of the tree (the last one written first)."""
        assigned = {file.name(n) for n in file.assigned_names}
        used = []
        for n in sorted(file.expansions, key=lambda n: (-n.end_byte, n.start_byte)):
            ops = [ch.type for ch in n.children if not ch.is_named]
            names = [file.name(ch) for ch in n.children if ch.type == "variable_name"]
            if names and (":+" in ops or "+" in ops) and names[0] not in used:
                used.append(names[0])
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
        elif t == "function_definition":
            self.define(ch)
        elif t == "test_command":
            self.substitutions(ch)               # [ "$(node -p …)" = … ] runs node
        elif t in ("if_statement", "case_statement"):
            self.alternatives(ch)
        elif t == "subshell":                    # ( … ): what it sets, defines and cds to ends with it
            saved = self.state()
            self.statements(ch)
            self.restore(saved)
        elif t in WORDS or t in _SKIP:
            return
        else:
            self.statements(ch)

    def command(self, node) -> None:
        prefix: list[Binding] = []
        words: list[Word] = []
        kids = self.own_line(node.named_children)
        saved, self.reading = self.reading, set()
        for ch in kids:
            if ch.type == "variable_assignment":
                b = self.assign(ch, exported=True, prefix=True)
                if b is not None:
                    prefix.append(b)
            elif ch.type == "command_name":
                words += [self.word(w) for w in (ch.named_children or [ch])]
            elif ch.type not in _REDIRECTS and ch.type != "comment":
                words.append(self.word(ch))
        argv = [f for w in words for f in w.fields]
        contests = self.read_since(saved) | self.context
        head = argv[0].text if argv and argv[0].known else None     # a path may start at the script's folder
        if head in self.functions:
            outer, self.context = self.context, contests
            self.call(*self.functions[head], argv[1:], prefix)
            self.context = outer
            self.substitutions(node)
            return
        env = self.exported.frozen              # never changed: commands share it
        if prefix:
            env = env.update({b.name: b for b in prefix})
        self.commands.append(Command(words, prefix, env, self.rng(node), self.in_subst, self.label, self.f.id,
                                     self.cwd, contests, self.where[0]))
        self.substitutions(node)
        if head in ("cd", "pushd", "popd"):
            self.change_dir(head, argv[1:])
        elif head in (".", "source") and len(argv) > 1:
            self.source(argv[1], argv[2:] or None)
        elif head == "shift" and self.args is not None:
            n = argv[1].text if len(argv) > 1 else "1"
            self.args = self.args[int(n):] if n.isdigit() else self.args
        elif head == "set" and len(argv) > 1 and argv[1].text == "--":
            self.args = argv[2:]
        elif head is not None:
            self.run_script(argv[1:] if head in ("exec", "command") else argv, env)

    def change_dir(self, head: str, args: list[PStr]) -> None:
        """``cd DIR`` / ``pushd DIR`` / ``popd``: the folder the next commands run in."""
        if head == "popd":
            self.cwd = self.dirs.pop() if self.dirs else None
            self.where = (None, self.where[0])
            return
        args = [a for a in args if a.text not in ("-P", "-L", "--")]
        if head == "pushd":
            self.dirs.append(self.cwd)
        self.cwd = moved(self.cwd, args[0] if len(args) == 1 else None)
        self.where = written_folder(self.where, args[0] if len(args) == 1 else None)

    def own_line(self, kids: list) -> list:
        """``A=1 B=2`` ending its line is a statement of its own (tree-sitter-bash reads
        it as the prefix of the next line's command): those assignments are made here,
        and the rest of ``kids`` is the command."""
        k = 0
        while k < len(kids) and kids[k].type in ("variable_assignment", "comment"):
            k += 1
        cut = 0
        for j in range(1, min(k + 1, len(kids))):
            gap = self.f.src.text[self.c(kids[j - 1].end_byte):self.c(kids[j].start_byte)]
            if kids[j - 1].type == "comment" or "\n" in gap.replace("\\\n", ""):
                cut = j
        for ch in kids[:cut]:
            if ch.type == "variable_assignment":
                self.assign(ch, exported=False)
        return kids[cut:]

    def substitutions(self, node) -> None:
        """Commands inside ``$(…)`` and backquotes, run in a subshell: those below ``node``
        and inside no other below it, in order."""
        f, end = self.f, node.end_byte
        k = bisect_left(f.subst_starts, node.start_byte)
        while k < len(f.substs) and f.subst_starts[k] < end:
            ch = f.substs[k]
            if ch.end_byte > end or ch == node:
                k += 1              # ``node`` itself, or one that holds it
                continue
            self.subshell(ch)
            k = bisect_left(f.subst_starts, ch.end_byte, k + 1)

    def subshell(self, node) -> None:
        saved = self.vars, self.exported, self.in_subst, self.cwd, self.dirs, self.contests, self.where
        self.vars, self.exported, self.dirs = self.vars.copy(), self.exported.copy(), list(self.dirs)
        self.contests = self.contests.copy()
        self.in_subst = True
        self.statements(node)
        self.vars, self.exported, self.in_subst, self.cwd, self.dirs, self.contests, self.where = saved

    def table(self, content=()) -> Table:
        return Table(content, self.written)

    def state(self) -> tuple:
        return (self.vars.frozen, self.exported.frozen, self.functions.frozen, self.args, self.cwd, tuple(self.dirs),
                self.contests.frozen, self.where)

    def restore(self, state: tuple) -> None:
        # in place: a table saved whole (a subshell's, a call's) is put aside and replaced, never
        # written again, so the tables here are the evaluation's own (a write changes them too)
        vars_, exported, functions, self.args, self.cwd, dirs, contests, self.where = state
        self.vars.frozen, self.exported.frozen, self.functions.frozen = vars_, exported, functions
        self.dirs = list(dirs)
        self.contests.frozen = contests

    def open_file(self, loaded: Loaded) -> ParsedText:
        """A project file read by ``source`` or run, placed past the texts read so far."""
        return ParsedText(len(self.files), PStr.source(loaded.text, len(self.files) * STRIDE), loaded)

    # words -----------------------------------------------------------------------
    def word(self, node) -> Word:
        spread = node.type in ("simple_expansion", "expansion") or (
            node.type == "string" and len(node.named_children) == 1 and is_at(node.named_children[0]))
        return Word(self.rng(node), spread, self.fields(node))
