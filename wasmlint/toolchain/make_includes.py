"""Flag variables of a Makefile fragment and the Makefiles of the project that include it.

make hands a variable to a link only through a reference to its name: ``$(NAME)`` in a
recipe of a Makefile that reads the file (one that ``include``s it, or the file itself
when make runs it), or, for an exported variable, a program a recipe runs that reads
``NAME`` from its environment. A fragment make does not run itself (no rules of its own,
or rules no ``make -f FILE`` of the project asks for) runs no recipe, so its flag sets
reach links only through its includers' recipes. When the project holds Makefiles that
include it and none of their recipes names the variable (``$(NAME)``, ``${NAME}``, the
shell's ``$$NAME``), the variable reaches no link: emscripten-forge's python recipe
copies pyodide's ``Makefile.envs`` with its ``MAIN_MODULE_LDFLAGS``, and its Makefile
only builds ``libpython3.13.a``. Pyodide's tools run ``make -f Makefile.envs
.output_vars`` (its rule prints every variable for them): there the flag sets stay. The
names make, configure and emcc read by convention (``LDFLAGS``, ``EMCC_CFLAGS`` …) are
always someone's. A ``Makefile`` that make runs and no file of the project includes hands
a variable none of its recipes names to nothing (a reference in a comment is never
expanded: lobster's ``LTOFLAGS``), unless it exports it or a recipe computes the names
it expands (``$($*)``).
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import ClassVar

from ..facts import Fact, Span

# variables that programs read from the environment by convention: make's implicit
# rules, autoconf's configure, emcc
CONVENTIONAL = frozenset(("CFLAGS", "CXXFLAGS", "CPPFLAGS", "LDFLAGS", "LDLIBS", "LIBS", "CC", "CXX",
                          "EMCC_CFLAGS", "EMCC_FORCE_STDLIBS", "EMMAKEN_CFLAGS"))


@dataclass
class IncludedFlags(Fact):
    """A Makefile's ``include`` of a project file: the flag variables of that file (those
    carrying emcc settings) that no recipe of the includer names."""

    kind: ClassVar[str] = "make-included-flags"
    included: str = ""
    unused: list = field(default_factory=list)


def named_in_recipes(name: str, recipes: list[str]) -> bool:
    """A recipe names the variable for its shell (``$$NAME``, ``$${NAME}``)."""
    pattern = re.compile(r"\$\$(?:\{" + re.escape(name) + r"\}|" + re.escape(name) + r"(?![A-Za-z0-9_]))")
    return any(pattern.search(line) for line in recipes)


def included_flags(span: Span, unused_by_file: dict[str, list[str]]) -> list[Fact]:
    return [IncludedFlags(span, included=path, unused=sorted(names)) for path, names in sorted(unused_by_file.items())]


def unreached(flag_sets: list[Fact], facts: list[Fact], variable, read) -> set:
    """The (file, variable) of the flag sets of fragments that make does not run itself and
    that every Makefile of the project including the file leaves unnamed. ``read``: the
    project's files as (path, text) pairs, searched for a ``make -f FILE`` only when a
    fragment with rules of its own would otherwise be dropped (None: taken to be run)."""
    includes: dict[str, list[set]] = {}
    for f in facts:
        if f.kind == "make-included-flags":
            includes.setdefault(f.included, []).append(set(f.unused))
    out, with_rules, kept = set(), set(), set()
    from .make_runs import DEFAULT_NAMES
    for f in flag_sets:
        path, name = variable(f)
        if name in CONVENTIONAL:
            continue
        if path not in includes:
            if getattr(f, "kept_here", False) and posixpath.basename(path) in DEFAULT_NAMES:
                kept.add((path, name))       # make runs it: unless a file includes it, no recipe names it
            continue
        if not all(name in u for u in includes[path]):
            continue
        out.add((path, name))
        if getattr(f, "own_recipes", True):
            with_rules.add(path)
    if with_rules:
        run = _run_with_file(with_rules, read) if read is not None else with_rules
        out = {(path, name) for path, name in out if path not in run}
    if kept:
        paths = {path for path, _ in kept}
        included = _included_by_text(paths, read) if read is not None else paths
        out |= {(path, name) for path, name in kept if path not in included}
    return out


def _included_by_text(paths: set[str], read) -> set[str]:
    """Those of ``paths`` (Makefiles named ``Makefile``) that an ``include`` line of the project
    names by their folder and name (fairy-stockfish's ``src/Makefile`` has ``include
    emscripten/Makefile`` in a branch of a compiler choice, read only where that branch is
    taken): their variables are the includer's."""
    tails = {posixpath.join(posixpath.basename(posixpath.dirname(p)), posixpath.basename(p)): p
             for p in paths if posixpath.dirname(p)}
    if not tails:
        return set()
    pattern = re.compile(r"^[ \t]*-?s?include[ \t]+(?:[^\n]*?[ \t/])?(" +
                         "|".join(re.escape(t) for t in tails) + r")(?![\w.])", re.M)
    return _named_in_texts(pattern, tails, read, own_text_counts=True)


