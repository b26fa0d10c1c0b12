"""The branches of an ``if``/``case`` that the evaluation of ``wasmlint.bash`` did not follow
(a mixin of ``bash._Eval``, with ``bashcalls.Calls`` and ``bashwords.Words``).

Bash runs one branch of ``if``/``elif``/``else`` or ``case``; when the test cannot be
known here, each branch is possible. One evaluation goes on in the state of one branch
(``bash._Eval.alternatives``); a statement whose other branches leave other values is
*contested*, and the variables they set differently carry its key (``Eval.contests``),
as does every value made from them (``A="$B -x"``), and every command whose words read
one (``Command.contests``; a function's commands take those of its call's words). A caller
that asks for it (``forks``: which commands it reads) gets, for each contested statement
such a command reads, one more evaluation per other branch (``forced``): those commands as
each branch makes them, labelled by the branch's test (libsodium's ``--standard`` and
``--sumo`` builds beside ``--tests``; a Dockerfile's ``if [ "$WITH_JSPI" = yes ]``
beside its ``else``, the base build, which keeps no label). A branch that ends in ``exit``
is not one the script goes on from; a missing ``else`` is not followed (the lone ``then``
of ``if [ -z "$X" ]; then X=default; fi`` is). A test whose words are all known is decided
(``bashtest``): bash runs that branch alone.
"""
from __future__ import annotations

from .bashrun import Command
from .bashstate import same_state
from .bashtree import branches
from .bashwords import WORDS

MAX_FORKS = 6            # evaluations of other branches, per text
# contested statements one value keeps, the first in the script: the forks run at most
# MAX_FORKS branches, those of the first statements a command reads, so a value that depends
# on more (a variable set again by each of thousands of ``case`` statements) keeps what they
# can run, instead of a set that each statement copies whole (work growing with the square)
MAX_KEYS = 64
ELSE = "else branch"
LABEL_CHARS = 60


class Forks:
    def alternatives(self, node) -> None:
        """``if``/``elif``/``else`` and ``case``: the tests run in turn, then one branch
        runs. Every branch is read (its commands are seen), each from the state before
        the statement: what one branch sets or appends never reaches another. The script
        goes on in the state of the last branch that changes a variable, a function or
        ``$@`` and does not end in ``exit`` (the ``else`` or ``*)`` fallback when it does; a lone ``then`` branch
        when it is the only one, as in ``if [ -z "$X" ]; then X=default; fi``), or of the
        branch a fork evaluates (``forced``)."""
        tests, bodies = branches(node)
        for t in (t for clause in tests for t in clause):
            if t.type == "command_substitution":
                self.subshell(t)
            elif t.type in WORDS:
                self.substitutions(t)
            else:
                self.statement(t)
        decided = self.decided_branch(node, tests)      # bashtest: every word it compares is known
        if decided is not None:
            for st in bodies[decided] if decided >= 0 else ():
                self.statement(st)
            return
        before = self.state()
        if not self.branching:
            self.written.clear()        # what was written before this statement is compared by no one
        self.branching += 1
        outer = self.branch
        ends, exits, written, changing = [], [], [], []
        for k, body in enumerate(bodies):
            self.branch = (self.f.id, node.start_byte, k)
            if k:               # the first branch starts from ``before``, the state now
                self.restore(before)
            start = len(self.written)
            for st in body:
                self.statement(st)
            ends.append(self.state())
            written.append(set(self.written[start:]))
            exits.append(ends_in_exit(self.f, body))
            if not same_state(before, ends[-1], written[-1]):
                changing.append(k)
        self.branching -= 1
        self.branch = outer
        if not ends:
            self.restore(before)
            return
        going_on = [k for k in changing if not exits[k]]      # a branch that exits leaves nothing after it
        default = (going_on or changing or [0])[-1]
        chosen = self.followed(node, ends, exits, default, written)
        changed = chosen != default or not same_state(before, ends[chosen], written[chosen])
        self.restore(ends[chosen] if changed else before)
        self.contest(node)

    def fork_reset(self, forced: dict | None) -> None:
        self.forced = forced or {}               # statement key -> the branch to follow
        self.contests = self.table()            # variable -> keys of statements its value depends on
        self.reading: set = set()               # contested keys read by the words being expanded
        self.context: frozenset = frozenset()   # those of the calls being run (their arguments)
        self.contested: dict = {}               # statement key -> (file, node, branch followed, other branches)

    def note_read(self, name: str) -> None:
        c = self.contests.get(name)
        if c:
            self.reading |= c

    def read_since(self, saved: set) -> frozenset:
        """The contested keys read since ``saved`` was put aside; the reading goes on with both."""
        got = _first(frozenset(self.reading))
        saved |= got            # in place: the keys read before, at the top of a long script, are many
        self.reading = saved
        return got

    def mark(self, name: str, got: frozenset) -> None:
        """An assignment of ``name`` from values that read ``got``."""
        got = _first(got | self.context)
        if got or name in self.contests:
            self.contests[name] = got

    def followed(self, node, ends: list, exits: list[bool], default: int, written: list[set]) -> int:
        """The branch to go on from (``default``, unless forced), and, when the others leave other
        variables, the statement marked contested."""
        key = (self.f.id, node.start_byte)
        chosen = self.forced.get(key, default)
        if not 0 <= chosen < len(ends) or exits[chosen]:
            chosen = default
        if key in self.forced:          # a fork: what the branch it evaluates sets depends on it
            self._differ = list(written[chosen])
            return chosen
        others = [k for k, st in enumerate(ends) if k != chosen and not exits[k]
                  and not same_state(ends[chosen], st, written[k] | written[chosen])]
        if not others:
            return chosen
        prev = self.contested.get(key)
        self.contested[key] = (self.f, node, chosen, sorted(set(others) | set(prev[3] if prev else ())))
        names = set().union(*(written[k] for k in others), written[chosen])
        vars_ = [ends[k][0] for k in others]
        mine = ends[chosen][0]
        self._differ = [n for n in names if any(v.get(n) is not mine.get(n) for v in vars_)]
        return chosen

    def contest(self, node) -> None:
        """After the state of the followed branch is restored: the variables the others set
        otherwise depend on this statement."""
        differ, self._differ = getattr(self, "_differ", ()), ()
        key = (self.f.id, node.start_byte)
        for n in differ:
            old = self.contests.get(n, frozenset())
            full = len(old) >= MAX_KEYS and key > max(old)      # later than all it keeps: no place
            self.contests[n] = old if full else _first(old | {key})


