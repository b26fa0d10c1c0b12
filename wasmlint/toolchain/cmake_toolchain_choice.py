"""A CMakeLists.txt that picks Emscripten's toolchain file itself, from the cache entries
of the line that configures it.

CMake loads ``CMAKE_TOOLCHAIN_FILE`` at the first ``project()`` of the top-level
CMakeLists.txt (cmake-toolchains(7)), so a ``set(CMAKE_TOOLCHAIN_FILE
".../Emscripten.cmake")`` written before it, under an ``if()`` on a cache entry, makes the
configure line that sets that entry an Emscripten build as ``emcmake cmake`` would:
julius's ``if(${TARGET_PLATFORM} STREQUAL "emscripten" AND NOT DEFINED
CMAKE_TOOLCHAIN_FILE)`` sets it from ``$ENV{EMSDK}``, and its CI's ``cmake
-DCMAKE_BUILD_TYPE=Release -DTARGET_PLATFORM=emscripten ..`` is the web build. The
conditions are decided by the line's entries alone: a name the line does not set and the
file assigns before is not known (no choice), one neither sets is undefined;
``string(TOLOWER|TOUPPER in out)`` keeps a known value known. A test that is not known
(``if(DEFINED ENV{EMSDK})``) is passed when every other branch of its ``if`` stops the
configure with ``message(FATAL_ERROR …)``: a configure that goes on took it.
"""
from __future__ import annotations

from .cmake_cond import evaluate
from .pstr import UNKNOWN, LineIndex, PStr

TOOLCHAIN = "CMAKE_TOOLCHAIN_FILE"
MARK = "emscripten.cmake"
# commands that write a variable named among their arguments
WRITERS = frozenset(("list", "string", "math", "file", "get_filename_component", "cmake_path",
                     "separate_arguments", "unset", "execute_process"))


def may_pick(text: str) -> bool:
    """Whether a CMakeLists names the toolchain file and Emscripten's (a byte prefilter)."""
    return TOOLCHAIN in text and MARK in text.lower()


def picks_emscripten(text: str, rel: str, entries: dict[str, PStr]) -> bool:
    """Whether the top-level CMakeLists ``text``, configured with the cache ``entries``,
    sets Emscripten's toolchain file before its first ``project()``."""
    if not may_pick(text) or TOOLCHAIN in entries:
        return False
    from .cmake_files import Unit, parse
    from .cmake_values import arguments
    try:
        unit = Unit(rel, "", text, LineIndex(text, rel), 0)
        cmds = parse(text, unit)
    except Exception:           # a file that does not parse picks nothing (its reader reports it)
        return False
    known = dict(entries)       # the line's entries, until the file sets the name as a normal variable
    assigned: set[str] = set()  # names the file sets: not known here
    stack: list[list] = []      # each open if: [a branch taken before, this one taken (None: not known),
    #                             whether every other branch stops the configure]
    stops = _stopping_branches(cmds)

    def lookup(name: str):
        if name in known:
            return known[name], True
        return (PStr.synth(UNKNOWN), True) if name in assigned else (None, True)

    for k, c in enumerate(cmds):
        n = c.name.lower()
        if n == "project":
            return False
        args = arguments(c.read_args, {**{k: PStr.synth(UNKNOWN) for k in assigned}, **known})
        if n == "if":
            truth = evaluate(args, lookup).value
            stack.append([truth, truth, stops.get(k, False)])
        elif n == "elseif" and stack:
            frame, truth = stack[-1], evaluate(args, lookup).value
            frame[1] = False if frame[0] is True else (None if frame[0] is None else truth)
            frame[0] = True if frame[0] is True else (None if frame[0] is None else truth)
            frame[2] = stops.get(k, False)
        elif n == "else" and stack:
            frame = stack[-1]
            frame[1] = None if frame[0] is None else not frame[0]
            frame[2] = stops.get(k, False)
        elif n == "endif" and stack:
            stack.pop()
        elif any(f[1] is False for f in stack):
            continue                    # a branch not taken sets nothing
        elif n == "set" and args:
            name = args[0][0].text
            if name == TOOLCHAIN and len(args) > 1 and args[1][0].text.lower().endswith(MARK):
                if all(f[1] is True or f[1] is None and f[2] for f in stack):
                    return True
            words = [a.text for a, _ in args]
            if "CACHE" not in words or "FORCE" in words:
                known.pop(name, None)      # a normal variable hides the cache entry
            if name not in known:
                assigned.add(name)
        elif n == "option" and args and args[0][0].text not in known:
            assigned.add(args[0][0].text)      # the cache entry, when the line does not set it
        elif n == "string" and len(args) == 3 and args[0][0].text in ("TOLOWER", "TOUPPER"):
            value, out = args[1][0], args[2][0].text
            if UNKNOWN in value.text:
                known.pop(out, None)
                assigned.add(out)
            else:
                known[out] = PStr.synth(value.text.lower() if args[0][0].text == "TOLOWER" else value.text.upper())
        elif n in WRITERS:              # a name they may write is no longer the line's value
            for a, _ in args:
                if a.text.isidentifier():
                    known.pop(a.text, None)
                    assigned.add(a.text)
    return False


def _stopping_branches(cmds: list) -> dict[int, bool]:
    """For each ``if``/``elseif``/``else`` (by index): whether every other branch of its
    ``if`` holds a ``message(FATAL_ERROR …)`` at its own level (an ``if`` without ``else``
    has a branch that goes on)."""
    out: dict[int, bool] = {}
    stack: list[list] = []      # each open if: [[branch index, stops] …]
    for k, c in enumerate(cmds):
        n = c.name.lower()
        if n == "if":
            stack.append([[k, False]])
        elif n in ("elseif", "else") and stack:
            stack[-1].append([k, False])
        elif n == "endif" and stack:
            branches = stack.pop()
            complete = cmds[branches[-1][0]].name.lower() == "else"
            for b in branches:
                out[b[0]] = complete and all(o[1] for o in branches if o is not b)
        elif n == "message" and stack and c.read_args and c.read_args[0][1].text == "FATAL_ERROR":
            stack[-1][-1][1] = True
    return out
