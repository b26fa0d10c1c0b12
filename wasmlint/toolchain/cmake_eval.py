"""CMake evaluation as ``emcmake cmake`` configures a project.

The Emscripten toolchain file (Modules/Platform/Emscripten.cmake) is loaded first, so
``EMSCRIPTEN``, ``CMAKE_SYSTEM_NAME``, ``UNIX`` and the compilers are what emcmake makes
them; ``WIN32``/``APPLE``/``MSVC`` … are false. A ``CMakeLists.txt`` is read in its
directory's context: the ``CMakeLists.txt`` above it that adds it with
``add_subdirectory()`` is evaluated up to that call (taking the branches that reach it),
and its variables (``CMAKE_EXE_LINKER_FLAGS`` …), macros and functions flow down.
``include()`` reads ``*.cmake`` files of the project (``CMAKE_MODULE_PATH``, relative
paths). Macros and functions run with their arguments (``ARGN``, ``ARGV<n>``,
``cmake_parse_arguments``, ``PARENT_SCOPE``). Other files are read root-confined and
depth-limited (``project_files.py``).

Files get disjoint offset ranges (``pstr.STRIDE``) so that a value assembled from several
files keeps, per character, where it was written; ``Files.tok`` turns it back into a
token of the file its first character comes from.

``if()`` conditions are evaluated (``cmake_cond.py``); one that cannot be evaluated, or
that depends on a variable the user sets when configuring (an ``option``, a cache entry,
an undefined variable), is a build variant: false in the base run, true in its own run.
"""
from __future__ import annotations

import posixpath
from collections import ChainMap
from dataclasses import dataclass, field
from functools import lru_cache

from ..facts import Span
from .cmake_cond import evaluate as evaluate_condition
from .cmake_values import arguments, genex_filter
from .pstr import STRIDE, UNKNOWN, LineIndex, PStr, Tok, shell_split

MAX_DEPTH = 16            # nested include()/calls
MAX_COMMANDS = 200_000    # commands one run executes
MAX_CHAIN = 8             # parent CMakeLists.txt above a file
MAX_LOOP = 256            # foreach iterations

TOOLCHAIN = {
    "EMSCRIPTEN": "1", "CMAKE_SYSTEM_NAME": "Emscripten", "CMAKE_SYSTEM_VERSION": "1",
    "CMAKE_CROSSCOMPILING": "TRUE", "CMAKE_SYSTEM_PROCESSOR": "x86", "UNIX": "1",
    "CMAKE_C_COMPILER": "emcc", "CMAKE_CXX_COMPILER": "em++", "CMAKE_AR": "emar", "CMAKE_RANLIB": "emranlib",
    "CMAKE_C_COMPILER_ID": "Clang", "CMAKE_CXX_COMPILER_ID": "Clang", "CMAKE_EXECUTABLE_SUFFIX": ".js",
    "CMAKE_C_PLATFORM_ID": "emscripten", "CMAKE_CXX_PLATFORM_ID": "emscripten", "CMAKE_SIZEOF_VOID_P": "4",
}
TOOLCHAIN_CACHE = {
    "CMAKE_C_FLAGS_RELEASE": "-DNDEBUG -O2", "CMAKE_C_FLAGS_MINSIZEREL": "-DNDEBUG -Os",
    "CMAKE_C_FLAGS_RELWITHDEBINFO": "-O2", "CMAKE_CXX_FLAGS_RELEASE": "-DNDEBUG -O2",
    "CMAKE_CXX_FLAGS_MINSIZEREL": "-DNDEBUG -Os", "CMAKE_CXX_FLAGS_RELWITHDEBINFO": "-O2",
    "CMAKE_EXE_LINKER_FLAGS_RELEASE": "-O2", "CMAKE_EXE_LINKER_FLAGS_MINSIZEREL": "-Os",
    "CMAKE_EXE_LINKER_FLAGS_RELWITHDEBINFO": "-O2 -g",
}
NOT_EMSCRIPTEN = frozenset(("WIN32", "APPLE", "MSVC", "MINGW", "CYGWIN", "ANDROID", "IOS", "XCODE", "MSYS",
                            "BORLAND", "WATCOM", "CMAKE_JS_VERSION"))