def _first(keys: frozenset) -> frozenset:
    """The ``MAX_KEYS`` first statements of ``keys`` (all when there are no more)."""
    return keys if len(keys) <= MAX_KEYS else frozenset(sorted(keys)[:MAX_KEYS])


def run_forks(ev, env, on, label, root, forks, out, budget_left: int) -> int:
    """After the run that followed one branch of each statement: the commands ``forks`` asks
    for that read a contested statement, as each of its other branches makes them (one more
    run a branch, at most ``budget_left``), each labelled by the branch it took."""
    chosen = ev.contested
    keys = [k for k in wanted(ev.commands, forks) if k in chosen]
    if not keys:
        return 0
    for c in ev.commands:       # the ``else`` followed is the base build: no label
        names = [n for k in keys if k in c.contests
                 if (n := branch_label(chosen[k][0], chosen[k][1], chosen[k][2])) != ELSE]
        if names:
            c.variant = ", ".join(x for x in (c.variant, *names) if x)
    runs = 0
    for key in keys:
        f, node, _, others = chosen[key]
        for k in others:
            if runs >= budget_left:
                return runs
            runs += 1
            name = branch_label(f, node, k)
            ev.reset(env, on, ", ".join(x for x in (label, name) if x), forced={key: k})
            ev.statements(root)
            out.commands += [c for c in ev.commands if key in c.contests]
    return runs


def wanted(commands: list[Command], forks) -> list[tuple]:
    """The contested statements read by the commands ``forks`` asks for, in order."""
    out: dict = {}
    for c in commands:
        if c.contests and not c.in_substitution and forks([f.text for w in c.words for f in w.fields]):
            for key in sorted(c.contests):
                out[key] = None
    return list(out)


def branch_label(file, node, k: int) -> str:
    """How a branch reads: its test (``if [ "$X" = yes ]``), ``else branch``, a ``case`` pattern."""
    if node.type == "case_statement":
        value = node.child_by_field_name("value")
        items = [c for c in node.named_children if c.type == "case_item"]
        pats = [file.name(c) for c in items[k].children if c.is_named and c.type != "comment"][:1] \
            if k < len(items) else []
        head = file.name(value) if value is not None else "case"
        text = f"{head} is {pats[0].split(')')[0]}" if pats else head
    else:
        clauses = [node] + [c for c in node.named_children if c.type in ("elif_clause", "else_clause")]
        tests = [_test_text(file, c) for c in clauses]
        clause = clauses[k] if k < len(clauses) else clauses[-1]
        if clause.type == "else_clause":
            return ELSE     # not the test's words: `else` of `if [ -n "$DEBUG" ]` is no debug build
        else:
            text = ("elif " if clause.type == "elif_clause" else "if ") + tests[k]
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def _test_text(file, clause) -> str:
    parts = []
    for c in clause.children:
        if c.type == "then":
            break
        if c.is_named and c.type not in ("elif_clause", "else_clause", "comment"):
            parts.append(file.name(c))
    return " ".join(parts)


def ends_in_exit(file, body: list) -> bool:
    """A branch whose last statement is ``exit``: the script does not go on from it."""
    last = body[-1] if body else None
    if last is None or last.type != "command":
        return False
    name = last.child_by_field_name("name")
    return name is not None and file.name(name) == "exit"
