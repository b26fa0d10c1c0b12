"""Makefiles → emcc link facts, with positions through every expansion.

Why lark and not tree-sitter-make: the tree-sitter grammar reads a
tab-indented assignment inside ``ifdef``/``ifeq`` outside any rule (pyodide's
Makefile.envs does this throughout) as a recipe line, and leaves every value
as opaque text that must be re-lexed anyway to expand ``$(VAR)`` with
positions. So a logical line (continuations joined, comments cut) is lexed by
``grammars/makefile_line.lark`` (nested references, operators, colons) and
classified the way GNU make does: by its first operator or colon outside
references. Supported: ``=`` ``:=`` ``::=`` ``+=`` ``?=`` (``!=`` is unknown),
``export``/``override``, target- and pattern-specific variables, ``define``,
``$(VAR)``/``${VAR}``/``$X``/``$(VAR:a=b)``/``$(strip …)``/``$(subst …)``,
automatic ``$@ $< $^``, recipes (with ``;`` and tab lines) evaluated by the
shell evaluator, ``include``/``-include`` of project files (read where the directive
stands, names relative to the Makefile's folder, ``MAKEFILE_LIST`` kept). Conditionals on variables the file does not set become
variants: the base (every such condition false) plus one per condition. When the
project runs the file (``make node``, ``make ARCH=wasm``, see ``make_runs``), its
command lines replace those guesses: each one with command-line variables is a
variant, and a branch that none of them selects is not built.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ..facts import Fact
from .makefile_expand import Expander, Var, split_words
from .makefile_lines import CONDITIONALS, Line, Shape, _cut_comment, _value_refs, logical_lines
from .pstr import STRIDE, UNKNOWN, LineIndex, LinkedIndex, PStr

MAX_VARIANTS = 8
MAX_INCLUDE_DEPTH = 8      # files included from included files
MAX_INCLUDED = 32          # files one Makefile includes, all variants together
INCLUDE_WORDS = ("include", "-include", "sinclude")


@dataclass
class Rule:
    targets: list[str]
    prereqs: PStr
    recipe: list[PStr] = field(default_factory=list)
    line: Line | None = None
    needs: PStr | None = None    # the prerequisites as make reads them: expanded where the rule stands


@dataclass
class Parsed:
    """Every variant of a Makefile: its variables, rules and target variables."""

    label: str | None
    vars: dict[str, Var]
    rules: list[Rule]
    target_vars: dict[str, dict[str, Var]]
    assigned_from: set[str] = field(default_factory=set)    # names the assignments it ran reference


class MakeReader:
    def __init__(self, text: str, path: str, env: dict[str, PStr] | None = None):
        self.index = LineIndex(text, path)
        self.lines = logical_lines(text)
        self.name = posixpath.basename(path)
        self.env = env or {}      # the environment make runs in (exported, below the file's own)
        self.runs: list = []      # make_runs.MakeRun: command lines of the project that run it
        self.run_goals: list = []     # the goals of each of them (``project_runs``)
        self.project = None       # project_files.ProjectFiles: where included files are read
        self.cwd: str | None = None   # the folder make runs in, when not the file's own (``run_folder``)
        self.included: dict[str, tuple[int, list[Line]] | None] = {}   # rel → (slot, lines)
        self.reads_left = MAX_INCLUDED
        self._assigned_from: set[str] | None = None
        self.assigned_now: set[str] = set()   # what the assignments of the variant being run reference
        self.scans: dict[str, object] = {}    # what a scan of the file's lines found, for every variant

    def words(self, but_literal_emcc: bool = False) -> list[str]:
        """Every word of the file outside comments; with ``but_literal_emcc``, not those of
        recipe lines that run emcc by name (their ``-s`` settings are that command's own)."""
        # lines outside recipes lost their comments when they were joined
        out = []
        for line in self.lines:
            words = (_cut_comment(line.text) if line.recipe else line.text).text.split()
            if but_literal_emcc and line.recipe and _runs_emcc_by_name(words):
                continue
            out += words
        return out

    def scan(self, name: str, make):
        """``make()``, once for the file: a scan of its lines that no variant changes."""
        if name not in self.scans:
            self.scans[name] = make()
        return self.scans[name]

    def assigned_from(self) -> set[str]:
        """The variables the file's own assignments reference in their values, in every
        branch of its conditionals (``Parsed.assigned_from``: in the branches one variant takes)."""
        if self._assigned_from is not None:
            return self._assigned_from
        out: set[str] = set()
        for line in self.lines:
            toks = line.shape.toks if not line.recipe else ()
            first = next((k for k, (kind, _, _) in enumerate(toks) if kind in ("OP", "COLON")), None)
            if first is not None and toks[first][0] == "OP":
                out.update(_value_refs(line.shape.text.text, toks[first + 1:]))
        self._assigned_from = out
        return out

    def variants(self) -> list[Parsed]:
        labels: list[tuple[str | None, set[int], dict]] = [(None, set(), {})]
        if self.runs:             # the project's own command lines say how it is built: no guesses
            with_vars = [run for run in self.runs if run.variables]     # a plain `make` is the base
            labels += [(run.label, set(), run.variables) for run in with_vars[:MAX_VARIANTS - 1]]
        else:
            labels += [(label, {k}, {}) for k, label in self._switches()[:MAX_VARIANTS - 1]]
        return [self._run(label, on, cmdline) for label, on, cmdline in labels]

    def as_written(self) -> Parsed:
        """The file as it reads with no variable from outside: its first variant alone."""
        return self._run(None, set(), {})

    def _switches(self) -> list[tuple[int, str]]:
        """Conditionals (by line number) that test a variable this file never sets."""
        assigned, conds = set(), []
        for k, line in enumerate(self.lines):
            toks = line.shape.words() if not line.recipe else []
            if not toks:
                continue
            kinds = [t[0] for t in toks]
            if "OP" in kinds:
                head = [t[1] for t in toks[:kinds.index("OP")] if t[0] == "TEXT"]
                if head:
                    assigned.add(head[-1])
            if toks[0][1] in CONDITIONALS:
                conds.append((k, line.text.text.strip()))
        out = []
        for k, label in conds:
            names = [w.strip("()$,{} ") for w in label.split()[1:]]
            if not any(n in assigned for n in names):
                out.append((k, label))
        return out

    def _run(self, label: str | None, on: set[int], cmdline: dict[str, tuple[str, PStr]]) -> Parsed:
        ex = Expander()
        for name, value in self.env.items():
            ex.vars[name] = Var(name, "simple", value, exported=True)
            ex.exported.add(name)
        for name, (op, value) in cmdline.items():     # above the environment and the file
            ex.vars[name] = ex.make_var(name, op if op in (":=", "::=", ":::=") else "=", value, None)
            ex.vars[name].exported = True
            ex.exported.add(name)
        ex.cmdline = set(cmdline)
        ex.vars.setdefault("MAKEFILE_LIST", Var("MAKEFILE_LIST", "simple", PStr.synth(self.name)))
        rules: list[Rule] = []
        target_vars: dict[str, dict[str, Var]] = {}
        self.reads_left = MAX_INCLUDED       # files read in, this variant (a file may include itself)
        self.assigned_now: set[str] = set()
        self._exec(self.lines, ex, on, rules, target_vars, 0)
        return Parsed(label, ex.vars, rules, target_vars, self.assigned_now)

    def _exec(self, lines: list[Line], ex: Expander, on: set[int], rules, target_vars, depth: int) -> None:
        """Run the lines of one file (the Makefile, or a file it includes: ``on`` is only the
        Makefile's) into ``ex``, ``rules`` and ``target_vars``."""
        stack: list[tuple[bool, bool]] = []     # (this branch active, a branch was taken)
        inactive = 0                            # branches of the stack not taken
        current: Rule | None = None
        in_define: tuple[str, list[PStr], PStr] | None = None
        for k, line in enumerate(lines):
            active = not inactive
            text = line.text
            stripped = line.stripped
            if in_define is not None:
                if stripped == "endef":
                    name, body, op = in_define
                    if active:
                        lines = [x for k2, b in enumerate(body) for x in ((PStr.synth("\n"), b) if k2 else (b,))]
                        ex.assign(name, op.text or "=", PStr.join(lines) if lines else PStr.synth(""), False)
                    in_define = None
                else:
                    in_define[1].append(text)
                continue
            if line.recipe and current is not None and not _is_directive(stripped):
                if active:
                    current.recipe.append(text[1:])
                continue
            word = line.word
            if word in CONDITIONALS:
                cond = self._cond(ex, *line.cond, depth == 0 and k in on) if active else False
                stack.append((cond, cond))
                inactive += not cond
                continue
            if word == "else" and stack:
                was, taken = stack[-1]
                if line.cond[0] is not None:
                    cond = (not taken) and self._cond(ex, *line.cond, False)
                    stack[-1] = (cond, taken or cond)
                else:
                    stack[-1] = (not taken, True)
                inactive += (not stack[-1][0]) - (not was)
                continue
            if word == "endif" and stack:
                inactive -= not stack.pop()[0]
                continue
            if not stripped or not active:
                continue
            shape = line.shape
            if word in INCLUDE_WORDS and shape.includes:
                for inc in self._includes(ex, shape.text.text.strip()[len(word):], depth):
                    self._exec(inc, ex, on, rules, target_vars, depth + 1)
                current = None
                continue
            current = self._statement(ex, shape, rules, target_vars, current)
            if isinstance(current, tuple):
                in_define, current = current, None

    def _includes(self, ex: Expander, names: str, depth: int) -> list[list[Line]]:
        """make's ``include``: each named file is read where the directive stands, as if its
        lines were there; names are relative to the folder make runs in (the Makefile's, or
        the one every run of the project starts it in: ``run_folder``), and
        each joins ``MAKEFILE_LIST``. A name not known, outside the project or not readable
        is passed over (``-include`` does so in make too)."""
        out = []
        if self.project is None or depth >= MAX_INCLUDE_DEPTH:
            return out
        for word in split_words(ex.expand(PStr.synth(names))):
            name = word.text
            rel = self.project.resolve(self.cwd or self.project.rel_dir, name) if word.known else None
            got = self._included_lines(rel) if rel is not None and self.reads_left > 0 else None
            if got is None:
                continue
            self.reads_left -= 1
            listed = ex.vars["MAKEFILE_LIST"].value.text if "MAKEFILE_LIST" in ex.vars else self.name
            ex.vars["MAKEFILE_LIST"] = Var("MAKEFILE_LIST", "simple", PStr.synth(f"{listed} {name}"))
            out.append(got)
        return out

    def _included_lines(self, rel: str) -> list[Line] | None:
        """The logical lines of an included project file, at offsets of its own linked slot
        of ``index`` (spans land in the file that wrote them)."""
        if rel not in self.included:
            text = self.project.read(rel) if len(self.included) < MAX_INCLUDED else None
            if text is None:
                self.included[rel] = None
            else:
                if not isinstance(self.index, LinkedIndex):
                    self.index = LinkedIndex(self.index.text, self.index.path)
                self.index.linked += (LineIndex(text, self.project.shown(rel)),)
                base = len(self.index.linked) * STRIDE
                self.included[rel] = (base // STRIDE, [Line(x.text.shifted(base), x.recipe, x.start + base)
                                                       for x in logical_lines(text)])
        got = self.included[rel]
        return got[1] if got is not None else None

    def include_slots(self) -> set[int]:
        """The linked slots of ``index`` that hold included files."""
        return {got[0] for got in self.included.values() if got is not None}

    def _cond(self, ex: Expander, word: str, parts: tuple[PStr, ...] | None, names, forced: bool) -> bool:
        if forced:
            return True
        if parts is None:
            return False
        if names and not any(n in ex.vars for n in names):
            return False     # every reference is to a variable not set: unknown text, no test (and nothing to expand)
        if word in ("ifdef", "ifndef"):
            var = ex.vars.get(ex.expand(parts[0]).text.strip())
            defined = var is not None and bool(var.value.text)
            return defined if word == "ifdef" else not defined
        a, b = (ex.expand(x).text.strip() for x in parts)
        if UNKNOWN in a or UNKNOWN in b:
            return False
        return (a == b) if word == "ifeq" else (a != b)

    def _statement(self, ex, shape: Shape, rules, target_vars, current):
        kind, mods = shape.kind, shape.mods
        if kind == "define":
            return (shape.name.text, [], PStr.synth(shape.op))
        if kind == "assign":
            name = ex.expand(shape.name).text
            ex.assign(name, shape.op, shape.value, "export" in mods, "override" in mods)
            self.assigned_now.update(shape.refs)
            return current
        if kind in ("target-var", "rule"):
            targets = [w.text for w in split_words(ex.expand(shape.targets))]
        if kind == "target-var":
            name = shape.name.text
            if name in ex.cmdline and "override" not in mods:
                return current          # the command line wins over target variables too
            for t in targets:
                target_vars.setdefault(t, {})[name] = ex.make_var(
                    name, shape.op, shape.value, target_vars.get(t, {}).get(name))
            return current
        if kind == "rule":
            # make expands a rule's prerequisites when it reads the rule (GNU make manual,
            # "How make Reads a Makefile": immediate context), with the values set above it
            rule = Rule(targets, shape.prereqs, needs=ex.expand(shape.prereqs))
            if shape.recipe is not None:
                rule.recipe.append(shape.recipe)
            rules.append(rule)
            return rule
        if kind == "export":
            ex.exported.update(shape.exports)
        return current


