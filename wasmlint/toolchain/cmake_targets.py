"""What the CMake commands about targets do to an evaluation (``cmake_eval.Run``):
``add_executable``/``add_library``, their link options (``target_link_options``,
``target_link_libraries``, ``add_link_options``, ``set_target_properties``,
``set_property``), and ``add_custom_command``/``add_custom_target`` command lines
(a ``POST_BUILD`` ``cmake -E copy`` of a target's output: where the output also goes)."""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..facts import Span
from .cmake_files import Cmd, Unit
from .cmake_values import list_items
from .pstr import PStr, shell_split

if TYPE_CHECKING:
    from .cmake_eval import Run

SCOPES = ("PRIVATE", "PUBLIC", "INTERFACE")


CUSTOM_KEYWORDS = frozenset((
    "OUTPUT", "COMMAND", "ARGS", "MAIN_DEPENDENCY", "DEPENDS", "BYPRODUCTS", "IMPLICIT_DEPENDS",
    "WORKING_DIRECTORY", "COMMENT", "DEPFILE", "JOB_POOL", "JOB_SERVER_AWARE", "VERBATIM", "APPEND",
    "USES_TERMINAL", "COMMAND_EXPAND_LISTS", "CODEGEN", "DEPENDS_EXPLICIT_ONLY", "TARGET", "PRE_BUILD",
    "PRE_LINK", "POST_BUILD", "ALL", "SOURCES", "ECHO_OUTPUT_VARIABLE", "ECHO_ERROR_VARIABLE",
))


@dataclass
class Target:
    name: str
    span: Span
    kind: str = "unknown"        # executable | static | shared | interface | unknown (not defined here)
    main: bool = True            # defined by the file being read (not by a parent)
    own: list = field(default_factory=list)        # PStr items of its own link
    own_string: list = field(default_factory=list)  # LINK_FLAGS: PStr words
    iface: list = field(default_factory=list)      # PStr items its consumers link with
    libs: list = field(default_factory=list)       # names of targets it links
    copies: list = field(default_factory=list)     # (sources, destination) of its POST_BUILD `cmake -E copy`
    guards: tuple = ()       # the conditions on configure-time values the definition is made under
    included: Unit | None = None     # the outermost file being include()d when it was defined


@dataclass(frozen=True)
class Guard:
    """A condition on values the user sets when configuring (``if(ENABLE_GUI)``), taken
    (``expected``) or not on the way to a definition; ``values``: what the names it reads
    held then (name → (value or None, settable by the user)); ``shadowed``: those a normal
    variable held (a ``-D`` entry does not change those)."""
    words: list
    expected: bool
    values: dict
    shadowed: frozenset


@dataclass
class Custom:
    argv: list       # PStr words
    span: Span


