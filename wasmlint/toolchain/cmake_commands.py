"""What the CMake commands do to an evaluation (``cmake_eval.Run``): variables (``set``,
``list``, ``string``, ``option``, ``cmake_parse_arguments`` …), targets and their link
options (``add_executable``, ``target_link_options``, ``set_target_properties`` …),
``add_custom_command``/``add_custom_target`` command lines, ``include()`` of project files,
and the commands whose results are not known statically (``find_*``, ``file(READ)`` …:
their output variables are unknown; compiler checks pass).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..facts import Span
from .cmake_files import Cmd, Unit
from .cmake_values import join_list, list_items, replace_text
from .pstr import UNKNOWN, PStr, shell_split

if TYPE_CHECKING:
    from .cmake_eval import Run

MAX_DEPTH = 16            # nested include()/calls
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


@dataclass
class Custom:
    argv: list       # PStr words
    span: Span


class Return(Exception):
    """return(): leaves the file or function (a macro's leaves its caller's)."""


class Break(Exception):
    pass


class Continue(Exception):
    pass


class Fatal(Exception):
    """message(FATAL_ERROR) in a variant the base does not stop in: no build."""


@dataclass
class Def:
    kind: str          # function | macro
    params: list
    unit: Unit
    start: int         # index of the function() command
    close: int         # index of endfunction()


def _h_set(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if not args:
        return
    name, values = args[0].text, args[1:]
    words = [v.text for v in values]
    if name.startswith("ENV{"):
        return
    if "CACHE" in words:
        k = words.index("CACHE")
        value = join_list(values[:k], ";")
        if "FORCE" in words[k:] or name not in run.cache:
            run.cache[name] = value
            run.vars.pop(name, None)
        return
    parent = bool(words) and words[-1] == "PARENT_SCOPE"
    if parent:
        values = values[:-1]
    run._set_var(name, join_list(values, ";") if values else None, parent)


def _h_unset(run: Run, c: Cmd) -> None:
    args = [a.text for a in run.args(c)]
    if not args:
        return
    run.internal.add(args[0])
    if "CACHE" in args[1:]:
        run.cache.pop(args[0], None)
    else:
        run._set_var(args[0], None, "PARENT_SCOPE" in args[1:])


def _h_option(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if args and args[0].text not in run.vars and args[0].text not in run.cache:
        run.cache[args[0].text] = args[2] if len(args) >= 3 else PStr.synth("OFF")


def _h_list(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if len(args) < 2:
        return
    op, name = args[0].text, args[1].text
    old = run.view().get(name)
    if op in ("APPEND", "PREPEND"):      # the list grows at one end: its items stay as they are
        parts = [p for p in (old, join_list(list(args[2:]), ";")) if p is not None and p.text]
        run.vars[name] = join_list(parts if op == "APPEND" else parts[::-1], ";")
        return
    items = list_items(old) if old is not None else []
    if op == "REMOVE_ITEM":
        drop = {a.text for a in args[2:]}
        run.vars[name] = join_list([x for x in items if x.text not in drop], ";")
    elif op == "REMOVE_DUPLICATES":
        seen, kept = set(), []
        for x in items:
            if x.text not in seen:
                seen.add(x.text)
                kept.append(x)
        run.vars[name] = join_list(kept, ";")
    elif op == "JOIN" and len(args) >= 4:
        run.vars[args[3].text] = join_list(items, args[2].text)
    elif op == "LENGTH" and len(args) >= 3:
        run.vars[args[2].text] = PStr.synth(str(len(items)) if old is None or old.known else UNKNOWN)
    elif op in ("GET", "FIND", "SUBLIST", "POP_BACK", "POP_FRONT") and len(args) >= 3:
        run._unknown(args[-1].text)
    elif op in ("FILTER", "TRANSFORM", "INSERT"):
        run._unknown(name)


def _h_string(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if len(args) < 2:
        return
    op = args[0].text
    if op in ("APPEND", "PREPEND"):
        old = run.view().get(args[1].text) or PStr.synth("")
        new = PStr.join(list(args[2:])) if len(args) > 2 else PStr.synth("")
        run.vars[args[1].text] = old + new if op == "APPEND" else new + old
    elif op == "CONCAT":
        run.vars[args[1].text] = PStr.join(list(args[2:])) if len(args) > 2 else PStr.synth("")
    elif op == "JOIN" and len(args) >= 3:
        run.vars[args[2].text] = join_list(list(args[3:]), args[1].text)
    elif op == "REPLACE" and len(args) >= 4:
        value = PStr.join(list(args[4:])) if len(args) > 4 else PStr.synth("")
        run.vars[args[3].text] = replace_text(value, args[1].text, args[2].text)
    elif op == "STRIP" and len(args) >= 3:
        run.vars[args[2].text] = args[1].strip()
    elif op == "REGEX" and len(args) >= 4:
        run._unknown(args[3].text)
    elif op in ("TOUPPER", "TOLOWER", "SUBSTRING", "LENGTH", "FIND", "MAKE_C_IDENTIFIER", "TIMESTAMP",
                "GENEX_STRIP", "RANDOM", "UUID", "SHA256", "MD5", "REPEAT", "JSON", "COMPARE", "ASCII",
                "HEX", "CONFIGURE"):
        run._unknown(args[-1].text if op not in ("TIMESTAMP", "JSON", "RANDOM", "UUID", "CONFIGURE")
                     else args[1].text)


def _h_separate_arguments(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if not args:
        return
    name = args[0].text
    if len(args) >= 3 and args[1].text in ("UNIX_COMMAND", "NATIVE_COMMAND", "WINDOWS_COMMAND"):
        run.vars[name] = join_list(shell_split(args[-1]), ";")
    elif len(args) == 1 and name in run.view():
        run.vars[name] = replace_text(run.view()[name], " ", ";")


def _h_parse_arguments(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if args and args[0].text == "PARSE_ARGV" and len(args) >= 5:
        start = int(args[1].text) if args[1].text.isdigit() else 0
        prefix, spec = args[2].text, args[3:6]
        argv = run.view().get("ARGV")
        values = list_items(argv)[start:] if argv is not None else []
    elif len(args) >= 4:
        prefix, spec, values = args[0].text, args[1:4], list(args[4:])
    else:
        return
    options, one, multi = ([x.text for x in list_items(s)] for s in (list(spec) + [PStr.synth("")] * 3)[:3])
    keys = set(options) | set(one) | set(multi)
    for k in options + one + multi + ["UNPARSED_ARGUMENTS", "KEYWORDS_MISSING_VALUES"]:
        run.vars.pop(f"{prefix}_{k}", None)
        run.internal.add(f"{prefix}_{k}")
    for k in options:
        run.vars[f"{prefix}_{k}"] = PStr.synth("FALSE")
    current, collected, unparsed = None, {}, []
    for v in values:
        if v.text in keys:
            if v.text in options:
                run.vars[f"{prefix}_{v.text}"] = PStr.synth("TRUE")
                current = None
            else:
                current = v.text
                collected.setdefault(current, [])
            continue
        if current is None:
            unparsed.append(v)
        else:
            collected[current].append(v)
            if current in one:
                current = None
    for k, vs in collected.items():
        if vs:
            run.vars[f"{prefix}_{k}"] = join_list(vs, ";")
    if unparsed:
        run.vars[f"{prefix}_UNPARSED_ARGUMENTS"] = join_list(unparsed, ";")


def _h_find_package(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if args and args[0].known:
        for name in (f"{args[0].text}_FOUND", f"{args[0].text.upper()}_FOUND"):
            if name not in run.view():
                run._unknown(name)


def _h_find(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if args and args[0].text not in run.view():
        run._unknown(args[0].text)


def _h_output_first(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if args:
        run._unknown(args[0].text)


def _h_check(run: Run, c: Cmd) -> None:
    """check_cxx_compiler_flag(<flags> <var>) and the other compiler checks pass: the
    project is read in the configuration it is written for, where the checks of its own
    flags succeed (a failing check is a broken toolchain, not a build variant)."""
    args = run.args(c)
    if len(args) >= 2 and args[-1].known:
        run.vars[args[-1].text] = PStr.synth("1")


def _h_file(run: Run, c: Cmd) -> None:
    args = [a.text for a in run.args(c)]
    if len(args) >= 2 and args[0] in ("GLOB", "GLOB_RECURSE", "RELATIVE_PATH"):
        run._unknown(args[1])
    elif len(args) >= 3 and args[0] in ("READ", "STRINGS", "TO_CMAKE_PATH", "TO_NATIVE_PATH", "REAL_PATH",
                                       "SIZE", "SHA256", "MD5", "READ_SYMLINK", "TIMESTAMP"):
        run._unknown(args[2])


def _h_execute_process(run: Run, c: Cmd) -> None:
    words = [a.text for a in run.args(c)]
    for k, w in enumerate(words[:-1]):
        if w in ("OUTPUT_VARIABLE", "ERROR_VARIABLE", "RESULT_VARIABLE", "RESULTS_VARIABLE"):
            run._unknown(words[k + 1])


def _h_project(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if not args:
        return
    name = args[0].text
    here = run.vars.get("CMAKE_CURRENT_SOURCE_DIR", PStr.synth(UNKNOWN))
    run.vars["PROJECT_NAME"] = args[0]
    run.vars["PROJECT_SOURCE_DIR"] = here
    run.vars[f"{name}_SOURCE_DIR"] = here
    run.vars.setdefault("CMAKE_PROJECT_NAME", args[0])
    top = run.vars.get("CMAKE_SOURCE_DIR")
    run.vars["PROJECT_IS_TOP_LEVEL"] = PStr.synth(
        UNKNOWN if top is None or not top.known else ("ON" if top.text == here.text else "OFF"))
    words = [a.text for a in args]
    if "VERSION" in words and words.index("VERSION") + 1 < len(args):
        run.vars["PROJECT_VERSION"] = args[words.index("VERSION") + 1]


def _h_message(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if args and args[0].text in ("FATAL_ERROR", "SEND_ERROR"):
        where = (c.unit.rel, c.start)
        run.fatal.add(where)
        if run.on is not None and where not in run.base_fatal:
            raise Fatal       # a variant that stops the configuration is no build


def _h_return(run: Run, c: Cmd) -> None:
    raise Return


def _h_break(run: Run, c: Cmd) -> None:
    raise Break


def _h_continue(run: Run, c: Cmd) -> None:
    raise Continue


def _h_include(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if not args or not args[0].known or run.depth >= MAX_DEPTH or run.files.project is None:
        return
    unit = _find_include(run, args[0].text)
    if unit is None:
        if args[0].text.startswith("Find"):     # CMake's own find module: what it finds is unknown
            for name in (f"{args[0].text[4:]}_FOUND", f"{args[0].text[4:].upper()}_FOUND"):
                run._unknown(name)
        return
    saved = {k: run.vars.get(k) for k in ("CMAKE_CURRENT_LIST_DIR", "CMAKE_CURRENT_LIST_FILE")}
    here = run.files.abspath(unit.dir)
    run.vars["CMAKE_CURRENT_LIST_DIR"] = PStr.synth(here or UNKNOWN)
    run.depth += 1
    try:
        run._block(unit.cmds, 0, len(unit.cmds))
    except Return:
        pass
    finally:
        run.depth -= 1
        for k, v in saved.items():
            run._set_var(k, v)


def _find_include(run: Run, name: str) -> Unit | None:
    project = run.files.project
    cands = []
    if not posixpath.isabs(name):     # a module of CMAKE_MODULE_PATH first, then a file
        for d in list_items(run.view().get("CMAKE_MODULE_PATH")):
            if d.known:
                base = project.resolve(run.cur_dir, d.text)
                if base is not None:
                    cands.append(posixpath.join(base, name + ".cmake"))
    cands.append(project.resolve(run.cur_dir, name))
    for rel in cands:
        if rel is not None and project.is_file(rel):
            unit = run.files.load(rel)
            if unit is not None:
                return unit
    return None


def _h_add_subdirectory(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if args and args[0].known and run.anchor is not None and run.files.project is not None:
        rel = run.files.project.resolve(run.cur_dir, args[0].text)
        if rel is not None and run.files.project.is_file(posixpath.join(rel, "CMakeLists.txt")):
            run.subdirs.append(rel)


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
            _add_items(t, scope, [a])    # "items starting with -: linker flags"
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


def _h_output_second(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if len(args) >= 2:
        run._unknown(args[1].text)


HANDLERS = {
    "set": _h_set, "unset": _h_unset, "option": _h_option, "list": _h_list, "string": _h_string,
    "separate_arguments": _h_separate_arguments, "cmake_parse_arguments": _h_parse_arguments,
    "find_package": _h_find_package, "find_program": _h_find, "find_library": _h_find, "find_path": _h_find, "find_file": _h_find,
    "get_filename_component": _h_output_first, "math": _h_output_second,
    "get_property": _h_output_first, "get_target_property": _h_output_first,
    "get_directory_property": _h_output_first, "file": _h_file, "execute_process": _h_execute_process,
    "project": _h_project, "message": _h_message, "return": _h_return, "break": _h_break,
    "continue": _h_continue, "include": _h_include, "add_subdirectory": _h_add_subdirectory,
    "add_executable": _h_add_executable, "add_library": _h_add_library,
    "target_link_options": _h_target_link_options, "target_link_libraries": _h_target_link_libraries,
    "add_link_options": _h_add_link_options, "set_target_properties": _h_set_target_properties,
    "set_property": _h_set_property, "add_custom_command": _h_add_custom_command,
    "add_custom_target": _h_add_custom_command,
    **{name: _h_check for name in (
        "check_c_compiler_flag", "check_cxx_compiler_flag", "check_compiler_flag", "check_linker_flag",
        "check_c_source_compiles", "check_cxx_source_compiles", "check_source_compiles",
        "check_c_source_runs", "check_cxx_source_runs", "check_include_file", "check_include_files",
        "check_include_file_cxx", "check_symbol_exists", "check_cxx_symbol_exists", "check_function_exists",
        "check_library_exists", "check_type_size", "check_struct_has_member", "check_variable_exists")},
}