def _runs_emcc_by_name(words: list[str]) -> bool:
    """A recipe line whose command is ``emcc``/``em++`` written out (after make's ``@``/``-``
    prefixes and a ``cd x &&``)."""
    from .emcc import is_emcc
    for w in words:
        w = w.lstrip("@-+")
        if is_emcc(w):
            return True
        if w not in ("&&", ";", "cd") and not w.startswith(("$(", "${")) and "/" not in w:
            return False
    return False


def _is_directive(stripped: str) -> bool:
    return stripped.split(None, 1)[0] in CONDITIONALS + ("else", "endif") \
        if stripped else False


ASSIGNMENTS = ("=", ":=", "::=", "?=", "+=")


def _assigns_emcc(words: list[str]) -> bool:
    """The file sets a variable of its own to emcc/em++ (``CC_wasm = emcc``, ``EMCC:=em++``)."""
    from .emcc import is_emcc
    for k, w in enumerate(words):
        if w in ASSIGNMENTS and k + 1 < len(words) and is_emcc(words[k + 1]):
            return True
        name, op, value = next(((w[:w.index(a)], a, w[w.index(a) + len(a):]) for a in (":=", "?=", "+=", "=")
                                if a in w), ("", "", ""))
        if op and name and is_emcc(value or (words[k + 1] if k + 1 < len(words) else "")):
            return True
    return False


