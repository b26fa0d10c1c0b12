"""How the project runs a Makefile: the ``make`` command lines of its package.json
scripts, shell scripts, Dockerfile ``RUN``s and CI workflows that reach this file.

GNU make takes ``NAME=value`` (``NAME:=value``, ``NAME+=value`` …) arguments as
*command-line variables*: they are set before the Makefile is read, an assignment in
the Makefile to the same name is ignored unless it says ``override`` (``+=`` too), and
they are exported to recipes and sub-makes. So ``make ARCH=wasm build`` makes
``ifeq ($(ARCH),wasm)`` true, whatever the file assigns. A command line reaches a
Makefile when the folder it runs in (the file's folder, then ``cd DIR`` before it,
then ``-C DIR``) holds it, under make's default names (``GNUmakefile``, ``makefile``,
``Makefile``) or the ``-f FILE`` it names. ``emmake`` in front of make changes nothing
here. Each distinct set of command-line variables is one way the file is run, and so is
a run with none (``make node``): make then takes only the branches the file, its
environment and its defaults select, so ``ifdef DEBUG`` that no run sets is not built.
"""
from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass

from ..classify import kind_by_name
from .project_files import folders_up
from .pstr import STRIDE, UNKNOWN, LineIndex, PStr

# what a recipe holds that another reader looks for: a sub-make, an Emscripten CMake configure
RECIPE_MARKERS = ("MAKE", "emcmake", "Emscripten.cmake")
MAKE_PROGRAMS = ("make", "gmake", "mingw32-make", "emmake", "emmake.py")
DEFAULT_NAMES = ("GNUmakefile", "makefile", "Makefile")
SURFACES = ("package.json", "*.sh", "*.bash", "dockerfile", "dockerfile.*", "*.dockerfile")
MAX_ANCESTORS = 8
MAX_RUNS = 6
MAX_SUB_MAKE_DEPTH = 1    # a Makefile's runs looked up to pass their variables to its sub-makes
ASSIGN_OPS = ("::=", ":::=", ":=", "+=", "?=", "!=", "=")
# make options that take the next word as their value (short forms; long ones use `=`)
VALUE_OPTIONS = frozenset(("-C", "-f", "-I", "-j", "-l", "-o", "-W"))


@dataclass
class MakeRun:
    """A command line that runs the Makefile (with command-line variables, or none)."""

    label: str                        # "make ARCH=wasm", "make"
    variables: dict[str, tuple[str, PStr]]   # name → (operator, value; offsets in linked files)
    folder: str = "."                 # the project folder make runs in (its ``include`` names start there)
    goals: tuple[str, ...] = ()       # the goals it names (none: the default goal)


def project_runs(project, makefile_rel: str, first_link: int, depth: int = 0, goals: list | None = None
                 ) -> tuple[list[MakeRun], list[LineIndex]]:
    """The runs of ``makefile_rel`` the project's files show, and the indexes of the files
    their values come from (the k-th at ``(first_link + k) * STRIDE``). A sub-make a
    Makefile's recipe runs is run once more with the command-line variables of each run
    of that Makefile whose goals reach the recipe's target (``_passed_down``). ``goals``
    gets the goals of every run found (also of runs alike but for their goals; ``()``: the
    default goal), and None when runs were left unread."""
    runs: list[MakeRun] = []
    linked: list[LineIndex] = []
    if project is None or project.root is None:
        return runs, linked
    seen: set[tuple] = set()
    name = posixpath.basename(makefile_rel)
    for rel in _surface_files(project, posixpath.dirname(makefile_rel) or ".", makefile_rel):
        if len(runs) >= MAX_RUNS:
            if goals is not None:
                goals.append(None)
            break
        text = project.read(rel)
        if text is None or "make" not in text.lower():
            continue
        is_makefile = kind_by_name(posixpath.basename(rel)) == "makefile"
        if is_makefile and name not in DEFAULT_NAMES and name not in text:
            continue        # a sibling Makefile runs this one only by naming it (`-f helper.Makefile`)
        index, texts = surface_commands(project, rel, text)
        targets = _recipe_targets(text, rel) if is_makefile and depth < MAX_SUB_MAKE_DEPTH else None
        shift = (first_link + len(linked)) * STRIDE
        used = False
        for k, (base, commands) in enumerate(texts):
            for argv, cwd in _make_commands(commands):
                found = _run_of(project, argv, base, cwd, makefile_rel, shift)
                if found is None:
                    continue
                more = _passed_down(project, rel, text, targets[k], found, depth) \
                    if targets is not None and k < len(targets) else []
                if goals is not None:
                    goals.append(found.goals)
                for run in [found, *more]:
                    key = tuple(sorted((n, op, v.text) for n, (op, v) in run.variables.items()))
                    if key not in seen and len(runs) < MAX_RUNS:
                        seen.add(key)
                        runs.append(run)
                        used = True
        if used:
            linked.append(index)
    return runs, linked


