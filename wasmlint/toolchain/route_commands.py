"""What a release route (``release_routes``) runs: the files whose builds it makes.

Its shell text is read by the shell evaluator, which follows the project scripts it runs
(``./build.sh``, ``bash build.sh``); then each command: ``npm run X`` (``npm run X --prefix
DIR``, ``-w NAME``), ``yarn X`` (``yarn workspace NAME X``, ``--cwd DIR``) and ``pnpm X``
(``--filter NAME``, ``-C DIR``) run the script ``X`` of the package.json they find (npm and
yarn with its ``preX`` and ``postX``); ``make`` runs the Makefile of its folder (``-C DIR``,
``-f FILE``); ``emcmake cmake`` configures the CMake project of its source folder (``-S``,
or the folder named, or the working folder with ``-B``); ``cp`` and ``mv`` carry what the
builds wrote elsewhere (into the folder a package's ``files`` publishes).
"""
from __future__ import annotations

import os
import posixpath
import shlex
from dataclasses import dataclass, field

from .emscripten_wrappers import cmake_source, emscripten_cmake_at
from .make_runs import DEFAULT_NAMES, MAKE_PROGRAMS, VALUE_OPTIONS
from .pstr import UNKNOWN, LineIndex, PStr

MAX_DEPTH = 6
MAX_TEXTS = 256         # shell texts one project's routes evaluate
_WRAPPERS = ("emmake", "emmake.py", "sudo", "time", "nice", "command", "exec")
_YARN_OWN = frozenset(("install", "add", "remove", "upgrade", "publish", "pack", "init", "link", "unlink", "cache",
                       "config", "global", "info", "login", "logout", "version", "why", "dlx", "exec", "npm", "set"))


@dataclass
class Walk:
    """The project's files (``ProjectFiles``), its package.json files (project-relative: a
    workspace is found by its name) and how many shell texts the routes have read."""
    files: object
    packages: list[str]
    texts: int = 0
    # (container folder, project folder) of the image a Dockerfile's RUN lines run in
    # (``docker_routes``): an absolute path under one is that project folder
    container: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Route:
    reason: str
    package: str | None = None       # the package.json (shown) whose lifecycle script it is
    files: set[str] = field(default_factory=set)          # shown paths of the scripts and Makefiles it runs
    regions: list[tuple[str, int, int]] = field(default_factory=list)   # (shown path, first, last line) of its text
    trees: set[str] = field(default_factory=set)          # shown folders of the CMake projects it configures
    copies: list[tuple[str, str]] = field(default_factory=list)    # (from, to) shown paths of its cp and mv
    uploads: list[str] = field(default_factory=list)       # the paths and patterns it uploads, as written
    scripts: set[tuple[str, int]] = field(default_factory=set)     # (package.json, offset) of the scripts it read


def follow(walk: Walk, route: Route, rel: str, text: str, folder: str, depth: int = 0) -> None:
    """Read ``text`` (written in the project file ``rel``, run in the project folder
    ``folder``) into ``route``."""
    from .shell_eval import evaluate
    if depth > MAX_DEPTH or walk.texts >= MAX_TEXTS:
        return
    walk.texts += 1
    project = walk.files
    shown = project.shown(rel)
    try:
        result = evaluate(PStr.synth(text), LineIndex(text, shown), files=_reader(project, rel, folder))
    except (RecursionError, ValueError):
        return
    for c in result.commands:
        if c.index is not None and c.index.path != shown:
            route.files.add(posixpath.normpath(c.index.path))
        here = posixpath.normpath(posixpath.join(folder, c.cwd)) if c.cwd is not None else UNKNOWN
        words = list(c.words)
        while words and posixpath.basename(words[0]) in _WRAPPERS and len(words) > 1:
            words = words[1:]
        if not words or UNKNOWN in words[0]:
            continue
        _command(walk, route, words, here, depth)


