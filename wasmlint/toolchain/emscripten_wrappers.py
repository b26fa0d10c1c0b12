"""``emmake`` / ``emconfigure``: the environment a Makefile runs in under Emscripten's wrappers.

``emmake make`` and ``emconfigure ./configure`` run their command with ``CC=emcc``,
``CXX=em++``, ``LD=emcc``, ``LDSHARED=emcc``, ``AR=emar``, ``RANLIB=emranlib`` in the
environment (emscripten ``tools/building.py: get_building_env``). In make, a variable
from the environment replaces make's built-in default (``CC=cc``, ``LD=ld`` …) but not
an assignment in the Makefile. So under the wrapper a recipe's ``$(CC)``, ``$(CXX)``,
``$(LD)`` is emcc unless the Makefile sets it. (A literal ``cc`` in a recipe stays the
host compiler: the wrappers set variables, they do not shim ``PATH``.)

``emcmake cmake … -DCMAKE_C_FLAGS=… -DCMAKE_CXX_FLAGS=… -DCMAKE_EXE_LINKER_FLAGS=…`` (or
``cmake -DCMAKE_TOOLCHAIN_FILE=…/Emscripten.cmake …``) configures a CMake project whose
every emcc link gets those flags (CMake splits them like a shell): the configure line is
read as the flags of those links.

A Makefile is read as run under the wrapper when its own flags carry emcc settings
(``-s NAME=…``, ``-sNAME``: no other compiler takes them) and it names no emcc of its own
(``CXX_wasm = em++``: those settings are that compiler's, and its ``$(CXX)`` the host's),
or when a file in its folder
or a folder above it (a README, a shell script, a Dockerfile, a package.json) or a
workflow of the project runs ``emmake make`` / ``emconfigure``.
"""
from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass, field

from ..classify import kind_by_name as classify_kind
from ..launch.argv import basename
from .makefile_expand import BUILTIN
from .project_files import folders_up
from .pstr import STRIDE, LineIndex, PStr, Tok

WRAPPER_ENV = {"CC": "emcc", "CXX": "em++", "LD": "emcc", "LDSHARED": "emcc", "AR": "emar",
               "RANLIB": "emranlib"}
EVIDENCE_NAMES = ("readme*", "*.sh", "*.bash", "dockerfile", "dockerfile.*", "*.dockerfile", "package.json",
                  "build*.md", "makefile", "gnumakefile")
MAKE_WORDS = ("make", "$(MAKE)", "${MAKE}", "gmake", "mingw32-make")
MAX_ANCESTORS = 8


def uses_tool_vars(words: list[str]) -> bool:
    """Whether a Makefile runs ``$(CC)``/``$(CXX)``/``$(LD)``/``$(LDSHARED)`` (the wrapper sets them),
    itself or through make's built-in ``$(LINK.c)``, ``$(COMPILE.cc)`` … (``makefile_expand.BUILTIN``)."""
    refs = {f"{o}{n}{c}" for n in ("CC", "CXX", "LD", "LDSHARED", *BUILTIN) for o, c in (("$(", ")"), ("${", "}"))}
    return any("$" in w and any(r in w for r in refs) for w in words)


def runs_wrapper(text: str) -> bool:
    """Whether text shows ``emmake make`` (or ``$(MAKE)``, ``gmake`` …) or ``emconfigure``."""
    words = text.replace("`", " ").replace('"', " ").replace("'", " ").split()
    for k, w in enumerate(words):
        base = basename(w)
        if base in ("emconfigure", "emconfigure.py", "emconfigure.bat"):
            return True
        if base in ("emmake", "emmake.py", "emmake.bat") and k + 1 < len(words) \
                and basename(words[k + 1]) in MAKE_WORDS:
            return True
    return False


@dataclass
class Wrapped:
    """A Makefile run under the wrapper: the environment make gets (the wrapper's, then a
    Dockerfile's ``ENV`` when a Dockerfile runs it) and the files those values come from."""

    env: dict[str, PStr]
    linked: list[LineIndex] = field(default_factory=list)
    goals: frozenset[str] | None = None   # what every `emmake make` seen builds (None: the default goal)


