"""CMake evaluation as ``emcmake cmake`` configures a project.

The Emscripten toolchain file (Modules/Platform/Emscripten.cmake) is loaded first, so
``EMSCRIPTEN``, ``CMAKE_SYSTEM_NAME``, ``UNIX`` and the compilers are what emcmake makes
them; ``WIN32``/``APPLE``/``MSVC`` … are false. The parent ``CMakeLists.txt`` chain
(``cmake_files.parent_chain``) is evaluated up to each ``add_subdirectory()`` (taking the
branches that reach it), so its variables (``CMAKE_EXE_LINKER_FLAGS`` …), macros and
functions flow down; a directory a parent adds only when not building for Emscripten is
no emcc build. Macros and functions run with their arguments (``ARGN``, ``ARGV<n>``,
``PARENT_SCOPE``); what each command does is ``cmake_commands.py`` (targets: ``cmake_targets.py``).

``if()`` conditions are evaluated (``cmake_cond.py``); one that cannot be evaluated, or
that depends on a variable the user sets when configuring (an ``option``, a cache entry,
an undefined variable), is a build variant: false in the base run, true in its own run.
An ``option()`` declared OFF stays OFF unless the project's Emscripten configure lines
set it (``cmake_runs``): a branch on it is no variant then; nor is one on a switch every
line sets alike (a cache entry before the project is read).
"""
from __future__ import annotations

import re
from collections import ChainMap

from .. import budget
from ..budget import ExpansionBudget
from ..facts import Span
from .cmake_commands import HANDLERS, MAX_DEPTH, Break, Continue, Def, Fatal, Return
from .cmake_cond import evaluate as evaluate_condition
from .cmake_files import Cmd, Files, Unit, parent_chain
from .cmake_targets import Custom, Guard, Target
from .cmake_values import arguments, genex_end, genex_filter, join_list, list_items
from .pstr import UNKNOWN, PStr

_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_COMMANDS = 200_000    # commands one run executes
MAX_LOOP = 256            # foreach iterations

TOOLCHAIN = {
    "EMSCRIPTEN": "1", "CMAKE_SYSTEM_NAME": "Emscripten", "CMAKE_SYSTEM_VERSION": "1",
    "CMAKE_CROSSCOMPILING": "TRUE", "CMAKE_SYSTEM_PROCESSOR": "x86", "UNIX": "1",
    "CMAKE_C_COMPILER": "emcc", "CMAKE_CXX_COMPILER": "em++", "CMAKE_AR": "emar", "CMAKE_RANLIB": "emranlib",
    "CMAKE_C_COMPILER_ID": "Clang", "CMAKE_CXX_COMPILER_ID": "Clang", "CMAKE_EXECUTABLE_SUFFIX": ".js",
    "CMAKE_C_PLATFORM_ID": "emscripten", "CMAKE_CXX_PLATFORM_ID": "emscripten", "CMAKE_SIZEOF_VOID_P": "4",
    "CMAKE_COMMAND": "cmake",
}
TOOLCHAIN_CACHE = {
    "CMAKE_C_FLAGS_RELEASE": "-DNDEBUG -O2", "CMAKE_C_FLAGS_MINSIZEREL": "-DNDEBUG -Os",
    "CMAKE_C_FLAGS_RELWITHDEBINFO": "-O2", "CMAKE_CXX_FLAGS_RELEASE": "-DNDEBUG -O2",
    "CMAKE_CXX_FLAGS_MINSIZEREL": "-DNDEBUG -Os", "CMAKE_CXX_FLAGS_RELWITHDEBINFO": "-O2",
    "CMAKE_EXE_LINKER_FLAGS_RELEASE": "-O2", "CMAKE_EXE_LINKER_FLAGS_MINSIZEREL": "-Os",
    "CMAKE_EXE_LINKER_FLAGS_RELWITHDEBINFO": "-O2 -g",
    # not overridden by Emscripten.cmake: CMake's own for Clang (Compiler/GNU.cmake), which
    # CMake also passes to the link of an executable
    "CMAKE_C_FLAGS_DEBUG": "-g", "CMAKE_CXX_FLAGS_DEBUG": "-g",
}
NOT_EMSCRIPTEN = frozenset(("WIN32", "APPLE", "MSVC", "MINGW", "CYGWIN", "ANDROID", "IOS", "XCODE", "MSYS",
                            "BORLAND", "WATCOM", "CMAKE_JS_VERSION"))


