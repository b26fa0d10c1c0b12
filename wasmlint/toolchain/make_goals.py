"""The goals an ``emmake make`` run builds, and the rules they reach.

make builds only the goals its command line names (GNU make manual, "Arguments to
Specify the Goals") and what they need: the targets of the goals' prerequisites, as far
as they go, through explicit and pattern rules. The default goal (the first target) when
it names none. So ``emmake make web`` runs the ``$(CC)`` links the ``web`` goal reaches
with emcc, and none of the links of the native programs beside it (chibi-scheme's
README builds the web build by ``make js``, whose sub-make builds objects and a library
for emcc; the REPL and its shared modules stay native).
"""
from __future__ import annotations

import fnmatch
import shlex

from ..launch.argv import basename
from .pstr import UNKNOWN

EMMAKE = ("emmake", "emmake.py", "emmake.bat")
MAKE_WORDS = ("make", "$(MAKE)", "${MAKE}", "gmake", "mingw32-make")
# where a command ends in text that holds it (a script, a README's code span)
_ENDS = ("&&", "||", ";", "|", ")", "(", ">", ">>", "<", "2>&1", "&")
# options of make that take the next word (-C, -f: another Makefile, its goals not this one's)
_VALUE_OPTIONS = frozenset(("-j", "-l", "-o", "-W", "-I"))
_OTHER_FILE = frozenset(("-C", "-f", "--directory", "--file", "--makefile"))
MAX_REACHED = 20000


def run_goals(text: str) -> frozenset[str] | None:
    """The goals of every ``emmake make`` in ``text`` together; None when one of them names
    none (the default goal), names one through a variable, or runs another Makefile."""
    goals: set[str] = set()
    found = False
    for line in text.splitlines():
        if "emmake" not in line:
            continue
        words = _split(line.replace("`", " "))
        for k, w in enumerate(words[:-1]):
            if basename(w) not in EMMAKE or basename(words[k + 1]) not in MAKE_WORDS:
                continue
            found = True
            named = _goals(words[k + 2:])
            if not named:
                return None
            goals |= named
    return frozenset(goals) if found else None


def _split(line: str) -> list[str]:
    try:
        return shlex.split(line, comments=True)
    except ValueError:          # an unclosed quote in prose
        return line.split()


def _goals(words: list[str]) -> set[str] | None:
    said = _goal_words(words)
    if said is None or any("$" in w for w in said):
        return None
    return {w.rstrip(";.,") for w in said} or None


def submake_goals(words: list[str]) -> set[str]:
    """The goals a sub-make of the same Makefile names (``$(MAKE) build/wasm/app.js``, the
    words after the make word): none when it runs another Makefile (``-f``, ``-C``); a word
    not known (a value from outside the file) is left out, the others are still goals."""
    said = _goal_words(words)
    return set() if said is None else {w for w in said if "$" not in w and UNKNOWN not in w}


def _goal_words(words: list[str]) -> list[str] | None:
    """The words of a make command line that name goals (not options, their values or
    ``VAR=value``), up to the end of the command; None when it runs another Makefile."""
    out: list[str] = []
    k = 0
    while k < len(words):
        w = words[k]
        if w in _ENDS or w.startswith(_ENDS) or w.startswith("#"):
            break
        if w.split("=", 1)[0] in _OTHER_FILE or w[:2] in ("-C", "-f") and not w.startswith("--"):
            return None
        if w in _VALUE_OPTIONS:
            k += 2
            continue
        if not w.startswith("-") and "=" not in w:
            out.append(w)
        k += 1
    return out


def default_goal(rules) -> str | None:
    """make's default goal: the first target of the file that is not a special one (``.PHONY``)
    nor a pattern."""
    return next((t for r in rules for t in r.targets if not t.startswith(".") and "%" not in t), None)