def _command(walk: Walk, route: Route, words: list[str], here: str, depth: int) -> None:
    project, head = walk.files, posixpath.basename(words[0])
    if head in MAKE_PROGRAMS and UNKNOWN not in here:
        makefile = _makefile(project, words, here)
        if makefile:
            route.files.add(project.shown(makefile))
    elif head in ("npm", "yarn", "pnpm") and UNKNOWN not in here:
        found = _package_script(walk, head, words[1:], here)
        if found is not None:
            run_script(walk, route, *found, depth + 1)
    elif (at := emscripten_cmake_at(words)) is not None:
        source = cmake_source(words[at + 1:])
        if source is not None and source.startswith("/"):
            source = in_project(walk.container, source)
        if source is not None and UNKNOWN not in source + here:
            route.trees.add(project.shown(posixpath.normpath(posixpath.join(here, source))))
    elif head == "gh" and words[1:3] in (["release", "upload"], ["release", "create"]):
        route.uploads += [_shown(project, here, w) for w in words[3:] if not w.startswith("-")]
    elif head == "tar":
        route.copies += _archived(project, words[1:], here)
    elif head in ("cp", "mv", "rsync") and len(words) > 2:
        args = [w for w in words[1:] if not w.startswith("-")]
        route.copies += [(_shown(project, here, a), _shown(project, here, args[-1])) for a in args[:-1]]


def in_project(container: list[tuple[str, str]], path: str) -> str | None:
    """The project folder an absolute container path is (``/app/src`` is ``src`` when
    ``COPY . .`` put the project at ``/app``), or None."""
    path = posixpath.normpath(path)
    for inside, folder in container:
        if path == inside or path.startswith(inside.rstrip("/") + "/"):
            return posixpath.normpath(posixpath.join(folder, posixpath.relpath(path, inside)))
    return None


def _shown(project, here: str, path: str) -> str:
    """A path a command names, as shown; as written when the folder it is named from is not
    known (its name may still be: ``mv $BUILD_DIR/rnnoise.wasm dist/``). A part not known
    in the middle stays in it (``npm/${{ matrix.target }}/lib``)."""
    return path if here.startswith(UNKNOWN) or path.startswith(UNKNOWN) else \
        project.shown(posixpath.normpath(posixpath.join(here, path)))


def _archived(project, args: list[str], here: str) -> list[tuple[str, str]]:
    """(input, archive) of a ``tar`` that creates one (``tar -czf out.tgz -C dist .``):
    the archive carries its inputs (read from the folder ``-C`` names)."""
    first = args[0].lstrip("-") if args else ""
    if not ("c" in first and "f" in first or "--create" in args):
        return []
    archive, folder, inputs, k = None, here, [], 0
    while k < len(args):
        a = args[k]
        if a == "-C" and k + 1 < len(args):
            folder, k = posixpath.join(here, args[k + 1]), k + 1
        elif k == 0 and not a.startswith("--") or a == "-f":
            if k + 1 < len(args):
                archive, k = args[k + 1], k + 1
        elif not a.startswith("-"):
            inputs.append(_shown(project, folder, a))
        k += 1
    return [(i, _shown(project, here, archive)) for i in inputs] if archive else []


def _reader(project, rel: str, folder: str):
    from ..shellfiles import project_reader
    from .workflow_scripts import _Workflow
    if project.root is None:
        return None
    root = str(project.root)
    return project_reader(_Workflow(os.path.join(root, rel), root, project.shown(rel)),
                          os.path.normpath(os.path.join(root, folder)))


def _makefile(project, words: list[str], here: str) -> str | None:
    folder, file, k = here, None, 1
    while k < len(words):
        w = words[k]
        if w in VALUE_OPTIONS and k + 1 < len(words):
            if w == "-C":
                folder = posixpath.join(folder, words[k + 1])
            elif w == "-f":
                file = words[k + 1]
            k += 1
        elif w.startswith("--directory="):
            folder = posixpath.join(folder, w.split("=", 1)[1])
        elif w.startswith(("--file=", "--makefile=")):
            file = w.split("=", 1)[1]
        k += 1
    if UNKNOWN in folder or (file and UNKNOWN in file):
        return None
    names = [file] if file else DEFAULT_NAMES
    return next((p for p in (posixpath.normpath(posixpath.join(folder, n)) for n in names) if project.is_file(p)), None)