def _open_genex(t: str) -> bool:
    """Whether ``t`` ends inside a generator expression (one ``$<`` not closed)."""
    j = t.find("$<")
    while j >= 0:
        k = genex_end(t, j)
        if k >= len(t):
            return True
        j = t.find("$<", k + 1)
    return False


class _Reached(Exception):
    """The parent has reached the add_subdirectory() of the next directory down."""


class Run:
    """One evaluation of the file (the base, or one variant)."""

    def __init__(self, files: Files, on: str | None, base_fatal: frozenset = frozenset()):
        self.files, self.on = files, on
        self.base_fatal = base_fatal     # FATAL_ERROR calls the base run also reaches
        self.fatal: set[tuple[str, int]] = set()
        self.vars: dict[str, PStr] = {k: PStr.synth(v) for k, v in TOOLCHAIN.items()}
        self.cache: dict[str, PStr] = {k: PStr.synth(v) for k, v in TOOLCHAIN_CACHE.items()}
        self.cache["EMSCRIPTEN"] = PStr.synth("1")
        # `-D` entries exist before the project is read (cmake(1)): the build type the
        # project's configure lines all pass is no variant
        self.build_type = files.build_type()
        if self.build_type is not None:
            self.cache["CMAKE_BUILD_TYPE"] = self.build_type.text
        self.preset = files.preset()        # so are the switches every line sets alike
        self.cache.update(self.preset)
        self.defs: dict[str, Def] = {}
        self.targets: dict[str, Target] = {}
        self.link_opts: list[PStr] = []
        self.customs: list[Custom] = []
        self.written: dict[str, PStr] = {}   # file(WRITE|GENERATE): the file's name as evaluated → its content
        self.switches: list[str] = []
        self.subdirs: list[str] = []
        self.overlay: dict[str, PStr] | None = None
        self.internal: set[str] = set()      # names unset() or parsed by cmake_parse_arguments
        self.options_off: set[str] = set()   # option(NAME … OFF) entries
        self.forced: set[str] = set()        # cache entries the project sets with FORCE or INTERNAL
        self.parent_vars: dict[str, PStr] | None = None
        self.assumed: dict[str, bool] = {}   # switches a parent adds this directory under
        self.anchor: Cmd | None = None
        self.including: list[Unit] = []     # the files being include()d, outermost first
        self.in_main = False
        self.depth = 0
        self.budget = MAX_COMMANDS
        self.expansion = ExpansionBudget(len(files.main.text))
        self.failed = False
        self.unreachable = False    # a parent adds this directory only when not building for Emscripten
        self.main_vars: dict[str, PStr] = {}
        self.at = (0, 0)            # the top-level command being run: (stage, index); stages are the
        #                             parent chain's files, then the main file
        self.reached: dict[str, tuple[int, int]] = {}    # each condition label: where first compared
        self.at_top = None          # called before each top-level command (cmake_variants' trunk)
        self.guards: list[Guard] = []   # the user-settable conditions of the branches being run
        # the base run charges the file's budget for the links and settings it finds, as it finds
        # them (a file over the bound is cut before the rest is run); ``_facts`` gives them back
        # before its links charge what they hold
        self.charges_found = False
        self.found = 0

    # ---------------------------------------------------------------- driver
    def execute(self, at: tuple[int, int] | None = None) -> "Run":
        """Run the parent chain, then the main file; ``at``: resume a copy of a run made
        before that top-level command (``cmake_variants``)."""
        stages = [*parent_chain(self.files), (self.files.main, None)]
        if at is None:      # a resumed copy has them already
            self.assumed = self.files.reach(stages[:-1], {*TOOLCHAIN, *NOT_EMSCRIPTEN})
            for name, on in self.assumed.items():        # as `-DNAME=ON` configures it
                self.cache[name] = PStr.synth("ON" if on else "OFF")
        first = at[0] if at is not None else 0
        for k in range(first, len(stages)):
            unit, toward = stages[k]
            if at is None or k > first:
                self._enter_dir(unit, top=k == 0)
                self.in_main = toward is None
            try:
                self._block(unit.cmds, at[1] if at is not None and k == first else 0, len(unit.cmds), toward, k)
            except (_Reached, Return):
                pass
            except Fatal:
                if toward is None:
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

    # ---------------------------------------------------------------- values
    def view(self):
        return _Scope(self.overlay or {}, self.vars, self.cache, internal=self.is_internal, budget=self.expansion)

    def lookup(self, name: str) -> tuple[PStr | None, bool]:
        if name in self.vars:
            return self.vars[name], False
        if name in self.cache:
            if name in self.assumed:            # the switch this directory is built under
                return self.cache[name], False
            if name in self.options_off:        # OFF unless the project's configure sets it
                return self.cache[name], name in self.files.configured()
            fixed = (name == "CMAKE_BUILD_TYPE" and self.build_type is not None) or name in self.preset \
                or name in self.forced
            return self.cache[name], name not in TOOLCHAIN_CACHE and name != "EMSCRIPTEN" and not fixed
        if name in self.files.declared_off() and name not in self.files.configured():
            # an OFF option of the project that this build never declared (mujoco declares
            # MUJOCO_WITH_USD under `if(NOT EMSCRIPTEN)`) and no configure line turns on
            return None, False
        return None, not self.is_internal(name)

    def is_internal(self, name: str) -> bool:
        """An undefined variable the project sets itself, or that Emscripten leaves unset:
        not one the user passes when configuring (those make build variants)."""
        return name in NOT_EMSCRIPTEN or name in self.internal or name in self.files.assigned

    def args(self, c: Cmd) -> list[PStr]:
        """The command's arguments, generator expressions decided. A generator expression
        written across unquoted arguments (``$<$<CONFIG:Debug>:-g -sASSERTIONS=0>``) is one
        list item joined by ``;``: CMake evaluates it on the joined value, so the whole of it
        is Debug's (``-g;-sASSERTIONS=0``), and no item ``-sASSERTIONS=0>`` reaches a link."""
        config = self.config()
        out, pending = [], None
        for v, _ in arguments(c.read_args, self.view()):
            if pending is None and "$<" not in v.text:
                out.append(v)       # no generator expression: the item as it is (a long list's every item)
                continue
            pending = v if pending is None else PStr.join([pending, PStr.synth(";"), v])
            if not _open_genex(pending.text):
                out.append(genex_filter(pending, self.on, config))
                pending = None
        if pending is not None:
            out.append(genex_filter(pending, self.on, config))
        return out

    def config(self) -> str | None:
        v = self.vars.get("CMAKE_BUILD_TYPE") or self.cache.get("CMAKE_BUILD_TYPE")
        return v.text if v is not None and v.known and v.text else None

    # ---------------------------------------------------------------- control flow
    def _block(self, cmds: list[Cmd], i: int, end: int, toward: int | None = None,
               stage: int | None = None) -> None:
        while i < end:
            if stage is not None:      # a top-level command of a file of the chain or the main file
                self.at = (stage, i)
                if self.at_top is not None:
                    self.at_top(self)
            c = cmds[i]
            if toward is not None and i == toward:
                raise _Reached
            self.budget -= 1
            if self.budget <= 0:
                raise Return
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
        branches, start = [], i
        for k in _shape(cmds[i].unit)[1][i]:
            if k >= close:
                break
            branches.append((start, k))
            start = k
        branches.append((start, close))
        chosen, guards = None, []
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
            self.reached.setdefault(label, self.at)
            if label == self.on:
                chosen = (b_start, b_end)
                break
            words = self._words(c)
            truth = evaluate_condition(words, self.lookup, targets=set(self.targets), commands=set(self.defs))
            if (truth.value is None or (truth.free and not truth.value)) and self.anchor is not None \
                    and label not in self.switches:
                self.switches.append(label)
            if truth.free and truth.value is not None:
                names = set(_NAMES.findall(" ".join(w.text for w, _ in words)))
                guards.append(Guard(words, bool(truth.value), {n: self.lookup(n) for n in names},
                                    frozenset(names & self.vars.keys())))
            if truth.value:
                chosen = (b_start, b_end)
                break
        if chosen is not None:
            depth = len(self.guards)
            self.guards += guards
            try:
                self._block(cmds, chosen[0] + 1, chosen[1], toward)
            finally:
                del self.guards[depth:]
        return close + 1

    def _words(self, c: Cmd) -> list[tuple[PStr, bool]]:
        return [(genex_filter(v, self.on, self.config()), q) for v, q in arguments(c.read_args, self.view())]

    def _condition(self, c: Cmd):
        return evaluate_condition(self._words(c), self.lookup, targets=set(self.targets), commands=set(self.defs))

    def _foreach(self, c: Cmd, cmds: list[Cmd], start: int, close: int) -> None:
        args = self.args(c)
        if not args:
            return
        for item in _foreach_items(args, self.view())[:MAX_LOOP]:
            self.vars[args[0].text] = item
            try:
                self._block(cmds, start, close)
            except Break:
                break
            except Continue:
                continue

    def _while(self, c: Cmd, cmds: list[Cmd], start: int, close: int) -> None:
        if self._condition(c).value is False:
            return
        try:
            self._block(cmds, start, close)    # once: the loop's bound is rarely static
        except (Break, Continue):
            pass

    def _define(self, c: Cmd, cmds: list[Cmd], i: int, close: int) -> None:
        args = [a.text for a in self.args(c)]
        if args:
            self.defs[args[0].lower()] = Def(c.name, args[1:], c.unit, i, close)

    def _call(self, d: Def, c: Cmd) -> None:
        if self.depth >= MAX_DEPTH:
            return
        args = self.args(c)
        bound = {"ARGC": PStr.synth(str(len(args))), "ARGV": join_list(args, ";"),
                 "ARGN": join_list(args[len(d.params):], ";")}
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
                except Return:
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
        handler = HANDLERS.get(name)
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

    def charge_found(self, items: int, what: str) -> None:
        if self.charges_found and items:
            budget.charge(items, what)
            self.found += items

    def refund_found(self) -> None:
        """What ``charge_found`` took, given back (the links made of the run charge it)."""
        budget.charge(-self.found, "compiler commands")
        self.found = 0

    def target(self, name: str, c: Cmd, kind: str = "unknown") -> Target:
        t = self.targets.get(name)
        if t is None:
            t = self.targets[name] = Target(name, self.anchor_span(c), kind, main=self.anchor is not None)
            if t.main:
                self.charge_found(1, "compiler commands")
        elif kind != "unknown" and t.kind == "unknown":
            t.kind = kind
        if kind != "unknown" and not t.guards:
            t.guards = tuple(self.guards)
        if kind != "unknown" and t.included is None and self.including:
            t.included = self.including[0]
        return t


