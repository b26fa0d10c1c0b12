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
from functools import lru_cache

from ..facts import Fact
from .makefile_expand import Expander, Var, split_words
from .pstr import STRIDE, UNKNOWN, LineIndex, LinkedIndex, PStr

MAX_VARIANTS = 8
MAX_INCLUDE_DEPTH = 8      # files included from included files
MAX_INCLUDED = 32          # files one Makefile includes, all variants together
INCLUDE_WORDS = ("include", "-include", "sinclude")
CONDITIONALS = ("ifdef", "ifndef", "ifeq", "ifneq")


@lru_cache(maxsize=1)
def _scanner():
    """The terminals of ``makefile_line.lark`` as lark's standard lexer tries them (by
    priority, then longest possible match, then longest pattern, then name), as one
    pattern: a line is scanned without a token object per match (lark's lexer made one,
    and a long Makefile spent more time there than in reading its lines)."""
    import re

    from lark import Lark

    from ..resources import grammar_text
    terminals = sorted(Lark(grammar_text("makefile_line.lark"), parser="lalr").terminals,
                       key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    return re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals))


@dataclass
class Line:
    text: PStr                 # the logical line (continuations joined, comment cut)
    recipe: bool = False       # starts with a tab (may be a recipe line)
    start: int = 0             # offset of the line in the file
    stripped: str = field(init=False, repr=False)   # its text without surrounding blanks
    word: str = field(init=False, repr=False)       # its first word ("" for a blank line)
    _shape: "Shape | None" = field(init=False, repr=False, default=None)
    _cond: tuple | None = field(init=False, repr=False, default=None)

    def __post_init__(self):
        # read once: every variant runs every line
        self.stripped = self.text.text.strip()
        self.word = self.stripped.split(None, 1)[0] if self.stripped else ""

    @property
    def shape(self) -> "Shape":
        """What the line is as a statement, read once for every variant (a tab-indented line
        outside a rule is read as an ordinary line)."""
        if self._shape is None:
            self._shape = Shape.of(_as_statement(self.text) if self.recipe else self.text)
        return self._shape

    @property
    def cond(self) -> tuple:
        """A conditional's test, read once: (``ifeq`` or another, its parsed arguments
        (``_cond_parts``), the names ``ifeq``'s arguments reference when each reference is a
        plain ``$(NAME)``); for ``else ifeq …`` the test after ``else``; else Nones."""
        if self._cond is None:
            text = self.stripped[4:].strip() if self.word == "else" else self.stripped
            word = text.split(None, 1)[0] if text else ""
            parts = _cond_parts(word, text[len(word):].strip()) if word in CONDITIONALS else None
            names = _plain_refs([p.text for p in parts]) if parts and word in ("ifeq", "ifneq") else None
            self._cond = (word, parts, names) if word in CONDITIONALS else (None, None, None)
        return self._cond


@dataclass
class Shape:
    """A logical line classified the way GNU make does, by its first operator or colon
    outside references; only what a variable changes is left to each variant."""

    text: PStr
    toks: tuple[tuple[str, int, int], ...]   # (kind, start, end) of each token of ``text``
    kind: str = ""             # assign | define | rule | target-var | export | "" (nothing to run)
    mods: list[str] = field(default_factory=list)   # `export`, `override` before a variable's name
    name: PStr | None = None   # the variable an assignment, target variable or `define` sets
    op: str = ""
    value: PStr | None = None  # assignments and target variables: the value, stripped
    refs: list[str] = field(default_factory=list)    # names an assignment's value references
    targets: PStr | None = None
    prereqs: PStr | None = None
    recipe: PStr | None = None  # a rule's recipe after `;`
    exports: list[str] = field(default_factory=list)  # `export A B`

    @classmethod
    def of(cls, text: PStr) -> "Shape":
        line, toks = text.text, _lexed(text.text)
        out = cls(text, toks)
        kinds = [t for t, _, _ in toks]
        first_op = next((i for i, t in enumerate(kinds) if t in ("OP", "COLON", "SEMI")), None)
        words = [line[a:b] for t, a, b in toks if t == "TEXT"]
        end = len(line)

        def head(lo: int, hi: int) -> None:       # modifiers and the name, before an operator
            parts = [(a, b) for t, a, b in toks[lo:hi] if t != "WS"]
            out.mods = [line[a:b] for a, b in parts[:-1]]
            out.name = text[parts[-1][0]:parts[-1][1]] if parts else PStr.synth("")

        if words and words[0] == "define":
            out.kind, out.name = "define", PStr.synth(words[-1] if len(words) > 1 else "")
            out.op = next((line[a:b] for t, a, b in toks if t == "OP"), "=")
        elif first_op is not None and kinds[first_op] == "OP":
            out.kind, out.op = "assign", line[toks[first_op][1]:toks[first_op][2]]
            head(0, first_op)
            out.value = text[toks[first_op][2]:end].strip()
            out.refs = _value_refs(line, toks[first_op + 1:])
        elif first_op is not None and kinds[first_op] == "COLON":
            out.targets = text[:toks[first_op][1]]
            rest = first_op + 1
            op = next((k for k in range(rest, len(toks)) if kinds[k] in ("OP", "SEMI")), None)
            if op is not None and kinds[op] == "OP":
                out.kind, out.op = "target-var", line[toks[op][1]:toks[op][2]]
                head(rest, op)
                out.value = text[toks[op][2]:end].strip()
            else:
                out.kind = "rule"
                out.prereqs = text[toks[first_op][2]:toks[op][1] if op is not None else end]
                if op is not None:
                    out.recipe = text[toks[op][2]:end]
        elif words and words[0] == "export" and len(words) > 1:
            out.kind, out.exports = "export", words[1:]
        return out

    def words(self) -> list[tuple[str, str]]:
        """(kind, text) of each token but blanks."""
        line = self.text.text
        return [(t, line[a:b]) for t, a, b in self.toks if t != "WS"]

    @property
    def includes(self) -> bool:
        """``include a.mk b.mk`` (also ``-include``, ``sinclude``), not an assignment or a rule
        that names a variable or target ``include``."""
        return not any(kind in ("OP", "COLON") for kind, _, _ in self.toks)


