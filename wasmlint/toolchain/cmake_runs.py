"""How the project configures its CMake build for Emscripten: the cache entries its own
``emcmake cmake -DNAME=…`` lines (or cmake with Emscripten's toolchain file, or
``cmake --preset NAME`` of a configure preset that loads it: ``cmake_presets``) set.

``option(NAME "help" OFF)`` is a cache entry whose default holds unless the configure
line passes ``-DNAME=…`` (cmake(1): ``-D`` entries are created before the project is
read, and ``option()`` does not change an entry that exists). So a branch on an OFF
option is built for Emscripten only when one of the project's Emscripten configure
lines sets it; a native configure (``cmake -DBUILD_JAVA=ON`` in a CI job) configures
another build. A switch every line sets alike is that value from the start: glslang's
CI job and README both pass ``-DENABLE_GLSLANG_JS=ON``, so ``if(ENABLE_GLSLANG_JS)`` is
the build itself, and the options inside it (``ENABLE_EMSCRIPTEN_ENVIRONMENT_NODE``) are
its variants. The lines are those of the package.json scripts, shell scripts and
Dockerfiles of the file's folder and the folders above it, and of the CI workflows
with the project scripts their steps run (``workflow_scripts``: mujoco's live.yml runs
``bash ./.github/workflows/build_steps.sh build_mujoco_live``, whose function holds the
configure line; ``make_runs`` reads the same surfaces for make), and the fenced code blocks of the
build documents there (``README``, ``BUILDING.md``: draco documents
``cmake ../ -DCMAKE_TOOLCHAIN_FILE=…/Emscripten.cmake -DDRACO_WASM=ON``).

A script kept in a folder of its own (``.ci_scripts/run_cmake.sh``, ``scripts/build.sh``)
configures the CMakeLists.txt of the source folder its line names (cmake(1): ``cmake
[options] <path-to-source>``, ``cmake -S <src> -B <build>``, the working folder with ``-B``
alone), relative to the folder the line runs in: where the script is run from (CI and
build documents run ``./ci/build.sh`` from the checkout's root), then its ``cd``s. So
julius's ``mkdir build && cd build && emcmake cmake .. -DCMAKE_BUILD_TYPE=Release`` in
``.ci_scripts/run_cmake.sh`` configures the root CMakeLists.txt. The scripts of the
sub-folders of the file's folder and of each folder above it are read; a line that names
another folder (or one not known) does not configure this file.
"""
from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass

from .cmake_cond import false_value
from ..launch.argv import basename
from .cmake_presets import preset_argv
from .make_runs import DEFAULT_NAMES
from .project_files import folders_up
from .pstr import UNKNOWN, LineIndex, PStr, Tok

MARKERS = ("emcmake", "Emscripten.cmake", "--preset")      # text that can hold an Emscripten configure
DOCS = ("readme*", "build*.md", "install*.md")
PROMPTS = ("$ ", "% ", "> ")
MAX_ANCESTORS = 8
SCRIPTS = ("*.sh", "*.bash")
CMAKE_NAMES = ("cmake", "cmake.exe")
SKIPPED = (".git", "node_modules")
MAX_SIDE_SCRIPTS = 16       # scripts of side folders read for one file (each read counts against the project's)


@dataclass(frozen=True)
class Configured:
    """What the project's Emscripten configure lines that reach a file set."""
    build_type: Tok | None = None       # ``-DCMAKE_BUILD_TYPE=<value>`` when every line sets the same one
    on: frozenset[str] = frozenset()    # the names one of them sets to a value that is not false
    off: frozenset[str] = frozenset()   # the names every one of them sets to a false value
    lines: tuple = ()                   # each line's (build type Tok or None, {name: value})

    def preset(self) -> dict:
        """The switches and choices (one word, not ``CMAKE_*``) every line sets to the same
        known value: cache entries before the project is read, whatever it declares."""
        if not self.lines:
            return {}
        common = None
        for _, entries in self.lines:
            mine = {n: v for n, v in entries.items() if v.known and v.text and not n.startswith("CMAKE_")
                    and not any(c.isspace() for c in v.text)}
            common = mine if common is None else {n: v for n, v in common.items()
                                                   if n in mine and mine[n].text == v.text}
        return common or {}


def configured(project, cmake_rel: str) -> Configured | None:
    """The configuration the project's Emscripten configure lines give the file; None
    when no such line reaches it. A build type counts only when every line sets it alike
    (cornerstone's ``emcmake cmake -DCMAKE_BUILD_TYPE=Debug ..`` in build.sh): a line
    without one leaves the CMakeLists' own default, another build. So does a switch every
    line turns off (ncnn's release: ``-DNCNN_BUILD_TOOLS=OFF``)."""
    from .cmake_toolchain_choice import may_pick, picks_emscripten
    from .emscripten_wrappers import cache_entries, emscripten_cmake_at
    on: set[str] = set()
    off: set[str] | None = None
    if project is None or project.root is None:
        return None
    found, types, lines = False, [], []
    rel_dir = posixpath.dirname(cmake_rel) or "."
    text = project.read(cmake_rel)
    choice = text is not None and may_pick(text)
    for argv, folder, strict in _commands(project, rel_dir, choice):
        argv = preset_argv(project, rel_dir, argv)
        words = [t.text.text for t in argv]
        at = emscripten_cmake_at(words)
        if at is None and choice and words and basename(words[0]) in CMAKE_NAMES:
            at = 0 if picks_emscripten(text, cmake_rel, dict(cache_entries(argv[1:]))) else None
            strict = True
        if at is not None and strict and _source_of(words[at + 1:], _folder(folder)) != posixpath.normpath(rel_dir):
            at = None                   # it configures another folder (or one not known)
        if at is not None:
            found = True
            entries = cache_entries(argv[at + 1:])
            on |= {name for name, v in entries if not v.known or not false_value(v.text)}
            falses = {name for name, v in entries if v.known and false_value(v.text)}
            off = falses if off is None else off & falses
            value = next((v for name, v in reversed(entries) if name == "CMAKE_BUILD_TYPE"), None)
            types.append(None if value is None or not value.known or not value.text
                         else Tok(value, argv[0].index))
            lines.append((types[-1], dict(entries)))
    alike = len({t.value if t is not None else None for t in types}) == 1
    return Configured(types[0] if alike else None, frozenset(on), frozenset((off or set()) - on),
                      tuple(lines)) if found else None