def _passed_down(project, rel: str, text: str, target: str | None, run: MakeRun, depth: int) -> list[MakeRun]:
    """``run``, a sub-make in the recipe of ``target`` of the Makefile ``rel``, with the
    command-line variables of each run of ``rel`` that builds ``target``: make passes its
    command-line variables to every sub-make through ``MAKEFLAGS`` (GNU make manual,
    "Communicating Variables to a Sub-make"), where they are command-line variables too;
    the sub-make's own ``NAME=value`` wins. The runs of ``rel`` are those of the project's
    files and those its own recipes make of it (ClassiCube's ``release: $(MAKE) $(PLAT)
    RELEASE=1``), so ``make web RELEASE=1`` reaches ``$(MAKE) -f misc/makefiles/web.mk``.
    A run reaches ``target`` when its goals (the default goal when it names none) lead
    there through the prerequisites; a goal not known may be any target."""
    if target is None:
        return []
    from .make_goals import default_goal, reached
    parents = project_runs(project, rel, 0, depth + 1)[0] + own_runs(project, rel, text)
    with_vars = [p for p in parents if p.variables]
    if not with_vars:
        return []
    rules = _read_recipes(text, rel)[0]
    named = {t for r in rules for t in r.targets}
    default = default_goal(rules)
    out = []
    for parent in with_vars:
        goals = parent.goals or ((default,) if default else ())
        if not goals:
            continue
        if not any(UNKNOWN in g or "$" in g for g in goals):     # a goal not known may be any target
            if any(g not in named for g in goals):
                continue            # a goal this file has no rule for: make stops there
            got = reached(rules, frozenset(goals))
            if got is not None and target not in got:
                continue
        variables = {n: (op, PStr.synth(v.text)) for n, (op, v) in parent.variables.items()}
        variables.update(run.variables)
        own = run.label.split()[1:]
        label = " ".join([parent.label, *(w for w in own if w.split("=", 1)[0] not in parent.variables)])
        out.append(MakeRun(label, variables, run.folder))
    return out


def own_runs(project, rel: str, text: str) -> list[MakeRun]:
    """The runs a Makefile's own recipes make of it (``$(MAKE) $(PLAT) RELEASE=1``)."""
    out = []
    for base, commands in surface_commands(project, rel, text)[1]:
        for argv, cwd in _make_commands(commands):
            found = _run_of(project, argv, base, cwd, rel, 0)
            if found is not None:
                out.append(found)
    return out


def _surface_files(project, rel_dir: str, makefile_rel: str) -> list[str]:
    """Files in ``rel_dir`` and the folders above it that may run make, then workflows,
    then the Dockerfiles built with one of those folders as context (``docker_contexts``),
    then the other Makefiles of ``rel_dir`` (a recipe's ``$(MAKE) -f helper.Makefile
    OUT_JS=$@``) and, for a file make finds only by ``-f``, those of the folders above it
    (ClassiCube's ``$(MAKE) -f misc/makefiles/web.mk``: that sub-make runs in the top
    folder). A Makefile's own ``$(MAKE) ARCH=$(ARCH) all`` passes on the variables it
    was run with: no new way to run it."""
    from .docker_contexts import built_from
    out, makefiles, above = [], [], []
    own = posixpath.basename(makefile_rel)
    by_file = kind_by_name(own) == "makefile" and own not in DEFAULT_NAMES
    for d in folders_up(rel_dir, MAX_ANCESTORS):
        for name in project.list(d):
            if any(fnmatch.fnmatchcase(name.lower(), g) for g in SURFACES):
                out.append(posixpath.normpath(posixpath.join(d, name)))
            elif by_file and d != rel_dir and kind_by_name(name) == "makefile":
                above.append(posixpath.normpath(posixpath.join(d, name)))
    out += [f".github/workflows/{n}" for n in project.list(".github/workflows") if n.endswith((".yml", ".yaml"))]
    out += [d for d in built_from(project, rel_dir) if d not in out]   # built with this folder as context
    for name in project.list(rel_dir):
        rel = posixpath.normpath(posixpath.join(rel_dir, name))
        if kind_by_name(name) == "makefile" and rel != posixpath.normpath(makefile_rel):
            makefiles.append(rel)
    return out + makefiles + above


