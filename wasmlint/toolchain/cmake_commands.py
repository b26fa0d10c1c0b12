"""What the CMake commands do to an evaluation (``cmake_eval.Run``): variables (``set``,
``list``, ``string``, ``option``, ``cmake_parse_arguments`` …), control flow, ``include()``
of project files, and the commands whose results are not known statically (``find_*``,
``file(READ)`` …: their output variables are unknown; compiler checks pass). Targets and
custom commands are ``cmake_targets.py``.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cmake_compiler import check_result, compiler_macros, string_regex
from .cmake_cond import FALSE_WORDS
from .cmake_files import Cmd, Unit
from .cmake_values import join_list, list_items, replace_text
from .pstr import UNKNOWN, PStr, shell_split

from .cmake_targets import TARGET_HANDLERS

if TYPE_CHECKING:
    from .cmake_eval import Run

MAX_DEPTH = 16            # nested include()/calls




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
        # FORCE, and the INTERNAL type (which implies it), replace what the user passed: the
        # project's own value, no build variant (urho3d's WEB from the compiler's macros)
        forced = "FORCE" in words[k:] or words[k + 1:k + 2] == ["INTERNAL"]
        if forced or name not in run.cache:
            run.cache[name] = value
            run.vars.pop(name, None)
        if forced:
            run.forced.add(name)
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
        # a cache entry the configure line sets (`-DNCNN_BUILD_TOOLS=OFF`) wins over the default
        off = args[0].text in run.files.configured_off()
        run.cache[args[0].text] = value = PStr.synth("OFF") if off else \
            args[2] if len(args) >= 3 else PStr.synth("OFF")
        if value.known and value.text.upper() in FALSE_WORDS:
            run.options_off.add(args[0].text)


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
        string_regex(run, args)
    elif op == "FIND" and len(args) >= 4 and args[1].known and args[2].known:
        # `string(FIND ${CMAKE_CXX_COMPILER} "fastcomp" POS)`: -1 when not found
        find = args[1].text.rfind if len(args) > 4 and args[4].text == "REVERSE" else args[1].text.find
        run.vars[args[3].text] = PStr.synth(str(find(args[2].text)))
    elif op in ("TOUPPER", "TOLOWER") and len(args) >= 3 and args[1].known:
        text = args[1].text
        run.vars[args[2].text] = PStr.synth(text.upper() if op == "TOUPPER" else text.lower())
    elif op == "LENGTH" and len(args) >= 3 and args[1].known:
        run.vars[args[2].text] = PStr.synth(str(len(args[1].text)))
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
    """``<Pkg>_FOUND`` (and ``<PKG>_FOUND``) is unknown: what is installed, but for a
    ``REQUIRED`` package: a configure that does not find it stops with an error, so one
    that goes on found it (solvespace's ``find_package(OpenMP REQUIRED)`` then
    ``if(OPENMP_FOUND)``)."""
    args = run.args(c)
    if args and args[0].known:
        required = any(a.text == "REQUIRED" for a in args[1:])
        for name in (f"{args[0].text}_FOUND", f"{args[0].text.upper()}_FOUND"):
            if required:
                run.vars[name] = PStr.synth("TRUE")
            elif name not in run.view():
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
    flags succeed (a failing check is a broken toolchain, not a build variant). A check emcc
    decides by its predefined macros is what emcc makes it (``cmake_compiler.check_result``)."""
    args = run.args(c)
    decided = check_result(c.name, args)
    if decided is not None:
        run.vars[decided[0]] = PStr.synth("1" if decided[1] else "")
    elif len(args) >= 2 and args[-1].known:
        run.vars[args[-1].text] = PStr.synth("1")


def _h_file(run: Run, c: Cmd) -> None:
    """``file(WRITE path content…)`` and ``file(GENERATE OUTPUT path CONTENT content)`` write
    a file CMake's build reads later (a response file a link names with ``@path``: solvespace's
    ``emscripten_flags.rsp``): kept as ``run.written``. Other forms that set a variable make it
    unknown."""
    values = run.args(c)
    args = [a.text for a in values]
    if len(args) >= 2 and args[0] == "WRITE":
        run.written[args[1]] = PStr.join(values[2:]) if len(values) > 2 else PStr.synth("")
    elif args[:1] == ["GENERATE"] and "OUTPUT" in args[:-1] and "CONTENT" in args[:-1]:
        out, content = args.index("OUTPUT") + 1, args.index("CONTENT") + 1
        run.written[args[out]] = values[content]
    elif len(args) >= 2 and args[0] in ("GLOB", "GLOB_RECURSE", "RELATIVE_PATH"):
        run._unknown(args[1])
    elif len(args) >= 3 and args[0] in ("READ", "STRINGS", "TO_CMAKE_PATH", "TO_NATIVE_PATH", "REAL_PATH",
                                       "SIZE", "SHA256", "MD5", "READ_SYMLINK", "TIMESTAMP"):
        run._unknown(args[2])


_PROCESS_KEYWORDS = frozenset((
    "COMMAND", "WORKING_DIRECTORY", "TIMEOUT", "RESULT_VARIABLE", "RESULTS_VARIABLE", "OUTPUT_VARIABLE",
    "ERROR_VARIABLE", "INPUT_FILE", "OUTPUT_FILE", "ERROR_FILE", "OUTPUT_QUIET", "ERROR_QUIET", "COMMAND_ECHO",
    "OUTPUT_STRIP_TRAILING_WHITESPACE", "ERROR_STRIP_TRAILING_WHITESPACE", "ENCODING", "ECHO_OUTPUT_VARIABLE",
    "ECHO_ERROR_VARIABLE", "COMMAND_ERROR_IS_FATAL"))


def _h_execute_process(run: Run, c: Cmd) -> None:
    """Output variables are unknown, but for the compiler's predefined macros
    (``cmake_compiler``): that output, and a result of 0."""
    words = [a.text for a in run.args(c)]
    command = words[words.index("COMMAND") + 1:] if "COMMAND" in words else []
    end = next((k for k, w in enumerate(command) if w in _PROCESS_KEYWORDS), len(command))
    macros = compiler_macros(command[:end]) if words.count("COMMAND") == 1 else None
    if macros is not None and "OUTPUT_STRIP_TRAILING_WHITESPACE" in words:
        macros = macros.rstrip()
    for k, w in enumerate(words[:-1]):
        if macros is not None and w in ("OUTPUT_VARIABLE", "RESULT_VARIABLE"):
            run.vars[words[k + 1]] = PStr.synth(macros if w == "OUTPUT_VARIABLE" else "0")
        elif w in ("OUTPUT_VARIABLE", "ERROR_VARIABLE", "RESULT_VARIABLE", "RESULTS_VARIABLE"):
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
    run.including.append(unit)
    try:
        run._block(unit.cmds, 0, len(unit.cmds))
    except Return:
        pass
    finally:
        run.depth -= 1
        run.including.pop()
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
    **TARGET_HANDLERS,
    **{name: _h_check for name in (
        "check_c_compiler_flag", "check_cxx_compiler_flag", "check_compiler_flag", "check_linker_flag",
        "check_c_source_compiles", "check_cxx_source_compiles", "check_source_compiles",
        "check_c_source_runs", "check_cxx_source_runs", "check_include_file", "check_include_files",
        "check_include_file_cxx", "check_symbol_exists", "check_cxx_symbol_exists", "check_function_exists",
        "check_library_exists", "check_type_size", "check_struct_has_member", "check_variable_exists")},
}