def makefile_facts(text: str, path: str, project=None, **kw) -> list[Fact]:
    """``project`` (``ProjectFiles``) lets the project show that make runs under emmake."""
    from .emcc_args import carries_emcc_settings
    from .emscripten_wrappers import find_wrapper, uses_tool_vars, wrapper_env
    from .makefile_facts import facts_of
    from .make_runs import project_runs
    reader = MakeReader(text, path)
    reader.project = project
    words = reader.words()
    linked = []
    wrapped = None
    if uses_tool_vars(words):
        wrapped = find_wrapper(project, project.rel_dir if project is not None else ".", path.rsplit("/", 1)[-1])
        if wrapped is not None:
            reader.env = wrapped.env
            linked = list(wrapped.linked)
        elif carries_emcc_settings(reader.words(but_literal_emcc=True)) and not _assigns_emcc(words):
            # the file's own flags are emcc's (not just those of a line that runs emcc by name,
            # nor of a compiler variable it sets to emcc itself: busytex's `CXX_wasm = em++` beside
            # `CXX_native = $(CXX)`, the host's compiler)
            reader.env = wrapper_env()
    if project is not None:
        rel = posixpath.join(project.rel_dir, path.rsplit("/", 1)[-1])
        reader.runs, run_files = project_runs(project, posixpath.normpath(rel), len(linked) + 1,
                                              goals=reader.run_goals)
        reader.cwd = run_folder(reader.runs, project.rel_dir)
        linked += run_files
    if linked:
        reader.index = LinkedIndex(text, path, linked)
    facts = facts_of(reader, **kw)
    if wrapped is not None and wrapped.goals is not None:
        facts = _links_the_goals_reach(reader, facts, wrapped.goals, kw)
    if project is not None:
        from .make_unbuilt import mark_unbuilt
        mark_unbuilt(reader, facts, text, rel, wrapped.goals if wrapped is not None else None)
    return facts