@dataclass
class Rule:
    targets: list[str]
    prereqs: PStr
    recipe: list[PStr] = field(default_factory=list)
    line: Line | None = None


def logical_lines(text: str) -> list[Line]:
    """Physical lines joined at ``\\``-newline. Outside recipes the backslash,
    newline and surrounding blanks become one space and ``#`` starts a comment."""
    lines: list[Line] = []
    i, n = 0, len(text)
    while i < n:
        recipe = text[i] == "\t"
        parts: list[PStr] = []
        j = i
        while True:
            end = text.find("\n", j)
            end = n if end < 0 else end
            seg = text[j:end]
            backslashes = len(seg) - len(seg.rstrip("\\"))
            cont = backslashes % 2 == 1 and end < n
            if recipe:
                body = PStr.source(seg if not cont else seg, j)
                parts.append(body + (PStr.source("\n", end) if cont else PStr.synth("")))
                j = end + 1
                if cont and j < n and text[j] == "\t":
                    j += 1
            else:
                body = seg[:-1].rstrip() if cont else seg
                parts.append(PStr.source(body, j))
                j = end + 1
                if cont:
                    while j < n and text[j] in " \t":
                        j += 1
                    parts.append(PStr.synth(" "))
            if not cont:
                break
        joined = PStr.join(parts)
        if not recipe:
            joined = _cut_comment(joined)
        lines.append(Line(joined, recipe, i))
        i = j
    return lines


def _cut_comment(p: PStr) -> PStr:
    t, k, depth = p.text, 0, 0
    if "#" not in t:
        return p
    while k < len(t):
        c = t[k]
        if c == "\\" and k + 1 < len(t):
            k += 2
            continue
        if c == "$" and k + 1 < len(t) and t[k + 1] in "({":
            depth += 1
        elif c in ")}" and depth:
            depth -= 1
        elif c == "#" and depth == 0:
            return p[:k]
        k += 1
    return p


def _as_statement(p: PStr) -> PStr:
    """A tab-indented line outside a rule is an ordinary line: rejoin it so."""
    parts, t, k, start = [], p.text, 0, 0
    while k < len(t):
        if t[k] == "\\" and k + 1 < len(t) and t[k + 1] == "\n":
            parts += [p[start:k].strip() if not parts else p[start:k], PStr.synth(" ")]
            k += 2
            while k < len(t) and t[k] in " \t":
                k += 1
            start = k
        else:
            k += 1
    parts.append(p[start:])
    return _cut_comment(PStr.join(parts))


