"""The switches a directory is built under.

``if(COMPILE_WASM) add_subdirectory(wasm) else() add_subdirectory(app) endif()``: CMake
reads ``wasm/`` only when the build is configured with ``-DCOMPILE_WASM=ON``, so that
directory is evaluated as that configure makes the whole project: the parent's other
``if(COMPILE_WASM)`` blocks (bergamot-translator's ``list(APPEND WASM_LINK_FLAGS …)``)
are taken, its ``if(NOT COMPILE_WASM)`` ones are not. Only switches the user sets are
assumed: a name the project assigns itself, or one Emscripten's toolchain decides, is
evaluated as it is; an ``option(NAME … OFF)`` is assumed on only when one of the project's
Emscripten configure lines sets it (``cmake_runs``), else the directory is built by no
Emscripten configure and stays unreachable.
"""
from __future__ import annotations

import re
import shlex

from .cmake_cond import FALSE_WORDS, TRUE_WORDS

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def reach_assumptions(chain, known: set[str], configured: frozenset[str],
                      turned_off: frozenset[str] = frozenset()) -> dict[str, bool]:
    """{switch: value} that every parent's branch toward the next directory down needs.
    ``chain``: (parent unit, index of its add_subdirectory()); ``known``: names the
    evaluation decides without the user (toolchain, project-assigned); ``configured``: the
    names the project's Emscripten configure lines set on; ``turned_off``: those every one of
    them sets off (ncnn's release configures ``-DNCNN_BUILD_TOOLS=OFF``)."""
    from .cmake_eval import _shape
    out: dict[str, bool] = {}
    for unit, toward in chain:
        ends, branches = _shape(unit)
        for i, end in ends.items():
            if not (i < toward < end) or unit.cmds[i].name != "if":
                continue
            starts = [i, *(k for k in branches.get(i, []) if k < end)]
            for n, start in enumerate(starts):
                stop = starts[n + 1] if n + 1 < len(starts) else end
                cmd = unit.cmds[start]
                if start < toward < stop:
                    if cmd.name != "else":
                        _assume(_words(cmd), True, out, known)
                    break
                _assume(_words(cmd), False, out, known)     # an earlier branch not taken
    off = declared_off(unit for unit, _ in chain)
    return {name: on for name, on in out.items()
            if not (on and ((name in off and name not in configured) or name in turned_off))}


def declared_off(units) -> set[str]:
    """The project's switches that are off in an Emscripten build unless configured on: an
    ``option(NAME "help" OFF)``, and an option of any default declared only for other
    builds (mujoco's ``if(NOT EMSCRIPTEN) option(MUJOCO_BUILD_SIMULATE … ON)``: under
    Emscripten the name is never declared, so ``if(MUJOCO_BUILD_SIMULATE)`` is false)."""
    out = set()
    for unit in units:
        # one pass: each open if's [first condition, whether its current branch excludes
        # Emscripten (`if(NOT EMSCRIPTEN)`, the `else` of `if(EMSCRIPTEN)`)]
        stack: list[list] = []
        native = 0
        for c in unit.cmds:
            n = c.name
            if n == "if":
                words = _words(c)
                stack.append([words, words == ["NOT", "EMSCRIPTEN"]])
                native += stack[-1][1]
            elif n in ("elseif", "else") and stack:
                frame = stack[-1]
                was, frame[1] = frame[1], (_words(c) == ["NOT", "EMSCRIPTEN"] if n == "elseif"
                                           else frame[0] == ["EMSCRIPTEN"])
                native += frame[1] - was
            elif n == "endif" and stack:
                native -= stack.pop()[1]
            elif n == "option":
                w = _option_words(c)
                if w and (len(w) < 3 or w[2].upper() in FALSE_WORDS or native):
                    out.add(w[0])
    return out


def _words(cmd) -> list[str]:
    """A condition's words; ``${NAME}`` is ``NAME``: ``if(${BUILD_WASM})`` tests the switch's
    value (``-DBUILD_WASM=TRUE`` makes it ``if(TRUE)``) as ``if(BUILD_WASM)`` does."""
    inner = cmd.unit.text[cmd.start:cmd.end].split("(", 1)[1].rsplit(")", 1)[0]
    return [_DEREF.sub(r"\1", w.strip('"')) for w in inner.split()]


_DEREF = re.compile(r"\A\$\{([A-Za-z_][A-Za-z0-9_]*)\}\Z")


def _option_words(cmd) -> list[str]:
    """``option(NAME "help text" VALUE)``: its arguments, the help text one word."""
    inner = cmd.unit.text[cmd.start:cmd.end].split("(", 1)[1].rsplit(")", 1)[0]
    try:
        return shlex.split(inner, comments=False)
    except ValueError:
        return []


def _assume(words: list[str], value: bool, out: dict[str, bool], known: set[str]) -> None:
    """A condition that must hold (``value``) or fail: ``A``, ``NOT A``, and ``A AND B``
    that holds or ``A OR B`` that fails, of simple switch names; anything else assumes
    nothing."""
    joiner = "AND" if value else "OR"
    parts: list[list[str]] = [[]]
    for w in words:
        if w == joiner:
            parts.append([])
        else:
            parts[-1].append(w)
    found: dict[str, bool] = {}
    for part in parts:
        negated = len(part) == 2 and part[0] == "NOT"
        name = part[-1] if len(part) == 1 or negated else None
        if name is None or not _NAME.match(name) or name.upper() in TRUE_WORDS | FALSE_WORDS \
                or name in ("AND", "OR", "NOT", "DEFINED") or name in known:
            return
        found[name] = value != negated
    for name, v in found.items():
        out.setdefault(name, v)