def _run_with_file(paths: set[str], read) -> set[str]:
    """Those of ``paths`` that a line of the project hands to make as its makefile
    (``make -f Makefile.envs``, ``["make", "-f", str(ROOT / "Makefile.envs"), …]``)."""
    names = {posixpath.basename(p): p for p in paths}
    pattern = re.compile(r"(?:^|[\s'\"(\[,])(?:-f|--file|--makefile)\b[^\n]{0,120}?("
                         + "|".join(re.escape(n) for n in names) + r")(?![\w.])", re.M)
    return _named_in_texts(pattern, names, read, own_text_counts=False)


def _named_in_texts(pattern, names: dict[str, str], read, own_text_counts: bool) -> set[str]:
    """The paths (``names``: the text ``pattern``'s group 1 finds → path) the project's texts
    name, stopping once all are found; with ``own_text_counts`` False a file naming itself (a
    comment) does not count."""
    found = set()
    for path, text in read():
        for m in pattern.finditer(text):
            if own_text_counts or names[m.group(1)] != path:
                found.add(names[m.group(1)])
        if len(found) == len(names):
            break
    return found


def runner_rules(reader) -> list | None:
    """The rules make reads when it runs a Makefile that includes ``reader``'s file, a
    fragment: the nearest Makefile, in the fragment's folder or one above it, that make runs
    there by default (the first of ``GNUmakefile``, ``makefile``, ``Makefile``) and that
    includes the fragment, itself or through a file it includes (names relative to its own
    folder, where make runs). An included file's rules are rules of the including Makefile
    (GNU make manual, "Including Other Makefiles"), so goals that ``make GOALS`` names for
    that Makefile reach the fragment's rules only through the rules of both: chibi-scheme's
    ``make js`` names a target of ``Makefile`` from which no prerequisite leads to the native
    ``lib/%.so`` links of the ``Makefile.libs`` it includes. None when no such Makefile is
    found (read with no variable from outside)."""
    from .make_runs import DEFAULT_NAMES, MAX_ANCESTORS
    from .makefile import MakeReader
    from .project_files import folders_up
    project = reader.project
    if project is None or project.root is None:
        return None
    here = project.rel_dir
    own = posixpath.normpath(posixpath.join(here, reader.name))
    for folder in folders_up(here, MAX_ANCESTORS):
        runner = next((r for n in DEFAULT_NAMES
                       if project.is_file(r := posixpath.normpath(posixpath.join(folder, n)))), None)
        text = project.read(runner) if runner is not None and runner != own else None
        if text is None:
            continue
        includer = MakeReader(text, project.shown(runner))
        includer.project, includer.env = project, reader.env
        project.rel_dir = folder            # its include names are relative to its folder
        try:
            rules = includer.as_written().rules
        finally:
            project.rel_dir = here
        if includer.included.get(own) is not None:
            return rules
    return None