def _commands(project, rel_dir: str, plain: bool) -> list[tuple[list, tuple | None, bool]]:
    """Every command of the files that may configure ``rel_dir``: its argv (Toks), where
    it runs (its text's starting folder and its ``cd``s: ``_folder``; None: not known) and whether it must name ``rel_dir`` as
    its source folder to configure it (a script of a side folder). ``plain``: a plain
    ``cmake`` line may configure it too (``cmake_toolchain_choice``)."""
    from .make_runs import _surface_files, surface_commands
    from .shell_eval import evaluate
    from .workflow_scripts import may_run_script
    out = []
    docs = _docs(project, rel_dir)
    surfaces = _surface_files(project, rel_dir, posixpath.join(rel_dir, "CMakeLists.txt"))
    # a Makefile above the folder may configure it too (kuzu's ``wasm:`` target runs
    # ``cd build/wasm && emcmake cmake -DBUILD_WASM=TRUE ../..``)
    surfaces += [rel for rel in _makefiles_up(project, rel_dir) if rel not in surfaces]
    for rel in surfaces + docs:
        text = project.read(rel)
        follow = text is not None and may_run_script(rel, text)
        if text is None or not (follow or any(m in text for m in MARKERS) or plain and "cmake" in text):
            continue
        if rel in docs:
            for line in fenced_commands(text):
                out += [(cmd.argv, None, False)
                        for cmd in evaluate(PStr.synth(line), LineIndex(line, project.shown(rel))).commands]
        else:
            out += [(argv, (base, cwd), False) for base, commands in surface_commands(
                project, rel, text, follow)[1] for argv, cwd in commands]
    return out + _side_commands(project, rel_dir, set(surfaces), plain)


def _folder(where: tuple[str, str | None] | None) -> str | None:
    """The project folder a command runs in: its text's starting folder, then its ``cd``s."""
    base, cwd = where or (UNKNOWN, None)
    if cwd is None or UNKNOWN in base + cwd:
        return None
    return posixpath.normpath(posixpath.join(base, cwd))


def _source_of(args: list[str], folder: str | None) -> str | None:
    """The project folder a cmake configure's arguments (after ``cmake``) name as source."""
    from .emscripten_wrappers import cmake_source
    source = cmake_source(args)
    if folder is None or source is None or UNKNOWN in source or source.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(folder, source))


def _side_commands(project, rel_dir: str, seen: set[str], plain: bool) -> list[tuple[list, tuple, bool]]:
    """The commands of the scripts in the sub-folders of ``rel_dir`` and of the folders
    above it, run from the project's root (see the module's docstring); each must name
    ``rel_dir`` as its source folder."""
    from .make_runs import surface_commands
    out, read = [], 0
    ups = folders_up(rel_dir, MAX_ANCESTORS)
    markers = MARKERS + (("cmake",) if plain else ())
    for d in ups:
        for sub in project.folders(d):
            folder = posixpath.normpath(posixpath.join(d, sub))
            if folder in ups or sub in SKIPPED:
                continue
            for name in project.list(folder):
                rel = posixpath.join(folder, name)
                if rel in seen or not any(fnmatch.fnmatchcase(name.lower(), g) for g in SCRIPTS):
                    continue
                if read >= MAX_SIDE_SCRIPTS:
                    return out
                read += 1
                text = project.read(rel)
                if text is not None and any(m in text for m in markers):
                    out += [(argv, (".", cwd), True)
                            for _, commands in surface_commands(project, rel, text)[1] for argv, cwd in commands]
    return out


def _makefiles_up(project, rel_dir: str) -> list[str]:
    return [posixpath.normpath(posixpath.join(d, n)) for d in folders_up(rel_dir, MAX_ANCESTORS)
            for n in project.list(d) if n in DEFAULT_NAMES]


def _docs(project, rel_dir: str) -> list[str]:
    return [posixpath.normpath(posixpath.join(d, n)) for d in folders_up(rel_dir, MAX_ANCESTORS)
            for n in project.list(d) if any(fnmatch.fnmatchcase(n.lower(), g) for g in DOCS)]


def fenced_commands(text: str) -> list[str]:
    """The command lines of a Markdown document's fenced code blocks (continuations
    joined, a ``$ `` prompt removed) that can hold an Emscripten configure."""
    out, fenced, pending = [], False, ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced, pending = not fenced, ""
            continue
        if not fenced:
            continue
        if not pending and stripped.startswith(PROMPTS):
            stripped = stripped[2:]
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        command, pending = pending + stripped, ""
        if any(m in command for m in MARKERS):
            out.append(command)
    return out