def _package_script(walk: Walk, tool: str, args: list[str], here: str) -> tuple[str, str, str, bool] | None:
    """(package.json, the script, the arguments added to its text, whether its ``pre`` and
    ``post`` scripts run too: npm and yarn 1, not pnpm) that ``npm``/``yarn``/``pnpm`` ``args`` run."""
    folder, name, positional, k = here, None, [], 0
    while k < len(args):
        a = args[k]
        value = args[k + 1] if k + 1 < len(args) else None
        if a in ("--prefix", "--cwd", "-C", "--dir") and value is not None:
            folder, k = posixpath.join(here, value), k + 1
        elif a in ("-w", "--workspace", "--filter", "-F") and value is not None:
            name, k = value, k + 1
        elif a.startswith(("--prefix=", "--cwd=", "--dir=")):
            folder = posixpath.join(here, a.split("=", 1)[1])
        elif a.startswith(("--workspace=", "--filter=")):
            name = a.split("=", 1)[1]
        elif not a.startswith("-"):
            positional.append(a)
        k += 1
    if tool == "yarn" and positional[:1] == ["workspace"] and len(positional) > 1:
        name, positional = positional[1], positional[2:]
    if positional[:1] in (["run"], ["run-script"]):
        positional = positional[1:]
    elif tool == "npm" or not positional or positional[0] in _YARN_OWN:
        return None
    if not positional or UNKNOWN in positional[0]:
        return None
    pkg = _named_package(walk, name) if name else posixpath.normpath(posixpath.join(folder, "package.json"))
    if pkg is None or UNKNOWN in pkg:
        return None
    script = positional[0]
    extra = " ".join(shlex.quote(a) if UNKNOWN not in a else '"$_unknown_"' for a in positional[1:])
    return pkg, script, extra, tool != "pnpm"


def _named_package(walk: Walk, name: str) -> str | None:
    if name.startswith((".", "/")):
        return posixpath.normpath(posixpath.join(name.lstrip("/"), "package.json"))
    for rel in walk.packages:
        root = package_object(walk.files, rel)
        got = root.get("name") if root is not None else None
        if got is not None and got.value == name:
            return rel
    return None


def package_object(project, rel: str):
    """The parsed object of a package.json, or None."""
    from .. import jsonpos
    text = project.read(rel)
    try:
        root = jsonpos.parse(text) if text else None
    except jsonpos.JsonPosError:
        return None
    return root if root is not None and root.type == "object" else None


def run_script(walk: Walk, route: Route, pkg: str, script: str, extra: str = "", hooks: bool = False,
               depth: int = 0) -> None:
    """The package's ``script`` with the arguments its runner adds (``pnpm build:target
    wasm32``), and its ``pre`` and ``post`` scripts when ``hooks``."""
    project = walk.files
    root = package_object(project, pkg)
    whole = project.read(pkg) or ""
    scripts = root.get("scripts") if root is not None else None
    if scripts is None or scripts.type != "object":
        return
    for name in ([f"pre{script}", script, f"post{script}"] if hooks else [script]):
        value = scripts.get(name)
        if value is not None and value.type == "string":
            line = whole.count("\n", 0, value.start) + 1
            if (pkg, value.start) in route.scripts and not extra:
                continue        # read already: a script that runs itself, or one two others run
            route.scripts.add((pkg, value.start))
            route.regions.append((project.shown(pkg), line, line))
            text = value.value + (" " + extra if extra and name == script else "")
            follow(walk, route, pkg, text, posixpath.dirname(pkg) or ".", depth)


