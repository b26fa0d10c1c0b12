"""Makefile targets that only a run by hand builds.

``make`` with no goal builds the file's default goal, its first target, and what that
needs; ``make GOAL`` builds GOAL (GNU make manual, "Arguments to Specify the Goals"). A
Makefile whose default goal is an aggregate (no recipe of its own: it lists the build)
that links the project's program with emcc (renpyweb's ``all: asyncify``) is that
program's build: a link in another target, which neither the default goal reaches nor
any run of the file the project shows names (a package.json script, a shell script, a
Dockerfile ``RUN``, a CI step, a recipe's ``$(MAKE) GOAL``, an ``emmake make GOAL``), is
made only when someone types ``make GOAL`` by hand: an experiment or a variant beside the
build (renpyweb's ``pthreads`` target, "Experimental - doesn't work").

Left alone: a file whose first target is itself one output among others (``t0.js: …``
then ``t1.js: …``: each is built by name); a target named for shipping (``make release``,
``dist``, ``publish``, ``bundle`` …: how the file ships, run or not); every target of a
file whose default goal links only to debug (``all: debug``: the others are the builds,
run by name). Only a file make finds by itself (``Makefile``, ``makefile``,
``GNUmakefile``) is read so: another one's first target is the goal of whatever includes
or names it.
"""
from __future__ import annotations

import posixpath

from ..scopes.commands import SHIPPING_STEPS
from ..scopes.conventions import words_of
from .debug_build import debug_named, release_named
from .make_goals import default_goal, link_reached, reached
from .make_runs import DEFAULT_NAMES, own_runs
from .pstr import UNKNOWN


def mark_unbuilt(reader, facts: list, text: str, rel: str, wrapper_goals: frozenset[str] | None) -> None:
    """Set ``by_hand`` on the emcc links of the Makefile (``reader``, project path ``rel``)
    that only a run by hand makes (see the module)."""
    rel = posixpath.normpath(rel)
    links = [f for f in facts if f.kind == "emcc-invocation" and f.rule]
    if len({f.rule for f in links}) < 2 or posixpath.basename(rel) not in DEFAULT_NAMES:
        return
    rules = reader.as_written().rules
    default = default_goal(rules)
    if default is None or any(r.recipe for r in rules if default in r.targets):
        return          # no `all: …` listing the build: the first target is one output among peers
    if None in reader.run_goals:
        return          # runs left unread may name any target
    goals = {default}
    for named_goals in [*reader.run_goals, *(run.goals for run in own_runs(reader.project, rel, text))]:
        goals |= set(named_goals) if named_goals else {default}
    goals |= wrapper_goals or set()
    if any(UNKNOWN in g or "$" in g for g in goals):
        return          # a goal not known may be any target
    named = {t for r in rules for t in r.targets}
    got = reached(rules, frozenset(g for g in goals if g in named), unknown_any=True)
    if got is None or not any(link_reached(f.rule, got) and not any(debug_named(n) for n in f.names) for f in links):
        return          # the file's default build links nothing with emcc, or only to debug: its other targets are run by name
    shown = ", ".join(f"`{g}`" for g in sorted(goals - {default}))
    for f in links:
        if not link_reached(f.rule, got) and not release_named(f.rule) and not SHIPPING_STEPS & set(words_of(f.rule)):
            f.by_hand = (f"the make target `{f.rule}`, which neither the default goal `{default}` reaches"
                         f"{' nor the goals the project runs (' + shown + ')' if shown else ' nor any run of the project names'}")