def find_wrapper(project, rel_dir: str, own_name: str) -> Wrapped | None:
    """Evidence in ``rel_dir`` or a folder above it, or in a workflow, that make runs under
    ``emmake``/``emconfigure``; the nearest Dockerfile that runs it gives its ``ENV``."""
    if project is None or project.root is None:
        return None
    from ..sources.dockerfile import wrapper_environment
    from .make_goals import run_goals
    found: Wrapped | None = None
    goals: list[frozenset[str] | None] = []
    for d in folders_up(rel_dir, MAX_ANCESTORS):
        for name in project.list(d):
            low = name.lower()
            if (name == own_name and d == rel_dir) or not any(fnmatch.fnmatchcase(low, g) for g in EVIDENCE_NAMES):
                continue
            rel = posixpath.normpath(posixpath.join(d, name))
            text = project.read(rel)
            if text is None or not runs_wrapper(text):
                continue
            goals.append(run_goals(text))
            docker = wrapper_environment(text, project.shown(rel)) if classify_kind(name) == "dockerfile" else None
            if docker is not None:      # emmake sets CC … over what the image has
                index, env = docker
                values = {k: PStr(v.value, tuple(v.starts), tuple(v.ends)).shifted(STRIDE) for k, v in env.items()}
                return Wrapped({**values, **wrapper_env()}, [index], _together(goals))
            found = found or Wrapped(wrapper_env())
    if found is None:
        for name in project.list(".github/workflows"):
            text = project.read(f".github/workflows/{name}") if name.endswith((".yml", ".yaml")) else None
            if text is not None and runs_wrapper(text):
                return Wrapped(wrapper_env(), goals=run_goals(text))
        return None
    found.goals = _together(goals)
    return found


def _together(goals: list[frozenset[str] | None]) -> frozenset[str] | None:
    """The goals of all the runs seen; None when one of them builds the default goal."""
    if not goals or any(g is None for g in goals):
        return None
    return frozenset().union(*goals)


CONFIGURE_FLAG_VARS = ("CMAKE_C_FLAGS", "CMAKE_CXX_FLAGS", "CMAKE_EXE_LINKER_FLAGS")


# the cache entries that load a toolchain file: CMake's own, and vcpkg's, whose toolchain
# (scripts/buildsystems/vcpkg.cmake) includes VCPKG_CHAINLOAD_TOOLCHAIN_FILE first (vcpkg's
# wasm32-emscripten triplet is used with Emscripten.cmake chainloaded)
TOOLCHAIN_ENTRIES = ("-DCMAKE_TOOLCHAIN_FILE", "-DVCPKG_CHAINLOAD_TOOLCHAIN_FILE")


def emscripten_cmake_at(words: list[str]) -> int | None:
    """The index of ``cmake`` in ``emcmake cmake …`` or in a cmake run with Emscripten's
    toolchain file, else None."""
    for k, w in enumerate(words[:6]):
        base = basename(w)
        if base in ("emcmake", "emcmake.py", "emcmake.bat") and k + 1 < len(words) \
                and basename(words[k + 1]) in ("cmake", "cmake.exe"):
            return k + 1
        if base in ("cmake", "cmake.exe") and any(
                a.startswith(TOOLCHAIN_ENTRIES) and a.endswith("Emscripten.cmake") for a in words[k + 1:]):
            return k
    return None


# cmake options whose value is the next word (``-D NAME=v`` too: its value is no path)
CMAKE_VALUE_OPTIONS = ("-B", "-G", "-T", "-A", "-C", "-S", "-D", "-U", "--preset", "--toolchain", "--install-prefix")


def cmake_source(args: list[str]) -> str | None:
    """The source folder of a cmake configure's arguments (after ``cmake``), as cmake(1)
    takes it: ``-S DIR``; else the path named (``cmake ..`` from a build folder; when it is
    an existing build folder instead, the source is the one its CMakeCache.txt names, which
    only a run writes); else, with ``-B`` or ``--preset``, the working folder. None for a ``--build`` or
    ``--install`` run, or a line that names neither."""
    source, build, k = None, False, 0
    while k < len(args):
        a = args[k]
        if a in ("--build", "--install", "-E", "-P"):
            return None
        if a == "-S" and k + 1 < len(args):
            return args[k + 1]
        if a.startswith("-S") and len(a) > 2:
            return a[2:]
        if a in CMAKE_VALUE_OPTIONS:
            build = build or a in ("-B", "--preset")
            k += 1
        elif a.startswith(("-B", "--preset=")):
            build = True
        elif not a.startswith("-") and source is None:
            source = a
        k += 1
    return source if source is not None else ("." if build else None)


# what a configure script passes to the link: autoconf's output variables (``./configure
# LDFLAGS=…``; automake links with CFLAGS and LDFLAGS) and the --extra-ldflags of the
# hand-written configure scripts of ffmpeg and QEMU
SCRIPT_LINK_OPTIONS = ("LDFLAGS=", "CFLAGS=", "--extra-ldflags=")
# QEMU's configure (the one with --target-list) writes meson's c_link_args from CFLAGS, LDFLAGS,
# --extra-cflags and --extra-ldflags (cpp_link_args: CXXFLAGS, --extra-cxxflags): its extra
# compile flags reach the link too. ffmpeg's link rule reads LDFLAGS alone.
QEMU_LINK_OPTIONS = ("--extra-cflags=", "--extra-cxxflags=", "CXXFLAGS=")


