"""The build type of one target when the project's Emscripten configure lines disagree.

Each configure line is its own build: ``-D`` entries exist before the project is read
(cmake(1)), so a line that sets a switch the definition of a target is made under to
the other value (``-DENABLE_GUI=OFF`` for an ``add_executable`` inside ``if(ENABLE_GUI)``)
configures a build without that target. solvespace's ``build-web.sh release`` configures
``-DCMAKE_BUILD_TYPE=Release`` for the web app and ``build-wasmlib.sh`` configures
``-DCMAKE_BUILD_TYPE=RelWithDebInfo -DENABLE_GUI=OFF`` for the library: the app is the
Release build's, linked with ``CMAKE_<LANG>_FLAGS_RELEASE``. When the lines that can build
the target all pass one build type, that is the target's; otherwise none is known.
"""
from __future__ import annotations

from .cmake_cond import evaluate as evaluate_condition
from .cmake_targets import Guard, Target
from .pstr import UNKNOWN, PStr, Tok

_UNDECIDABLE = frozenset(("TARGET", "COMMAND", "POLICY", "TEST"))   # what a line's entries do not tell


def target_build_type(lines: tuple, t: Target) -> Tok | None:
    """The build type of the configure lines (``cmake_runs.Configured.lines``) that can build
    ``t``, when some line cannot and the others all pass the same one."""
    if not lines or not t.guards:
        return None
    building = [(kind, entries) for kind, entries in lines
                if not any(_turns_off(g, entries) for g in t.guards)]
    if not building or len(building) == len(lines):
        return None          # every line (or none) builds it: the file's own answer stands
    kinds = {kind.value if kind is not None else None for kind, _ in building}
    return building[0][0] if len(kinds) == 1 and None not in kinds else None


def _turns_off(guard: Guard, entries: dict) -> bool:
    """The line's entries decide the condition against the way the definition took it;
    every name the line does not set keeps the value it had there."""
    if any(w.text in _UNDECIDABLE for w, quoted in guard.words if not quoted):
        return False

    def lookup(name: str):
        if name in entries and name not in guard.shadowed:
            return entries[name], False
        return guard.values.get(name, (PStr.synth(UNKNOWN), True))
    truth = evaluate_condition(guard.words, lookup)
    return truth.value is not None and truth.value != guard.expected