class _Scope(ChainMap):
    """The variables ``${…}`` sees: macro arguments, then the scope, then the cache. An
    undefined variable the project sets somewhere expands to nothing, as in CMake; one
    only the user can set stays unknown."""

    def __init__(self, *maps, internal=lambda name: False, budget: ExpansionBudget | None = None):
        super().__init__(*maps)
        self.internal, self.budget = internal, budget

    def get(self, key, default=None):
        value = None
        for m in self.maps:          # ChainMap.get looks each map up twice
            if key in m:
                value = m[key]
                break
        if value is None and self.internal(key):
            return PStr.synth("")
        if value is not None and self.budget is not None and not self.budget.spend(len(value.text)):
            return PStr.synth(UNKNOWN)      # the file's expansion budget is spent
        return default if value is None else value


def _matching(cmds: list[Cmd], i: int, end: int, opener: str, closer: str) -> int:
    """The end command of the block ``cmds[i]`` opens, or ``end`` when it has none before it."""
    k = _shape(cmds[i].unit)[0].get(i)
    return k if k is not None and k < end else end


_BLOCKS = ("if", "foreach", "function", "macro", "while")


def _shape(unit: Unit) -> tuple[dict[int, int], dict[int, list[int]]]:
    """Each block opener's end command (``if`` → ``endif`` … matched as CMake nests them), and
    each ``if``'s own ``elseif``/``else``: one pass over the file, kept with it; a scan from
    each opener to its end made nested blocks quadratic."""
    if unit.shape is None:
        ends: dict[int, int] = {}
        branches: dict[int, list[int]] = {}
        open_: dict[str, list[int]] = {n: [] for n in _BLOCKS}
        for k, c in enumerate(unit.cmds):
            n = c.name
            if n in open_:
                open_[n].append(k)
                if n == "if":
                    branches[k] = []
            elif n.startswith("end") and n[3:] in open_:
                if open_[n[3:]]:
                    ends[open_[n[3:]].pop()] = k
            elif n in ("elseif", "else") and open_["if"]:
                branches[open_["if"][-1]].append(k)
        unit.shape = (ends, branches)
    return unit.shape


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
            items += list_items(view.get(a.text))
        elif mode == "ZIP_LISTS":
            return [PStr.synth(UNKNOWN)]
        else:
            items.append(a)
    return items