def emscripten_configure_at(words: list[str]) -> int | None:
    """The index of the script in ``emconfigure ./configure …`` (or ``sh ./configure``), else None."""
    for k, w in enumerate(words[:4]):
        if basename(w) in ("emconfigure", "emconfigure.py", "emconfigure.bat"):
            rest = [x for x in words[k + 1:k + 3] if basename(x) not in ("sh", "bash")]
            if rest and basename(rest[0]) == "configure":
                return words.index(rest[0], k + 1)
    return None


def configure_script_flags(cmd, start: int, index=None) -> list[Tok]:
    """The link flags a configure script's arguments (``cmd.argv[start:]``) set, in order
    (``SCRIPT_LINK_OPTIONS``), as the words make passes on; also those of ``emmake make
    CFLAGS=… LDFLAGS=…`` over the Makefile configure wrote. Each word is placed where it was
    written (``Command.value_words``): ``$CONFIGURE CFLAGS="$F"`` in this script, of an ``F``
    another script exported, gives that script's flags as written there, where a link of
    that script reading the same variable reports them too."""
    out = []
    argv = cmd.argv
    qemu = any(tok.text.text.startswith("--target-list=") for tok in argv[start:])
    for k in range(start, len(argv)):
        for option in SCRIPT_LINK_OPTIONS + (QEMU_LINK_OPTIONS if qemu else ()):
            if argv[k].text.text.startswith(option):
                out += cmd.value_words(k, len(option), index)
    return out


def link_variables(env: dict, argv: list[Tok]) -> list[tuple[str, PStr]]:
    """A configure script's variables for some of its links, set in its environment or as
    ``NAME=value`` arguments: a name ending in ``_LDFLAGS`` other than ``LDFLAGS`` itself
    (R's configure: ``MAIN_LDFLAGS`` for the R binary, ``SHLIB_LDFLAGS`` for shared libraries;
    automake's per-program ``prog_LDFLAGS``). Each is added to LDFLAGS for its links only."""
    found = {name: v for name, v in env.items() if name.endswith("_LDFLAGS") and isinstance(v, PStr)}
    for tok in argv:
        name, eq, _ = tok.text.text.partition("=")
        if eq and name.endswith("_LDFLAGS") and name.isidentifier() and name.isupper():
            found[name] = tok.text[len(name) + 1:]
    return sorted(found.items())


def configure_flags(argv: list[Tok]) -> tuple[list[str], list[PStr], str | None]:
    """The flag variables a cmake configure line sets, their values in order, and
    ``CMAKE_BUILD_TYPE``."""
    from .emcc_args import carries_emcc_settings
    names, values, build_type = [], [], None
    for name, value in cache_entries(argv):
        # the project's own flag variables too (OpenRCT2's -DEMSCRIPTEN_LDFLAGS="-s …"): only
        # emcc takes `-s NAME`, so a value that carries one is meant for its commands
        if name in CONFIGURE_FLAG_VARS or not name.startswith("CMAKE_") and value.known \
                and carries_emcc_settings(value.text.split()):
            names.append(name)
            values.append(value)
        elif name == "CMAKE_BUILD_TYPE":
            build_type = value.text
    return names, values, build_type


def cache_entries(argv: list[Tok]) -> list[tuple[str, PStr]]:
    """The cache entries a cmake configure line sets (``-DNAME=v``, ``-DNAME:TYPE=v``,
    ``-D NAME=v``): (name, value), in order."""
    out = []
    k = 0
    while k < len(argv):
        tok = argv[k].text
        if tok.text == "-D" and k + 1 < len(argv):
            tok, k = argv[k + 1].text, k + 1
        elif tok.text.startswith("-D"):
            tok = tok[2:]
        else:
            k += 1
            continue
        key, eq, _ = tok.text.partition("=")
        if eq:
            out.append((key.split(":", 1)[0], tok[len(key) + 1:]))
        k += 1
    return out


def wrapper_env() -> dict[str, PStr]:
    return {name: PStr.synth(value) for name, value in WRAPPER_ENV.items()}


def emmake_make_at(words: list[str]) -> int | None:
    """The index of make in ``emmake make …``, else None."""
    for k, w in enumerate(words[:3]):
        if basename(w) in ("emmake", "emmake.py", "emmake.bat") and k + 1 < len(words) \
                and basename(words[k + 1]) in MAKE_WORDS:
            return k + 1
    return None