def shell_texts(rel: str, text: str, context: str | None = None) -> list[tuple[PStr, str, dict[str, PStr] | None]]:
    """The shell text a file holds, each with the project folder it starts in and the
    environment it runs with: a package.json's scripts (its folder), a shell script (its
    folder), a Dockerfile's ``RUN`` lines (its build ``context``, by default its folder;
    its stage's ``ARG`` and ``ENV``), a workflow's ``run:`` steps (the checkout, or the
    step's ``working-directory``)."""
    here = context or posixpath.dirname(rel) or "."
    name = posixpath.basename(rel)
    kind = kind_by_name(name)
    try:
        if name == "package.json":
            return [(t, here, None) for t in _package_scripts(text)]
        if kind == "dockerfile":
            return [(t, here, env) for t, env in _docker_runs(text, rel)]
        if rel.startswith(".github/workflows/"):
            return [(t, where, None) for t, where in _workflow_runs(text, rel)]
        if kind == "makefile":
            return [(t, here, None) for _, t in _recipes(text, rel)]
    except Exception:       # a file that does not parse shows no runs (its own reader reports it)
        return []
    return [(PStr.source(text, 0), here, None)]


def _package_scripts(text: str) -> list[PStr]:
    from .. import jsonpos
    root = jsonpos.parse(text)
    scripts = root.get("scripts") if root.type == "object" else None
    if scripts is None or scripts.type != "object":
        return []
    return [_pstr(v.text) for _, v in scripts.pairs if v.type == "string"]


def _docker_runs(text: str, rel: str) -> list[tuple[PStr, dict[str, PStr]]]:
    from ..sources.dockerfile import run_scripts
    return [(_pstr(script), {k: _pstr(v) for k, v in env.items()}) for script, env in run_scripts(text, rel)]


def _workflow_runs(text: str, rel: str) -> list[tuple[PStr, str]]:
    from .. import yamlpos
    from ..sources.github_workflow import _mask, checkout_path, in_checkout, working_directory
    out = []
    for doc in yamlpos.documents(text):
        for _, job in yamlpos.pairs(yamlpos.get(doc, "jobs")):
            checkout = checkout_path(job)
            for step in yamlpos.items(yamlpos.get(job, "steps")):
                run = yamlpos.get(step, "run")
                where = working_directory(doc, job, step, checkout)
                if not yamlpos.is_scalar(run) or where is None:
                    continue
                out.append((_pstr(_mask(in_checkout(yamlpos.scalar_text(run, text), checkout))), where))
    return out


def _recipes(text: str, rel: str) -> list[tuple[str, PStr]]:
    """A Makefile's recipe lines as make hands them to the shell, each with its target:
    expanded with the file's variables (its first variant, as the file alone defines them)
    and each target's automatic ones; ``$(MAKE)`` is make itself."""
    return _read_recipes(text, rel)[1]


def _read_recipes(text: str, rel: str) -> tuple[list, list[tuple[str, PStr]]]:
    """A Makefile's rules and its recipes (``_recipes``), read once."""
    from .makefile import MakeReader
    from .makefile_expand import Expander, Var
    from .makefile_facts import recipe_lines
    if not any(m in text for m in RECIPE_MARKERS):
        return [], []      # no sub-make and no CMake configure (``cmake_runs``): nothing to find
    key = (rel, text)
    if key not in _RECIPES:
        parsed = MakeReader(text, rel).as_written()
        ex = Expander()
        ex.vars = {"MAKE": Var("MAKE", "simple", PStr.synth("make")), **parsed.vars}
        if len(_RECIPES) >= MAX_SURFACES:
            _RECIPES.clear()
        _RECIPES[key] = (parsed.rules, [(target, line) for (target, _), lines, _ in recipe_lines(parsed, ex)
                                         for line in lines])
    return _RECIPES[key]


_RECIPES: dict[tuple[str, str], tuple[list, list[tuple[str, PStr]]]] = {}    # a Makefile's, read once