SCOPES = ("PRIVATE", "PUBLIC", "INTERFACE")
CUSTOM_KEYWORDS = frozenset((
    "OUTPUT", "COMMAND", "ARGS", "MAIN_DEPENDENCY", "DEPENDS", "BYPRODUCTS", "IMPLICIT_DEPENDS",
    "WORKING_DIRECTORY", "COMMENT", "DEPFILE", "JOB_POOL", "JOB_SERVER_AWARE", "VERBATIM", "APPEND",
    "USES_TERMINAL", "COMMAND_EXPAND_LISTS", "CODEGEN", "DEPENDS_EXPLICIT_ONLY", "TARGET", "PRE_BUILD",
    "PRE_LINK", "POST_BUILD", "ALL", "SOURCES", "ECHO_OUTPUT_VARIABLE", "ECHO_ERROR_VARIABLE",
))


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    from ..resources import grammar_text
    return Lark(grammar_text("cmake.lark"), parser="lalr", propagate_positions=True)


@dataclass
class Unit:
    """One parsed CMake file of the evaluation."""

    rel: str          # project-relative path ("" for a file read on its own)
    dir: str          # project-relative folder
    text: str
    index: LineIndex
    base: int
    cmds: list = field(default_factory=list)


@dataclass
class Cmd:
    name: str
    args: list        # lark argument/paren nodes
    start: int        # offsets of the file (without the base)
    end: int
    unit: Unit

    def label(self) -> str:
        """``if(COND)``: the variant label of a condition, as written."""
        inner = self.unit.text[self.start:self.end].split("(", 1)[1].rsplit(")", 1)[0].strip()
        return f"{self.name}({inner})"

    @property
    def span(self) -> Span:
        return self.unit.index.span(self.start, self.end)


@lru_cache(maxsize=128)
def _commands(text: str) -> tuple:
    """(name, argument nodes, start, end) of each command; parent and included files are
    shared by many files of a project, so one process parses each text once."""
    tree = _parser().parse(text)
    return tuple((str(c.children[0]).lower(), c.children[1].children, c.meta.start_pos, c.meta.end_pos)
                 for c in tree.children if getattr(c, "data", None) == "command")


def parse(text: str, unit: Unit) -> list[Cmd]:
    return [Cmd(name, args, start, end, unit) for name, args, start, end in _commands(text)]