def run_folder(runs: list, own: str) -> str | None:
    """The folder make runs the file in, when the project runs it only from another one: make
    reads ``-f FILE`` and ``include`` names relative to its working directory, not the
    makefile's folder (GNU make manual, "Including Other Makefiles": a relative name is
    searched from the current directory), so ClassiCube's ``misc/makefiles/web.mk``, run as
    ``$(MAKE) -f misc/makefiles/web.mk`` by the top Makefile, includes
    ``misc/makefiles/common_build.mk`` from the top folder. None when no run is known or the
    runs start make in different folders (the file's own folder is taken)."""
    folders = {run.folder for run in runs}
    if len(folders) != 1:
        return None
    folder = folders.pop()
    return folder if folder != posixpath.normpath(own) else None


def _links_the_goals_reach(reader: MakeReader, facts: list[Fact], goals: frozenset[str], kw) -> list[Fact]:
    """The facts of a Makefile that ``emmake make GOALS`` runs: a link that only the wrapper's
    ``CC=emcc`` makes an emcc link (the file read without the wrapper has no such link) is
    left out, with its settings, when the goals do not reach its rule: make runs it with the
    host's compiler or not at all. A fragment that the Makefile make runs includes is read
    with that Makefile's rules (``make_includes.runner_rules``): the goals are targets there."""
    from .make_goals import link_reached, reached
    from .makefile_facts import facts_of
    links = [f for f in facts if f.kind == "emcc-invocation"]
    targets = reached(reader.as_written().rules, goals) if links else None
    if targets is None and links:       # a fragment: the goals are its includer's
        from .make_includes import runner_rules
        rules = runner_rules(reader)
        targets = reached(rules, goals) if rules is not None else None
    unreached = [f for f in links if not link_reached(f.rule, targets)] if targets is not None else []
    if not unreached:
        return facts
    # the file read again without the wrapper, only now that some link is left out: the
    # links it still makes are the file's own emcc links, which any goal's run makes
    env, reader.env = reader.env, {}
    native = facts_of(reader, **kw)
    reader.env = env
    key = (lambda f: (f.rule, f.span.path, f.span.line, f.span.column))
    own = {key(f) for f in native if f.kind == "emcc-invocation"}
    dropped = {f.span for f in unreached if key(f) not in own}
    return [f for f in facts if not (f.kind == "emcc-invocation" and f.span in dropped)
            and getattr(f, "link", None) not in dropped]