def reached(rules, goals: frozenset[str], unknown_any: bool = False,
            submakes: dict[str, set[str]] | None = None) -> set[str] | None:
    """The targets ``goals`` reach through the prerequisites of ``rules`` (``Rule``s of one
    read of the Makefile, targets and prerequisites expanded); None past MAX_REACHED, when
    a goal is no target of the file (make stops: "No rule to make target"; words of prose
    after ``emmake make``, a run of another Makefile), or when a name reached is not known
    (a value from outside the file, a secondary expansion's ``$$``): it may be any target.
    ``unknown_any``: a name with a part not known reaches instead every target its known
    parts match (``$(CURDIR)/build/python.built`` is no ``pthreads``). ``submakes``: the
    goals each target's recipe hands a sub-make of the same file (``makefile_facts.submakes``),
    which that target reaches as it reaches its prerequisites."""
    needs: dict[str, list[str]] = {}
    patterns: list[tuple[str, list[str]]] = []
    for rule in rules:
        prereqs = (rule.prereqs if rule.needs is None else rule.needs).text.split()
        for target in rule.targets:
            if "%" in target:
                patterns.append((target, prereqs))
            else:
                needs.setdefault(target, []).extend(prereqs)
    for target, more in (submakes or {}).items():
        needs.setdefault(target, []).extend(sorted(more))
    if any(g not in needs and not any(pattern_stem(p, g) is not None for p, _ in patterns) for g in goals):
        return None
    out: set[str] = set()
    todo = list(goals)
    while todo:
        name = todo.pop()
        if name in out:
            continue
        out.add(name)
        if len(out) > MAX_REACHED:
            return None
        if "$" in name or UNKNOWN in name and not unknown_any:
            return None
        if UNKNOWN in name:
            glob = name.replace("*", "[*]").replace("?", "[?]").replace(UNKNOWN, "*")
            todo += [t for t in needs if t not in out and fnmatch.fnmatchcase(t, glob)]
            # and any pattern rule may make it, with a stem not known
            todo += [p.replace("%", UNKNOWN) for _, prereqs in patterns for p in prereqs if p.replace("%", UNKNOWN) not in out]
            continue
        todo += needs.get(name, ())
        for target, prereqs in patterns:
            stem = pattern_stem(target, name)
            if stem is not None:
                todo += [p.replace("%", stem) for p in prereqs]
    return out


def pattern_stem(pattern: str, name: str) -> str | None:
    """The part of ``name`` the ``%`` of ``pattern`` matches, or None."""
    head, _, tail = pattern.partition("%")
    if len(name) >= len(head) + len(tail) and name.startswith(head) and name.endswith(tail):
        return name[len(head):len(name) - len(tail)]
    return None


def link_reached(rule: str | None, reached_targets: set[str]) -> bool:
    """Whether the rule of a link (its target, or its pattern when no name instantiates it)
    is among the reached targets; a rule not known is taken as reached."""
    if not rule or "$" in rule:
        return True
    if "%" in rule:
        glob = rule.replace("%", "*")
        return any(fnmatch.fnmatchcase(t, glob) for t in reached_targets)
    return rule in reached_targets


# Goals named for the web platform: `make wasm`, `make web`, `make emscripten`, `make html5`
PLATFORM_GOALS = ("wasm", "web", "emscripten", "html5", "webassembly")


def mark_platform_goals(rules, links: list, submakes: dict[str, set[str]] | None = None) -> None:
    """A Makefile goal named for the web platform (fastText's ``wasm: webassembly/fasttext_wasm.js``
    beside its native ``opt`` and its ``wasmdebug``; wipeout-rewrite's ``wasm: wasm_full
    wasm_minimal``) is the project's build for that platform: what a user runs to get the web
    build, as ``make opt`` gets the native one, not a CI check, a smoke test or a vendored
    library's own goal (``all``, ``check``). Each link such a goal reaches (``reached``) is
    marked with it (``platform_goal``), also through the sub-makes its recipe runs of the
    same file (busytex's ``wasm: ; $(MAKE) build/wasm/busytex.js``)."""
    named = {t for rule in rules for t in rule.targets if t in PLATFORM_GOALS}
    for goal in sorted(named):
        targets = reached(rules, frozenset((goal,)), submakes=submakes)
        for f in links:
            if targets is not None and f.platform_goal is None and f.rule and "%" not in f.rule \
                    and link_reached(f.rule, targets):
                f.platform_goal = goal