class Files:
    """The main file and the project files the evaluation reads, each at its own base."""

    def __init__(self, text: str, path: str, project=None):
        self.project = project
        rel = posixpath.join(project.rel_dir, posixpath.basename(path)) if project is not None else ""
        main = Unit(rel, project.rel_dir if project is not None else "", text, LineIndex(text, path), 0)
        main.cmds = parse(text, main)      # a syntax error in the main file is the caller's to report
        self.units = [main]
        self.assigned: set[str] = _assigned(main)
        self.by_rel: dict[str, Unit | None] = {rel: main} if rel else {}

    @property
    def main(self) -> Unit:
        return self.units[0]

    def load(self, rel: str) -> Unit | None:
        if rel in self.by_rel:
            return self.by_rel[rel]
        unit = None
        text = self.project.read(rel) if self.project is not None else None
        if text is not None:
            unit = Unit(rel, posixpath.dirname(rel) or ".", text, LineIndex(text, self.project.shown(rel)),
                        len(self.units) * STRIDE)
            try:
                unit.cmds = parse(text, unit)
            except Exception:   # lark errors: a file that is not CMake is not read
                unit = None
            if unit is not None:
                self.units.append(unit)
                self.assigned |= _assigned(unit)
        self.by_rel[rel] = unit
        return unit

    def abspath(self, rel_dir: str) -> str | None:
        if self.project is None or self.project.root is None:
            return None
        return posixpath.normpath(posixpath.join(str(self.project.root), rel_dir))

    def tok(self, p: PStr) -> Tok:
        """A token in the file that its first placed character comes from."""
        first = next((s for s in p.starts if s >= 0), -1)
        k = first // STRIDE if first >= 0 else 0
        unit = self.units[k] if k < len(self.units) else self.units[0]
        base = unit.base
        starts = tuple(s - base if s >= 0 and s // STRIDE == k else -1 for s in p.starts)
        ends = tuple(e - base if s >= 0 and s // STRIDE == k else -1 for s, e in zip(p.starts, p.ends))
        return Tok(PStr(p.text, starts, ends), unit.index)


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


@dataclass
class Custom:
    argv: list       # PStr words
    span: Span


class _Return(Exception):
    pass


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _Reached(Exception):
    pass


class _Fatal(Exception):
    pass


@dataclass
class Def:
    kind: str          # function | macro
    params: list
    unit: Unit
    start: int         # index of the function() command
    close: int         # index of endfunction()


class Run:
    """One evaluation of the file (the base, or one variant)."""

    def __init__(self, files: Files, on: str | None, base_fatal: frozenset = frozenset()):
        self.files, self.on = files, on
        self.base_fatal = base_fatal     # FATAL_ERROR calls the base run also reaches
        self.fatal: set[tuple[str, int]] = set()
        self.vars: dict[str, PStr] = {k: PStr.synth(v) for k, v in TOOLCHAIN.items()}
        self.cache: dict[str, PStr] = {k: PStr.synth(v) for k, v in TOOLCHAIN_CACHE.items()}
        self.cache["EMSCRIPTEN"] = PStr.synth("1")
        self.defs: dict[str, Def] = {}
        self.targets: dict[str, Target] = {}
        self.link_opts: list[PStr] = []
        self.customs: list[Custom] = []
        self.switches: list[str] = []
        self.subdirs: list[str] = []
        self.overlay: dict[str, PStr] | None = None
        self.internal: set[str] = set()      # names unset() or parsed by cmake_parse_arguments
        self.parent_vars: dict[str, PStr] | None = None
        self.anchor: Cmd | None = None
        self.in_main = False
        self.depth = 0
        self.budget = MAX_COMMANDS
        self.failed = False
        self.unreachable = False    # a parent adds this directory only when not building for Emscripten
        self.main_vars: dict[str, PStr] = {}

    # ---------------------------------------------------------------- driver
    def execute(self) -> "Run":
        main = self.files.main
        chain = _parent_chain(self.files)
        for k, (unit, toward) in enumerate(chain):
            self._enter_dir(unit, top=k == 0)
            try:
                self._run(unit, toward)
            except (_Reached, _Return, _Fatal):
                pass
        self._enter_dir(main, top=not chain)
        self.in_main = True
        try:
            self._run(main, None)
        except _Return:
            pass
        except _Fatal:
            self.failed = self.on is not None
        self.main_vars = dict(ChainMap(self.vars, self.cache))
        return self

    def _enter_dir(self, unit: Unit, top: bool) -> None:
        here = self.files.abspath(unit.dir)
        value = PStr.synth(here) if here is not None else PStr.synth(UNKNOWN)
        if top:
            for name in ("CMAKE_SOURCE_DIR", "PROJECT_SOURCE_DIR"):
                self.vars[name] = value
            self.vars["CMAKE_BINARY_DIR"] = PStr.synth(UNKNOWN)
        for name in ("CMAKE_CURRENT_SOURCE_DIR", "CMAKE_CURRENT_LIST_DIR"):
            self.vars[name] = value
        self.vars["CMAKE_CURRENT_BINARY_DIR"] = PStr.synth(UNKNOWN)
        self.cur_dir = unit.dir

    def _run(self, unit: Unit, toward: int | None) -> None:
        self._block(unit.cmds, 0, len(unit.cmds), toward)

    # ---------------------------------------------------------------- values
    def view(self):
        return _Scope(self.overlay or {}, self.vars, self.cache, internal=self.is_internal)

    def lookup(self, name: str) -> tuple[PStr | None, bool]:
        if name in self.vars:
            return self.vars[name], False
        if name in self.cache:
            return self.cache[name], name not in TOOLCHAIN_CACHE and name != "EMSCRIPTEN"
        return None, not self.is_internal(name)

    def is_internal(self, name: str) -> bool:
        """An undefined variable the project sets itself, or that Emscripten leaves unset:
        not one the user passes when configuring (those make build variants)."""
        return name in NOT_EMSCRIPTEN or name in self.internal or name in self.files.assigned

    def args(self, c: Cmd) -> list[PStr]:
        config = self.config()
        return [genex_filter(v, self.on, config) for v, _ in arguments(c.args, self.view(), c.unit.base)]

    def config(self) -> str | None:
        v = self.vars.get("CMAKE_BUILD_TYPE") or self.cache.get("CMAKE_BUILD_TYPE")
        return v.text if v is not None and v.known and v.text else None

    # ---------------------------------------------------------------- control flow
    def _block(self, cmds: list[Cmd], i: int, end: int, toward: int | None = None) -> None:
        while i < end:
            c = cmds[i]
            if toward is not None and i == toward:
                raise _Reached
            self.budget -= 1
            if self.budget <= 0:
                raise _Return
            anchor = self.anchor
            if self.in_main and self.depth == 0 and c.unit is self.files.main:
                self.anchor = c
            try:
                if c.name == "if":
                    i = self._if(cmds, i, end, toward)
                    continue
                if c.name in ("foreach", "function", "macro", "while"):
                    close = _matching(cmds, i, end, c.name, "end" + c.name)
                    if c.name == "foreach":
                        self._foreach(c, cmds, i + 1, close)
                    elif c.name == "while":
                        self._while(c, cmds, i + 1, close)
                    else:
                        self._define(c, cmds, i, close)
                    i = close + 1
                    continue
                self._command(c)
                i += 1
            finally:
                self.anchor = anchor

    def _if(self, cmds: list[Cmd], i: int, end: int, toward: int | None) -> int:
        close = _matching(cmds, i, end, "if", "endif")
        branches, depth, start = [], 0, i
        for k in range(i + 1, close):
            n = cmds[k].name
            if n == "if":
                depth += 1
            elif n == "endif":
                depth -= 1
            elif n in ("elseif", "else") and depth == 0:
                branches.append((start, k))
                start = k
        branches.append((start, close))
        chosen = None
        for b_start, b_end in branches:
            c = cmds[b_start]
            if toward is not None and i < toward < close:
                truth = None if c.name == "else" else self._condition(c)
                if b_start < toward < b_end:
                    if truth is not None and truth.value is False and not truth.free:
                        self.unreachable = True
                    chosen = (b_start, b_end)
                    break
                if truth is not None and truth.value and not truth.free:
                    self.unreachable = True     # an earlier branch is always taken
                continue
            if c.name == "else":
                chosen = (b_start, b_end)
                break
            label = c.label()
            if label == self.on:
                chosen = (b_start, b_end)
                break
            truth = self._condition(c)
            if (truth.value is None or (truth.free and not truth.value)) and self.anchor is not None \
                    and label not in self.switches:
                self.switches.append(label)
            if truth.value:
                chosen = (b_start, b_end)
                break
        if chosen is not None:
            self._block(cmds, chosen[0] + 1, chosen[1], toward)
        return close + 1

    def _condition(self, c: Cmd):
        words = [(genex_filter(v, self.on, self.config()), q) for v, q in arguments(c.args, self.view(), c.unit.base)]
        return evaluate_condition(words, self.lookup, targets=set(self.targets), commands=set(self.defs))

    def _foreach(self, c: Cmd, cmds: list[Cmd], start: int, close: int) -> None:
        args = self.args(c)
        if not args:
            return
        for item in _foreach_items(args, self.view())[:MAX_LOOP]:
            self.vars[args[0].text] = item
            try:
                self._block(cmds, start, close)
            except _Break:
                break
            except _Continue:
                continue

    def _while(self, c: Cmd, cmds: list[Cmd], start: int, close: int) -> None:
        if self._condition(c).value is False:
            return
        try:
            self._block(cmds, start, close)    # once: the loop's bound is rarely static
        except (_Break, _Continue):
            pass

    def _define(self, c: Cmd, cmds: list[Cmd], i: int, close: int) -> None:
        args = [a.text for a in self.args(c)]
        if args:
            self.defs[args[0].lower()] = Def(c.name, args[1:], c.unit, i, close)

    def _call(self, d: Def, c: Cmd) -> None:
        if self.depth >= MAX_DEPTH:
            return
        args = self.args(c)
        bound = {"ARGC": PStr.synth(str(len(args))), "ARGV": _join(args, ";"),
                 "ARGN": _join(args[len(d.params):], ";")}
        bound.update({f"ARGV{k}": a for k, a in enumerate(args)})
        bound.update({p: (args[k] if k < len(args) else PStr.synth("")) for k, p in enumerate(d.params)})
        self.depth += 1
        saved = (self.overlay, self.vars, self.parent_vars)
        try:
            if d.kind == "macro":
                self.overlay = bound
                self._block(d.unit.cmds, d.start + 1, d.close)
            else:
                self.overlay, self.parent_vars = None, self.vars
                self.vars = {**self.vars, **bound}
                try:
                    self._block(d.unit.cmds, d.start + 1, d.close)
                except _Return:
                    pass
        finally:
            self.overlay, self.vars, self.parent_vars = saved
            self.depth -= 1

    # ---------------------------------------------------------------- commands
    def _command(self, c: Cmd) -> None:
        name = c.name
        d = self.defs.get(name)
        if d is not None:
            self._call(d, c)
            return
        handler = _HANDLERS.get(name)
        if handler is not None:
            handler(self, c)

    def _set_var(self, name: str, value: PStr | None, parent: bool = False) -> None:
        scope = self.parent_vars if parent and self.parent_vars is not None else self.vars
        if parent and self.parent_vars is None:
            return       # PARENT_SCOPE at directory level: the parent directory, not read here
        if value is None:
            scope.pop(name, None)
        else:
            scope[name] = value

    def _unknown(self, name: str) -> None:
        if name:
            self.vars[name] = PStr.synth(UNKNOWN)

    def anchor_span(self, c: Cmd) -> Span:
        return (self.anchor or c).span

    def target(self, name: str, c: Cmd, kind: str = "unknown") -> Target:
        t = self.targets.get(name)
        if t is None:
            t = self.targets[name] = Target(name, self.anchor_span(c), kind, main=self.anchor is not None)
        elif kind != "unknown" and t.kind == "unknown":
            t.kind = kind
        return t


# ------------------------------------------------------------------- handlers

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
        value = _join(values[:k], ";")
        if "FORCE" in words[k:] or name not in run.cache:
            run.cache[name] = value
            run.vars.pop(name, None)
        return
    parent = bool(words) and words[-1] == "PARENT_SCOPE"
    if parent:
        values = values[:-1]
    run._set_var(name, _join(values, ";") if values else None, parent)


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
    items = _list(old) if old is not None else []
    if op == "APPEND":
        run.vars[name] = _join(items + list(args[2:]), ";")
    elif op == "PREPEND":
        run.vars[name] = _join(list(args[2:]) + items, ";")
    elif op == "REMOVE_ITEM":
        drop = {a.text for a in args[2:]}
        run.vars[name] = _join([x for x in items if x.text not in drop], ";")
    elif op == "REMOVE_DUPLICATES":
        seen, kept = set(), []
        for x in items:
            if x.text not in seen:
                seen.add(x.text)
                kept.append(x)
        run.vars[name] = _join(kept, ";")
    elif op == "JOIN" and len(args) >= 4:
        run.vars[args[3].text] = _join(items, args[2].text)
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
        run.vars[args[2].text] = _join(list(args[3:]), args[1].text)
    elif op == "REPLACE" and len(args) >= 4:
        value = PStr.join(list(args[4:])) if len(args) > 4 else PStr.synth("")
        run.vars[args[3].text] = _replace(value, args[1].text, args[2].text)
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
        run.vars[name] = _join(shell_split(args[-1]), ";")
    elif len(args) == 1 and name in run.view():
        run.vars[name] = _replace(run.view()[name], " ", ";")


def _h_parse_arguments(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if args and args[0].text == "PARSE_ARGV" and len(args) >= 5:
        start = int(args[1].text) if args[1].text.isdigit() else 0
        prefix, spec = args[2].text, args[3:6]
        argv = run.view().get("ARGV")
        values = _list(argv)[start:] if argv is not None else []
    elif len(args) >= 4:
        prefix, spec, values = args[0].text, args[1:4], list(args[4:])
    else:
        return
    options, one, multi = ([x.text for x in _list(s)] for s in (list(spec) + [PStr.synth("")] * 3)[:3])
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
            run.vars[f"{prefix}_{k}"] = _join(vs, ";")
    if unparsed:
        run.vars[f"{prefix}_UNPARSED_ARGUMENTS"] = _join(unparsed, ";")


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
            raise _Fatal       # a variant that stops the configuration is no build


def _h_return(run: Run, c: Cmd) -> None:
    raise _Return


def _h_break(run: Run, c: Cmd) -> None:
    raise _Break


def _h_continue(run: Run, c: Cmd) -> None:
    raise _Continue


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
    except _Return:
        pass
    finally:
        run.depth -= 1
        for k, v in saved.items():
            run._set_var(k, v)


def _find_include(run: Run, name: str) -> Unit | None:
    project = run.files.project
    cands = []
    if not posixpath.isabs(name):     # a module of CMAKE_MODULE_PATH first, then a file
        for d in _list(run.view().get("CMAKE_MODULE_PATH")):
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
    items = [x for item in items for x in _list(item)]
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
        t.own = (t.own if append else []) + [x for v in values for x in _list(v)]
    elif prop == "INTERFACE_LINK_OPTIONS":
        t.iface = (t.iface if append else []) + [x for v in values for x in _list(v)]


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
    for argv in commands:
        if argv:
            run.customs.append(Custom(argv, run.anchor_span(c)))


_HANDLERS = {
    "set": _h_set, "unset": _h_unset, "option": _h_option, "list": _h_list, "string": _h_string,
    "separate_arguments": _h_separate_arguments, "cmake_parse_arguments": _h_parse_arguments,
    "find_package": _h_find_package, "find_program": _h_find, "find_library": _h_find, "find_path": _h_find, "find_file": _h_find,
    "get_filename_component": _h_output_first, "math": lambda run, c: _h_output_second(run, c),
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


def _h_output_second(run: Run, c: Cmd) -> None:
    args = run.args(c)
    if len(args) >= 2:
        run._unknown(args[1].text)


# ------------------------------------------------------------------- the directory context

def _parent_chain(files: Files) -> list[tuple[Unit, int]]:
    """(parent CMakeLists.txt, index of its add_subdirectory() of the next one), from the
    top of the project down to the main file's parent."""
    cached = getattr(files, "_chain", None)
    if cached is not None:
        return cached
    chain: list[tuple[Unit, int]] = []
    main = files.main
    if files.project is not None and posixpath.basename(main.rel) == "CMakeLists.txt":
        child = main.dir
        for _ in range(MAX_CHAIN):
            found = _adder(files, child)
            if found is None:
                break
            chain.insert(0, found)
            child = found[0].dir
    files._chain = chain
    return chain


def _adder(files: Files, child: str) -> tuple[Unit, int] | None:
    d = child
    for _ in range(3):
        if d in (".", ""):
            return None
        d = posixpath.dirname(d) or "."
        rel = posixpath.normpath(posixpath.join(d, "CMakeLists.txt"))
        if not files.project.is_file(rel):
            continue
        unit = files.load(rel)
        if unit is None:
            continue
        k = _adds(files, unit, child)
        if k is not None:
            return unit, k
    return None


def _adds(files: Files, unit: Unit, child: str) -> int | None:
    """The index of a top-level (or if-nested) add_subdirectory() of ``child``."""
    loops = 0
    for k, c in enumerate(unit.cmds):
        if c.name in ("foreach", "while", "function", "macro"):
            loops += 1
        elif c.name in ("endforeach", "endwhile", "endfunction", "endmacro"):
            loops = max(0, loops - 1)
        elif c.name == "add_subdirectory" and loops == 0 and c.args:
            raw = unit.text[c.start:c.end].split("(", 1)[1].rsplit(")", 1)[0].strip().split()
            if not raw:
                continue
            path = raw[0].strip('"')
            for prefix in ("${CMAKE_CURRENT_SOURCE_DIR}/", "${CMAKE_CURRENT_LIST_DIR}/"):
                if path.startswith(prefix):
                    path = path[len(prefix):]
            if "${" in path or "$<" in path:
                continue
            if files.project.resolve(unit.dir, path) == child:
                return k
    return None


# ------------------------------------------------------------------- helpers

class _Scope(ChainMap):
    """The variables ``${…}`` sees: macro arguments, then the scope, then the cache. An
    undefined variable the project sets somewhere expands to nothing, as in CMake; one
    only the user can set stays unknown."""

    def __init__(self, *maps, internal=lambda name: False):
        super().__init__(*maps)
        self.internal = internal

    def get(self, key, default=None):
        value = super().get(key)
        if value is None and self.internal(key):
            return PStr.synth("")
        return default if value is None else value


_SETTERS = ("set", "list", "string", "unset", "math", "separate_arguments")


def _assigned(unit: Unit) -> set[str]:
    """Variable names a file assigns with a literal name (``set(NAME …)``, ``list(APPEND
    NAME …)`` …): undefined before that, they are the project's own, not the user's
    (``option()`` and cache entries are the user's to set)."""
    out = set()
    for c in unit.cmds:
        if c.name not in _SETTERS:
            continue
        words = unit.text[c.start:c.end].split("(", 1)[1].split()
        if "CACHE" in words:
            continue
        if c.name in ("list", "string") and len(words) >= 2:
            words = words[1:]
        name = words[0].rstrip(")") if words else ""
        if name and "$" not in name and '"' not in name:
            out.add(name)
    return out


def _join(parts: list[PStr], sep: str) -> PStr:
    out: list[PStr] = []
    for k, p in enumerate(parts):
        if k and sep:
            out.append(PStr.synth(sep))
        out.append(p)
    return PStr.join(out) if out else PStr.synth("")


def _list(p: PStr | None, sep: str = ";") -> list[PStr]:
    if p is None:
        return []
    out, start, depth = [], 0, 0
    t = p.text
    for k, ch in enumerate(t):
        if ch == "<" and k and t[k - 1] == "$":
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
        elif ch == sep and depth == 0:
            out.append(p[start:k])
            start = k + 1
    out.append(p[start:])
    return [x for x in out if x.text]


def _replace(value: PStr, match: str, repl: str) -> PStr:
    if not match:
        return value
    out, i, t = [], 0, value.text
    while True:
        j = t.find(match, i)
        if j < 0:
            out.append(value[i:])
            break
        out.append(value[i:j])
        if repl:
            out.append(PStr.spread(repl, *(value[j:j + len(match)].source_range() or (-1, -1))))
        i = j + len(match)
    return PStr.join(out)


def _matching(cmds: list[Cmd], i: int, end: int, opener: str, closer: str) -> int:
    depth = 0
    for k in range(i, end):
        if cmds[k].name == opener:
            depth += 1
        elif cmds[k].name == closer:
            depth -= 1
            if depth == 0:
                return k
    return end


def _foreach_items(args: list[PStr], view) -> list[PStr]:
    if len(args) < 2:
        return []
    items: list[PStr] = []
    mode = "ITEMS"
    words = [a.text for a in args[1:]]
    if words[0] == "RANGE":
        nums = [int(w) if w.lstrip("-").isdigit() else None for w in words[1:4]]
        if not nums or None in nums:
            return [PStr.synth(UNKNOWN)]
        start, stop, step = (0, nums[0], 1) if len(nums) == 1 else (nums[0], nums[1], nums[2] if len(nums) > 2 else 1)
        if step <= 0:
            return []
        return [PStr.synth(str(n)) for n in range(start, stop + 1, step)][:MAX_LOOP]
    for a in args[1:]:
        if a.text in ("IN", "ITEMS", "LISTS", "ZIP_LISTS"):
            mode = a.text if a.text != "IN" else mode
            continue
        if mode == "LISTS":
            items += _list(view.get(a.text))
        elif mode == "ZIP_LISTS":
            return [PStr.synth(UNKNOWN)]
        else:
            items.append(a)
    return items