def _h_add_executable(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if not args or not args[0].known or {a.text for a in args[1:3]} & {"IMPORTED", "ALIAS"}:
        return
    run.target(args[0].text, c, "executable")


def _h_add_library(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if not args or not args[0].known or {a.text for a in args[1:3]} & {"IMPORTED", "ALIAS"}:
        return
    words = {a.text for a in args[1:3]}
    kind = "interface" if "INTERFACE" in words or "OBJECT" in words else "static"
    if "SHARED" in words or "MODULE" in words:
        kind = "shared"
    elif not words & {"STATIC", "INTERFACE", "OBJECT"}:
        shared = run.view().get("BUILD_SHARED_LIBS")
        if shared is not None and shared.known and shared.text.upper() in ("ON", "1", "TRUE", "YES"):
            kind = "shared"
    run.target(args[0].text, c, kind)


def _h_target_link_options(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if not args:
        return
    t = run.target(args[0].text if args[0].known else "(unknown target)", c)
    scope = "PRIVATE"
    for a in args[1:]:
        if a.text in SCOPES:
            scope = a.text
        elif a.text != "BEFORE":
            _add_items(t, scope, [a])
            if t.main and scope != "INTERFACE":
                run.charge_found(sum(x.text.startswith("-s") and not x.text.startswith("-shared")
                                     for x in list_items(a)), "emcc settings")


def _h_target_link_libraries(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if not args or not args[0].known:
        return
    t = run.target(args[0].text, c)
    scope = "PUBLIC"
    for a in args[1:]:
        if a.text in SCOPES or a.text in ("LINK_PRIVATE", "LINK_PUBLIC", "LINK_INTERFACE_LIBRARIES"):
            scope = {"LINK_PRIVATE": "PRIVATE", "LINK_PUBLIC": "PUBLIC"}.get(a.text, a.text)
            if scope == "LINK_INTERFACE_LIBRARIES":
                scope = "INTERFACE"
        elif a.text.startswith("-") and not a.text.startswith(("-l", "-framework")):
            # "items starting with -: linker flags", written into the link command as they
            # are, so the shell splits them: glslang's "-s MODULARIZE=1" is two words to emcc
            _add_items(t, scope, [PStr.synth("SHELL:") + x if " " in x.text else x for x in list_items(a)])
        elif a.known:
            t.libs.append(a.text)


def _add_items(t: Target, scope: str, items: list[PStr]) -> None:
    items = [x for item in items for x in list_items(item)]
    if scope in ("PRIVATE", "PUBLIC"):
        t.own += items
    if scope in ("PUBLIC", "INTERFACE"):
        t.iface += items


def _h_add_link_options(run: Run, c: Cmd) -> None:
    run.link_opts += run.args(c)


def _h_set_target_properties(run: Run, c: Cmd) -> None:
    args = run.args(c)
    words = [a.text for a in args]
    if "PROPERTIES" not in words:
        return
    k = words.index("PROPERTIES")
    pairs = args[k + 1:]
    for name in words[:k]:
        for key, value in zip(pairs[::2], pairs[1::2]):
            _set_link_property(run, run.target(name, c), key.text, [value], append=False, string=False)


def _h_set_property(run: Run, c: Cmd) -> None:
    args = run.args(c)
    words = [a.text for a in args]
    if not words or words[0] != "TARGET" or "PROPERTY" not in words:
        return
    k = words.index("PROPERTY")
    prop, values = (words[k + 1] if k + 1 < len(words) else ""), args[k + 2:]
    for name in [w for w in words[1:k] if w not in ("APPEND", "APPEND_STRING")]:
        _set_link_property(run, run.target(name, c), prop, values, append="APPEND" in words[1:k],
                           string="APPEND_STRING" in words[1:k])


def _set_link_property(run: Run, t: Target, prop: str, values: list[PStr], *, append: bool, string: bool) -> None:
    if prop == "LINK_FLAGS" or (prop.startswith("LINK_FLAGS_") and prop[11:] == (run.config() or "").upper()):
        words = [w for v in values for w in shell_split(v)]
        t.own_string = (t.own_string if append or string else []) + words
    elif prop == "LINK_OPTIONS":
        t.own = (t.own if append else []) + [x for v in values for x in list_items(v)]
    elif prop == "INTERFACE_LINK_OPTIONS":
        t.iface = (t.iface if append else []) + [x for v in values for x in list_items(v)]


def _h_add_custom_command(run: Run, c: Cmd) -> None:
    if run.anchor is None:
        return
    args = run.args(c)
    rest = args[1:] if c.name == "add_custom_target" else args
    if c.name == "add_custom_target" and rest and rest[0].text == "ALL":
        rest = rest[1:]
    commands: list[list[PStr]] = []
    current: list[PStr] | None = None
    if c.name == "add_custom_target" and rest and rest[0].text not in CUSTOM_KEYWORDS:
        current = []            # add_custom_target(name [ALL] command args…)
        commands.append(current)
    for a in rest:
        if a.text == "COMMAND":
            current = []
            commands.append(current)
        elif a.text == "ARGS" and current is not None:
            continue
        elif a.text in CUSTOM_KEYWORDS:
            current = None
        elif current is not None:
            current.append(a)
    post_build = (c.name == "add_custom_command" and len(args) > 2 and args[0].text == "TARGET"
                  and args[1].known and "POST_BUILD" in (a.text for a in args[2:]))
    for argv in commands:
        if post_build and _copies(argv):
            run.target(args[1].text, c).copies.append(_copies(argv))
        elif argv:
            run.customs.append(Custom(argv, run.anchor_span(c)))


def _copies(argv: list[PStr]) -> tuple[list[str], str] | None:
    """``${CMAKE_COMMAND} -E copy|copy_if_different SRC… DST``: the files and where they go."""
    words = [a.text for a in argv]
    if (len(words) < 5 or posixpath.basename(words[0]) != "cmake" or words[1] != "-E"
            or words[2] not in ("copy", "copy_if_different")):
        return None
    return words[3:-1], words[-1]


TARGET_HANDLERS = {
    "add_executable": _h_add_executable, "add_library": _h_add_library,
    "target_link_options": _h_target_link_options, "target_link_libraries": _h_target_link_libraries,
    "add_link_options": _h_add_link_options, "set_target_properties": _h_set_target_properties,
    "set_property": _h_set_property, "add_custom_command": _h_add_custom_command,
    "add_custom_target": _h_add_custom_command,
}
