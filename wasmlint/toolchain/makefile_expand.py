"""Make variable storage and ``$(…)`` expansion with positions kept.

Recursive (``=``) variables expand when used, simple ones (``:=``) when set;
an undefined variable or a function whose result depends on the outside
(``$(shell …)``, ``$(wildcard …)``) expands to ``UNKNOWN``.

GNU make defines the commands of its built-in rules as variables (``make -p``; the
manual's "Catalogue of Rules"), and a recipe may use them itself: ``$(LINK.c) $^ -o $@``
links with ``$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS)``, so the compile flags reach the
link. A file that leaves them undefined gets make's values (``BUILTIN``; ``$(TARGET_ARCH)``,
empty unless the environment sets it, is left out).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..budget import ExpansionBudget
from .pstr import UNKNOWN, PStr, join_words

MAX_DEPTH = 32
MAX_CALL_ARGS = 9      # $(1) … $(9): the parameters a `$(call …)` sets
FUNCTIONS = frozenset((
    "subst", "patsubst", "strip", "findstring", "filter", "filter-out", "sort", "word", "words",
    "wordlist", "firstword", "lastword", "dir", "notdir", "suffix", "basename", "addsuffix",
    "addprefix", "join", "wildcard", "realpath", "abspath", "error", "warning", "info", "shell",
    "origin", "flavor", "foreach", "file", "call", "eval", "value", "if", "or", "and", "let",
))

BUILTIN = {
    "LINK.o": "$(CC) $(LDFLAGS)",
    "LINK.c": "$(CC) $(CFLAGS) $(CPPFLAGS) $(LDFLAGS)",
    "LINK.cc": "$(CXX) $(CXXFLAGS) $(CPPFLAGS) $(LDFLAGS)",
    "LINK.cpp": "$(LINK.cc)",
    "LINK.C": "$(LINK.cc)",
    "COMPILE.c": "$(CC) $(CFLAGS) $(CPPFLAGS) -c",
    "COMPILE.cc": "$(CXX) $(CXXFLAGS) $(CPPFLAGS) -c",
    "COMPILE.cpp": "$(COMPILE.cc)",
    "COMPILE.C": "$(COMPILE.cc)",
}


@dataclass
class Var:
    name: str
    flavor: str          # recursive | simple
    value: PStr
    exported: bool = False


def _builtin(name: str, where: tuple[int, int] | None = None) -> Var | None:
    """make's own value of a variable its built-in rules use (``BUILTIN``), or None; its
    words placed at the reference (``where``) that asks for it."""
    value = BUILTIN.get(name)
    if value is None:
        return None
    return Var(name, "recursive", PStr.spread(value, *where) if where else PStr.synth(value))


def split_words(p: PStr) -> list[PStr]:
    return p.split_ws()


class Expander:
    def __init__(self):
        self.vars: dict[str, Var] = {}
        self.exported: set[str] = set()
        self.used: set[str] = set()
        self.cmdline: set[str] = set()  # command-line variables: the file's own assignments lose
        self.active: set[str] = set()   # recursive variables being expanded (make: "references itself")
        self.budget = ExpansionBudget(0)   # a Makefile's expansions: the floor; past it values are UNKNOWN

    def make_var(self, name: str, op: str, value: PStr, old: Var | None, local=None) -> Var:
        if op in (":=", "::=", ":::="):
            return Var(name, "simple", self.expand(value, local))
        if op == "!=":
            return Var(name, "simple", PStr.spread(UNKNOWN, *(value.source_range() or (-1, -1))))
        if op == "+=":
            if old is None:
                old = self.vars.get(name) or _builtin(name)
            if old is None:
                return Var(name, "recursive", value)
            add = self.expand(value, local) if old.flavor == "simple" else value
            size = len(old.value.text) + 1 + len(add.text) if old.value.text else len(add.text)
            if not self.budget.spend(size):   # `+=` copies the value: thousands are quadratic
                return Var(name, old.flavor, PStr.spread(UNKNOWN, *(value.source_range() or (-1, -1))), old.exported)
            return Var(name, old.flavor, old.value + PStr.synth(" ") + add if old.value.text else add, old.exported)
        return Var(name, "recursive", value)

    def assign(self, name: str, op: str, value: PStr, export: bool, override: bool = False) -> None:
        if (op == "?=" and (name in self.vars or name in BUILTIN)) or (name in self.cmdline and not override):
            return
        var = self.make_var(name, "=" if op == "?=" else op, value, self.vars.get(name))
        var.exported = export or name in self.exported or (name in self.vars and self.vars[name].exported)
        if var.exported:
            self.exported.add(name)
        self.vars[name] = var

    def lookup(self, name: str, local) -> Var | None:
        if local and name in local:
            return local[name]
        return self.vars.get(name)

    def expand(self, p: PStr, local: dict | None = None, depth: int = 0) -> PStr:
        if "$" not in p.text:
            return p
        if depth > MAX_DEPTH:
            return PStr.spread(UNKNOWN, *(p.source_range() or (-1, -1)))
        out: list[PStr] = []
        t, i, n = p.text, 0, len(p.text)
        while i < n:
            j = t.find("$", i)
            if j < 0:
                out.append(p[i:])
                break
            if j > i:
                out.append(p[i:j])
            if j + 1 >= n:
                out.append(p[j:])
                break
            c = t[j + 1]
            if c == "$":
                out.append(PStr(("$"), (p.starts[j],), (p.ends[j + 1],)))
                i = j + 2
            elif c in "({":
                close = _matching(t, j + 1)
                if close < 0:
                    out.append(p[j:])
                    break
                out.append(self._reference(p, j, close, local, depth))
                i = close + 1
            else:
                out.append(self._reference(p, j, j + 1, local, depth, single=True))
                i = j + 2
        return PStr.join(out) if out else PStr.synth("")

    def _reference(self, p: PStr, start: int, close: int, local, depth: int, single: bool = False) -> PStr:
        def unknown() -> PStr:         # made only when needed: most references have a value
            return PStr.spread(UNKNOWN, *(p.source_range(start, close + 1) or (-1, -1)))
        inner = p[start + 1:close + 1] if single else p[start + 2:close]
        name_text = inner.text
        head = name_text.split(None, 1)[0] if name_text.strip() else ""
        if not single and head in FUNCTIONS and (" " in name_text or "\t" in name_text):
            return self._function(head, inner[len(head):].strip(), local, depth, unknown())
        name = self.expand(inner, local, depth + 1).text
        subst = None
        if ":" in name and "=" in name.split(":", 1)[1]:
            name, rule = name.split(":", 1)
            subst = rule.split("=", 1)
        var = self.lookup(name, local) or _builtin(name, p.source_range(start, close + 1))
        if var is None:
            return unknown()
        self.used.add(name)
        if self.budget.left <= 0 or name in self.active:
            return unknown()
        if var.flavor == "simple":
            value = var.value
        else:
            self.active.add(name)
            try:
                value = self.expand(var.value, local, depth + 1)
            finally:
                self.active.discard(name)
        self.budget.spend(1 + len(value.text))
        if subst is not None:
            if not value.known:
                return unknown()
            if "%" in subst[0]:     # `$(VAR:a%b=c%d)` is `$(patsubst a%b,c%d,$(VAR))` (GNU make manual, "Substitution References")
                return join_words([_patsubst(subst[0], subst[1], w) for w in value.split_ws()])
            words = []
            for w in value.split_ws():
                if w.text.endswith(subst[0]) and subst[0]:
                    w = w[:len(w) - len(subst[0])] + PStr.synth(subst[1])
                words.append(w)
            return join_words(words)
        return value

    def _function(self, fn: str, args: PStr, local, depth: int, unknown: PStr) -> PStr:
        if fn == "strip":
            return join_words(self.expand(args, local, depth + 1).split_ws())
        parts = _split_args(args)
        if fn in ("addprefix", "addsuffix") and len(parts) == 2:
            fix = self.expand(parts[0], local, depth + 1)
            words = self.expand(parts[1], local, depth + 1).split_ws()
            return join_words([fix + w if fn == "addprefix" else w + fix for w in words])
        if fn == "subst" and len(parts) == 3:
            a, b = (self.expand(x, local, depth + 1).text for x in parts[:2])
            text = self.expand(parts[2], local, depth + 1)
            if a and a in text.text and text.known:
                return PStr.synth(text.text.replace(a, b)) if b else _drop(text, a)
            return text
        if fn in ("if", "or", "and"):
            return self._conditional(fn, parts, local, depth, unknown)
        if fn == "call":
            return self._call(parts, local, depth, unknown)
        values = [self.expand(x, local, depth + 1) for x in parts]
        if not all(v.known for v in values):
            return unknown
        return _text_function(fn, values, unknown)

    def _call(self, parts: list[PStr], local, depth: int, unknown: PStr) -> PStr:
        """``$(call NAME,a,b)``: the value of the variable NAME expanded with ``$(1)``, ``$(2)``
        … set to the expanded arguments and ``$(0)`` to NAME; a parameter not passed is empty
        (GNU make manual, "The call Function"). A name that is no variable of the file (one of
        make's functions, an unknown one) is unknown."""
        name = self.expand(parts[0], local, depth + 1).text.strip()
        var = self.lookup(name, local)
        if var is None or name in self.active or name in FUNCTIONS:
            return unknown
        args = {str(k): Var(str(k), "simple", PStr.synth("")) for k in range(MAX_CALL_ARGS + 1)}
        args["0"] = Var("0", "simple", PStr.synth(name))
        for k, arg in enumerate(parts[1:MAX_CALL_ARGS + 1], 1):
            args[str(k)] = Var(str(k), "simple", self.expand(arg, local, depth + 1))
        if var.flavor == "simple":
            return var.value
        self.active.add(name)
        try:
            return self.expand(var.value, {**(local or {}), **args}, depth + 1)
        finally:
            self.active.discard(name)

    def _conditional(self, fn: str, parts: list[PStr], local, depth: int, unknown: PStr) -> PStr:
        """``$(if c,then,else)``, ``$(or …)``, ``$(and …)``: only the arguments make reaches
        are expanded; a condition that is not known makes the result unknown."""
        if fn == "if":
            cond = self.expand(parts[0].strip(), local, depth + 1)
            if not cond.known:
                return unknown
            if cond.text.strip():
                return self.expand(parts[1], local, depth + 1) if len(parts) > 1 else PStr.synth("")
            return self.expand(parts[2], local, depth + 1) if len(parts) > 2 else PStr.synth("")
        last = PStr.synth("")
        for part in parts:
            last = self.expand(part.strip(), local, depth + 1)
            if not last.known:
                return unknown
            if (fn == "or") == bool(last.text.strip()):
                return last if fn == "or" else PStr.synth("")
        return PStr.synth("") if fn == "or" else last


def _text_function(fn: str, args: list[PStr], unknown: PStr) -> PStr:
    """GNU make's text functions on expanded, known arguments (words keep their positions)."""
    if fn in ("filter", "filter-out") and len(args) == 2:
        patterns = [w.text for w in args[0].split_ws()]
        wanted = fn == "filter"
        return join_words([w for w in args[1].split_ws()
                            if any(_pattern_match(p, w.text) for p in patterns) == wanted])
    if fn == "patsubst" and len(args) == 3:
        pattern, repl = args[0].text.strip(), args[1].text.strip()
        return join_words([_patsubst(pattern, repl, w) for w in args[2].split_ws()])
    if fn == "findstring" and len(args) == 2:
        return args[0] if args[0].text in args[1].text else PStr.synth("")
    words = args[-1].split_ws() if args else []
    if fn == "firstword" and len(args) == 1:
        return words[0] if words else PStr.synth("")
    if fn == "lastword" and len(args) == 1:
        return words[-1] if words else PStr.synth("")
    if fn == "words" and len(args) == 1:
        return PStr.synth(str(len(words)))
    if fn == "word" and len(args) == 2 and args[0].text.strip().isdigit():
        n = int(args[0].text.strip())
        return words[n - 1] if 0 < n <= len(words) else PStr.synth("")
    if fn == "sort" and len(args) == 1:
        first = {}
        for w in words:
            first.setdefault(w.text, w)
        return join_words([first[k] for k in sorted(first)])
    return unknown


def _pattern_match(pattern: str, word: str) -> bool:
    if "%" not in pattern:
        return pattern == word
    head, _, tail = pattern.partition("%")
    return len(word) >= len(head) + len(tail) and word.startswith(head) and word.endswith(tail)


def _patsubst(pattern: str, repl: str, word: PStr) -> PStr:
    """A word that matches ``pattern`` becomes ``repl``, its first ``%`` the part ``%`` matched."""
    if not _pattern_match(pattern, word.text):
        return word
    head, pct, tail = pattern.partition("%")
    stem = word.text[len(head):len(word.text) - len(tail)] if pct else ""
    return PStr.synth(repl.replace("%", stem, 1) if pct else repl)


def _drop(text: PStr, a: str) -> PStr:
    out, i = [], 0
    while True:
        j = text.text.find(a, i)
        if j < 0:
            out.append(text[i:])
            return PStr.join(out)
        out.append(text[i:j])
        i = j + len(a)


def _split_args(p: PStr) -> list[PStr]:
    out, depth, start = [], 0, 0
    for k, c in enumerate(p.text):
        if c in "({":
            depth += 1
        elif c in ")}":
            depth -= 1
        elif c == "," and depth == 0:
            out.append(p[start:k])
            start = k + 1
    out.append(p[start:])
    return out


def _matching(t: str, open_at: int) -> int:
    opener = t[open_at]
    closer = ")" if opener == "(" else "}"
    depth = 0
    for k in range(open_at, len(t)):
        if t[k] == opener:
            depth += 1
        elif t[k] == closer:
            depth -= 1
            if depth == 0:
                return k
    return -1