def _recipe_targets(text: str, rel: str) -> list[str]:
    """The target of each shell text ``shell_texts`` finds in a Makefile, in its order."""
    try:
        return [target for target, _ in _recipes(text, rel)]
    except Exception:       # as ``shell_texts``: a file that does not parse shows no runs
        return []


def _pstr(mapped) -> PStr:
    return PStr(mapped.value, tuple(mapped.starts), tuple(mapped.ends))


def surface_commands(project, rel: str, text: str, follow: bool = False
                     ) -> tuple[LineIndex, list[tuple[str, list[tuple[list, str | None]]]]]:
    """The commands (argv as Toks, folder) of each shell text a file holds (``shell_texts``),
    with the file's index. Every Makefile and CMakeLists.txt of a project reads the same
    workflows and scripts: each file's text is evaluated once in a process. ``follow``: a
    workflow step's commands include those of the project scripts it runs
    (``workflow_scripts``)."""
    from .docker_contexts import contexts
    from .shell_eval import evaluate
    from .workflow_scripts import step_reader
    context = contexts(project).get(rel) if kind_by_name(posixpath.basename(rel)) == "dockerfile" else None
    key = (project.shown(rel), text, follow, context)
    hit = _SURFACES.get(key)
    if hit is None:
        index = LineIndex(text, key[0])
        hit = (index, [(base, [(cmd.argv, cmd.cwd) for cmd in evaluate(
                           source, index, env, files=step_reader(project, rel, base) if follow else None).commands])
                       for source, base, env in shell_texts(rel, text, context)])
        if len(_SURFACES) >= MAX_SURFACES:
            _SURFACES.clear()
        _SURFACES[key] = hit
    return hit


MAX_SURFACES = 256
_SURFACES: dict[tuple[str, str, bool, str | None], tuple] = {}


def _make_commands(commands: list[tuple[list, str | None]]) -> list[tuple[list[PStr], str | None]]:
    out = []
    for toks, cwd in commands:
        argv = [t.text for t in toks]
        if argv and posixpath.basename(argv[0].text) in ("emmake", "emmake.py"):
            argv = argv[1:]
        if argv and posixpath.basename(argv[0].text) in MAKE_PROGRAMS:
            out.append((argv, cwd))
    return out


def _run_of(project, argv: list[PStr], base: str, cwd: str | None, makefile_rel: str,
            shift: int) -> MakeRun | None:
    """The run ``argv`` makes of ``makefile_rel`` (None when it runs another file)."""
    if cwd is None:
        return None
    folder, file, variables, words, goals = posixpath.join(base, cwd), None, {}, [], []
    k = 1
    while k < len(argv):
        w = argv[k].text
        if w in VALUE_OPTIONS and k + 1 < len(argv):
            value, k = argv[k + 1].text, k + 1
            if w == "-C":
                folder = posixpath.join(folder, value)
            elif w == "-f":
                file = value
        elif w.startswith("--directory=") or (w.startswith("-C") and len(w) > 2):
            folder = posixpath.join(folder, w.split("=", 1)[1] if w.startswith("--") else w[2:])
        elif w.startswith(("--file=", "--makefile=")) or (w.startswith("-f") and len(w) > 2):
            file = w.split("=", 1)[1] if w.startswith("--") else w[2:]
        elif not w.startswith("-"):
            split = _assignment(argv[k])
            if split is not None:
                name, op, value = split
                variables[name] = (op, value.shifted(shift))
                words.append(w)
            else:
                goals.append(w)
        k += 1
    if file is not None:
        target = posixpath.normpath(posixpath.join(folder, file))
    else:
        target = next((posixpath.normpath(posixpath.join(folder, n)) for n in DEFAULT_NAMES
                       if project.is_file(posixpath.normpath(posixpath.join(folder, n)))), None)
    if target != posixpath.normpath(makefile_rel) or "\0" in target:
        return None
    return MakeRun(" ".join(["make", *words]), variables, posixpath.normpath(folder), tuple(goals))


def _assignment(word: PStr) -> tuple[str, str, PStr] | None:
    """``NAME=value`` (any of make's operators) → (name, operator, value), else None."""
    t = word.text
    eq = t.find("=")
    if eq <= 0:
        return None
    head = t[:eq + 1]
    op = next((o for o in ASSIGN_OPS if head.endswith(o)), "=")
    name = t[:eq + 1 - len(op)].strip()
    if not name or any(c in name for c in " \t$:#"):
        return None
    return name, op, word[eq + 1:]