@lru_cache(maxsize=4096)
def _lexed(text: str) -> tuple[tuple[str, int, int], ...]:
    """A line's tokens (each line's ``Shape`` keeps them for every variant; this cache serves
    the lines every Makefile including a file reads again)."""
    out, at = [], 0
    for m in _scanner().finditer(text):
        if m.start() != at:
            return ()          # a character no terminal matches (``$`` ending the line): as lark, no tokens
        out.append((m.lastgroup, at, m.end()))
        at = m.end()
    return tuple(out) if at == len(text) else ()


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
        self.project = None       # project_files.ProjectFiles: where included files are read
        self.included: dict[str, tuple[int, list[Line]] | None] = {}   # rel → (slot, lines)
        self.reads_left = MAX_INCLUDED
        self._assigned_from: set[str] | None = None
        self.assigned_now: set[str] = set()   # what the assignments of the variant being run reference

    def words(self) -> list[str]:
        """Every word of the file outside comments."""
        # lines outside recipes lost their comments when they were joined
        return [w for line in self.lines for w in (_cut_comment(line.text) if line.recipe else line.text).text.split()]

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
        lines were there; names are relative to the folder make runs in (the Makefile's), and
        each joins ``MAKEFILE_LIST``. A name not known, outside the project or not readable
        is passed over (``-include`` does so in make too)."""
        out = []
        if self.project is None or depth >= MAX_INCLUDE_DEPTH:
            return out
        for word in split_words(ex.expand(PStr.synth(names))):
            name = word.text
            rel = self.project.resolve(self.project.rel_dir, name) if word.known else None
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
            rule = Rule(targets, shape.prereqs)
            if shape.recipe is not None:
                rule.recipe.append(shape.recipe)
            rules.append(rule)
            return rule
        if kind == "export":
            ex.exported.update(shape.exports)
        return current


def _value_refs(line: str, toks) -> list[str]:
    """The variable names an assignment's value tokens (of ``line``) reference."""
    return [n for kind, a, b in toks if kind == "REF" for n in _ref_names(line[a:b])]


def _ref_names(ref: str) -> list[str]:
    """The variable names in a reference's text: ``$(A)`` → A, ``$(subst x,y,$(B))`` → B."""
    out, k = [], ref.find("$")
    while k >= 0 and k + 1 < len(ref):
        if ref[k + 1] in "({":
            j = k + 2
            while j < len(ref) and ref[j] not in " \t:)}$,":
                j += 1
            if j < len(ref) and ref[j] in ":)}" and j > k + 2:
                out.append(ref[k + 2:j])
        k = ref.find("$", k + 1)
    return out


def _is_directive(stripped: str) -> bool:
    return stripped.split(None, 1)[0] in CONDITIONALS + ("else", "endif") \
        if stripped else False


def _cond_parts(word: str, body: str) -> tuple[PStr, ...] | None:
    """What a conditional tests: ``ifdef``'s name, or ``ifeq``'s two arguments."""
    if word in ("ifdef", "ifndef"):
        return (PStr.synth(body),)
    args = _cond_args(body)
    return None if args is None else tuple(PStr.synth(x) for x in args)


def _plain_refs(texts: list[str]) -> tuple[str, ...] | None:
    """The names referenced in ``texts`` when every ``$`` starts a plain ``$(NAME)`` or
    ``${NAME}`` (no function, substitution, nesting or ``$$``), and there is one; else None."""
    names = []
    for t in texts:
        k = t.find("$")
        while k >= 0:
            close = {"(": ")", "{": "}"}.get(t[k + 1:k + 2])
            end = t.find(close, k + 2) if close else -1
            inner = t[k + 2:end]
            if end < 0 or not inner or any(c in inner for c in " \t$:(){}=,#"):
                return None
            names.append(inner)
            k = t.find("$", end)
    return tuple(names) or None


def _cond_args(body: str) -> tuple[str, str] | None:
    """``(a,b)`` or ``"a" "b"`` / ``'a' 'b'``."""
    if body.startswith("("):
        depth, split = 0, None
        for k, c in enumerate(body):
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            elif c == "," and depth == 1 and split is None:
                split = k
        if split is None or not body.rstrip().endswith(")"):
            return None
        return body[1:split], body[split + 1:body.rstrip().rfind(")")]
    parts = body.split()
    if len(parts) == 2 and all(p[:1] in "'\"" and p[-1:] == p[:1] for p in parts):
        return parts[0][1:-1], parts[1][1:-1]
    return None


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
    if uses_tool_vars(words):
        wrapped = find_wrapper(project, project.rel_dir if project is not None else ".", path.rsplit("/", 1)[-1])
        if wrapped is not None:
            reader.env = wrapped.env
            linked = list(wrapped.linked)
        elif carries_emcc_settings(words):
            reader.env = wrapper_env()
    if project is not None:
        rel = posixpath.join(project.rel_dir, path.rsplit("/", 1)[-1])
        reader.runs, run_files = project_runs(project, posixpath.normpath(rel), len(linked) + 1)
        linked += run_files
    if linked:
        reader.index = LinkedIndex(text, path, linked)
    return facts_of(reader, **kw)
