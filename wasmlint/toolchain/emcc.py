"""emcc/em++ link invocations → ``emcc-invocation`` and ``emcc-setting`` facts.

Input is the argument list after the ``emcc`` word, as produced by an
extraction layer (Makefile, CMake, shell, …) with positions kept (``Tok``).
The argument grammar is emcc's (formats.md §2.1): ``-sNAME=V``, ``-s NAME=V``,
``-sNAME``/``-s NAME`` (=1), the upper-case identifier rule (otherwise ``-s``
is lld's ``--strip-all``), the last occurrence wins, ``-sUSE_PTHREADS=0``
overrides ``-pthread``/``-fopenmp`` whatever the order, ``-m64``/``--target=wasm64``,
``@file`` response files and ``EMCC_CFLAGS`` appended at the end.
"""
from __future__ import annotations


from dataclasses import dataclass, field
from typing import Any, ClassVar

from .. import budget
from ..facts import Fact, Span, internal
from ..memory import PAGE, MemoryLike
from . import emcc_settings as es
from .edits import remove_many, replace_args, replace_part
from .debug_build import SOURCE_MAP_FLAGS, debug_named, is_debug_flag, release_named
from .emcc_debug import DebugSettings
from .emcc_outputs import LinkOutputs
from .emcc_setting_fact import EmccSetting, SettingUse, parse_use
from .emver import effective, parse_version
from .pstr import UNKNOWN, Tok
from .response_files import Reader, expand_response

EMCC_NAMES = frozenset(("emcc", "em++", "emcc.py", "em++.py", "emcc.bat", "em++.bat"))
# Options whose value is the next argument (so the value is never read as a flag).
TAKES_VALUE = frozenset((
    "--pre-js", "--post-js", "--extern-pre-js", "--extern-post-js", "--js-library", "--embed-file",
    "--preload-file", "--exclude-file", "--shell-file", "--closure", "--closure-args", "--js-transform",
    "--emit-tsd", "--use-port", "--memory-init-file", "--source-map-base", "--output-eol", "-x", "-I",
    "-L", "-l", "-z", "-u", "-include", "-isystem", "-MF", "-MT", "-MQ", "-Xlinker", "-Xclang", "-mllvm",
    "--cache", "--em-config", "--valid-abspath", "--js-opts", "--llvm-opts", "--llvm-lto",
))
# JavaScript that emcc pastes into the glue it writes (settings.rst, emcc.rst): fragments
# that are JavaScript only once joined (a --pre-js may open a block its --post-js closes)
JS_INPUTS = ("--pre-js", "--post-js", "--extern-pre-js", "--extern-post-js", "--js-library")
# `-o x.o`/`-o x.bc` makes an object file (a relocatable link, as `-r`), `-o x.a` an
# archive (emcc picks the output kind by suffix): no module, its link settings unused
OBJECT_OUTPUTS = (".o", ".bc", ".a", ".obj")
# ``--cflags`` prints the compile flags of the given settings and exits (an SDL2 build.rs asks it);
# ``--clear-cache``, ``--clear-ports``, ``--show-ports`` and ``--check`` do their chore and exit
# (emcc's docs, "Emscripten Compiler Frontend"): `emcc --clear-cache` before a build links nothing
NOT_LINK = frozenset(("-c", "-E", "-S", "-M", "-MM", "-fsyntax-only", "--version", "-v", "--help", "--cflags",
                      "--clear-cache", "--clear-ports", "--show-ports", "--check", "-dumpmachine", "-dumpversion"))


def is_emcc(word: str) -> bool:
    return word.replace("\\", "/").rsplit("/", 1)[-1] in EMCC_NAMES


@dataclass
class EmccInvocation(MemoryLike, DebugSettings, LinkOutputs, Fact):
    """One emcc link (a command, or a flag set that reaches one), with the settings
    emcc ends up with and the memory layout it derives."""

    kind: ClassVar[str] = "emcc-invocation"
    variant: str | None = None
    output: str | None = None
    copies: list = field(default_factory=list)     # where a build step copies its outputs (CMake POST_BUILD)
    # Flags that reach links elsewhere, not a link: a Makefile flag variable no recipe of its
    # file uses, a CMake file's directory flags with no target, a Meson cross file, an exported
    # EMCC_CFLAGS. What such a set leaves out, the link that consumes it may add.
    flag_set: bool = False
    own_recipes: bool = internal(True)  # a Makefile flag set's file has rules of its own (make_includes)
    # a Makefile flag set that only the file's own recipes could name: it runs recipes, does not
    # export the variable nor hand out computed names (make_includes)
    kept_here: bool = internal(False)
    settings: dict = field(default_factory=dict)
    spellings: dict = field(default_factory=dict)
    pthreads: bool = False
    effective: dict = field(default_factory=dict)
    opt_level: str | None = None
    opt_levels: list = field(default_factory=list)    # every -O as written; the last one wins
    debug_flags: list = field(default_factory=list)   # the -g flags after the last -g0
    source_map: bool = False
    only_link: bool = internal(False)                 # the project's one emcc link (debug_build.settle)
    rule: str | None = internal(None)                 # the Makefile target whose recipe links
    # (Makefile) a run named for release that makes this same link (``make RELEASE=1``)
    release_run: str | None = internal(None)
    # (Makefile) why only a run by hand makes it: a target no goal of the file's runs reaches (make_unbuilt)
    by_hand: str | None = internal(None)
    stripped_into: str | None = internal(None)        # a module the Makefile derives and strips (make_strip)
    platform_goal: str | None = internal(None)        # (Makefile) the web platform's goal that makes it (make_goals)
    # (Makefile) the recipe line of a link whose command word is set elsewhere (`$(EMCC)`)
    recipe_span: Span | None = internal(None)
    emscripten_version: str | None = None
    uses: list = internal(default_factory=list)
    thread_flags: list = internal(default_factory=list)
    thread_toks: list = internal(default_factory=list)
    warning_flags: list = internal(default_factory=list)
    js_inputs: list = field(default_factory=list)     # [option, path]: --pre-js, --js-library …
    # flags set in the branches of an if/else, one flagged to debug and one for release:
    # the release branch's line, on both (``shell_argv._debug_branches``)
    release_branch: int | None = internal(None)
    # an argument wholly unknown here (``$(LDFLAGS)`` from the environment the build runs in):
    # it may carry any setting, so no setting can be called absent
    opaque_args: bool = False
    # every word of the command is known and no build setting can add one (a CMake build type
    # whose flags are unknown may hold the -O): then a link with no -O is emcc's default -O0
    words_known: bool = internal(False)
    # (CMake) the configure line's ``-DCMAKE_BUILD_TYPE=…`` whose flags bring the link's -g/-O0
    build_type: str | None = internal(None)
    build_type_span: Span | None = internal(None)
    # (CMake) the build type the CMakeLists gives itself when no configure line passes one
    # (``if(NOT CMAKE_BUILD_TYPE) set(CMAKE_BUILD_TYPE Debug)``): a Debug default is a developer's
    # build, one made to debug whatever it optimises; a configure line's Debug is what it ships
    config: str | None = internal(None)

    @property
    def wasm_output(self) -> bool:
        """emcc writes WebAssembly. ``-sWASM=0`` asks for JavaScript only: the module is
        turned into JS by wasm2js (the asm.js successor) and no ``.wasm`` is written, so
        the link has no WebAssembly memory. ``WASM=2`` writes both."""
        return self.settings.get("WASM") != 0

    # MemoryLike: nothing for a link without WebAssembly output ------------------
    @property
    def initial_pages(self) -> int | None:  # type: ignore[override]
        v = self.effective.get("initial_memory") if self.wasm_output else None
        return None if v is None else -(-v // PAGE)

    @property
    def maximum_pages(self) -> int | None:  # type: ignore[override]
        v = self.effective.get("maximum_memory") if self.wasm_output else None
        return None if v is None else -(-v // PAGE)

    @property
    def maximum_declared(self) -> bool:  # type: ignore[override]
        """A MAXIMUM_MEMORY is passed, also one whose value the build computes (``$MAX``)."""
        return self.maximum_pages is not None or (self.wasm_output and "MAXIMUM_MEMORY" in self.settings)

    @property
    def shared(self) -> bool:  # type: ignore[override]
        return self.wasm_output and bool(self.effective.get("shared_memory"))

    @property
    def memory64(self) -> bool:  # type: ignore[override]
        return self.wasm_output and bool(self.effective.get("memory64"))

    @property
    def label(self) -> str:
        shown = (self.output or "").replace(UNKNOWN, "…")     # a part the build computes when it runs
        what = f"emcc link of `{shown}`" if shown.strip("…") else "emcc link"
        return f"{what} ({self.variant})" if self.variant else what

    @property
    def growth(self) -> bool:
        return bool(self.effective.get("growth"))

    @property
    def growth_reason(self) -> str:
        spelled = self.spellings.get("ALLOW_MEMORY_GROWTH", "ALLOW_MEMORY_GROWTH")
        if self.maximum_pages is None and self.maximum_declared:
            return f"`{spelled}` is on, up to a MAXIMUM_MEMORY the build computes"
        if self.maximum_pages is None:
            return f"`{spelled}` is on and no MAXIMUM_MEMORY bounds it"
        return f"`{spelled}` is on, up to {self.maximum_pages} pages"

    def _last(self, name: str) -> SettingUse | None:
        found = [u for u in self.uses if u.parsed.name == name and u.parsed.error is None]
        return found[-1] if found else None

    @property
    def growth_span(self) -> Span:
        u = self._last("ALLOW_MEMORY_GROWTH")
        return u.span if u else self.span

    @property
    def initial_span(self) -> Span:
        u = self._last("INITIAL_MEMORY")
        return u.span if u else self.span

    @property
    def maximum_span(self) -> Span:
        u = self._last("MAXIMUM_MEMORY")
        return u.span if u else self.growth_span

    # thread settings ----------------------------------------------------------
    @property
    def pthreads_disabled_by_setting(self) -> bool:
        return bool(self.thread_flags) and self.settings.get("PTHREADS") == 0

    @property
    def thread_flag(self) -> str:
        return self.thread_flags[0] if self.thread_flags else "-pthread"

    @property
    def pthreads_span(self) -> Span:
        u = self._last("PTHREADS")
        if u is not None:
            return u.span
        spans = [t.span() for t in self.thread_toks]
        return next((s for s in spans if s is not None), self.span)

    @property
    def conflict_message(self) -> str:
        if self.pthreads_disabled_by_setting:
            return (f"`-sUSE_PTHREADS=0` turns threads off although `{self.thread_flag}` is also given: "
                    "the setting wins, whatever the order")
        return "`-sPROXY_TO_PTHREAD` without threads: emcc fails with \"-sPROXY_TO_PTHREAD requires -pthread to work!\""

    @property
    def pool_size(self) -> Any:
        return self.settings.get("PTHREAD_POOL_SIZE")

    generator = None        # (WL303) a link's pool is its own, not the workers of generated glue

    def worker_excesses(self, ctx) -> list[dict]:
        """(WL303) A threaded link whose ``PTHREAD_POOL_SIZE`` is a number above
        ``policy.max-workers``: the glue it writes starts that many Web Workers as the module
        loads, before any thread is asked for (emcc's setting; a JS expression such as
        ``navigator.hardwareConcurrency`` follows the cores). With no policy, a constant pool is
        not judged, as piscina's ``maxThreads`` is not: the deployment's cores are unknown."""
        limit, n = ctx.config.policy.get("max-workers"), self.pool_size
        if not limit or not self.pthreads or self.side_module or type(n) is not int or n <= limit:
            return []
        u = self._last("PTHREAD_POOL_SIZE")
        why = (f"{self.label} starts {n} workers as the module loads (`PTHREAD_POOL_SIZE={n}`), above the "
               f"policy limit of {limit}: more workers than cores slow every worker down, and each loads the "
               "glue and instantiates the module")
        return [{"why": why, "span": u.span if u else self.span, "related": []}]

    @property
    def side_module(self) -> bool:
        """A ``-sSIDE_MODULE`` link writes only a ``.wasm`` that a main module loads
        (``dynamicLibraries``, ``dlopen``): it has no JavaScript runtime of its own, so its
        memory and its worker pool are the main module's (emcc's Dynamic Linking docs)."""
        return bool(self.settings.get("SIDE_MODULE"))

    @property
    def growth_warning_silenced(self) -> bool:
        return "-Wno-pthreads-mem-growth" in self.warning_flags or self.settings.get("GROWABLE_ARRAYBUFFERS") == 2

    @property
    def release(self) -> bool:
        """A release link: optimised (-O2 and up), named release, or left at emcc's default -O0
        (``default_o0``: nothing asks for a debug build) — unless it is a build made
        to debug: named so (a variant, output, Makefile target or the CMakeLists' default build
        type: a Debug build that optimises one slow target is still a Debug build), or asking for -O0 or a
        source map, which a later -O3 (ASYNCIFY needs one) does not turn into a release. A
        source map beside ``-sASSERTIONS=0`` is a release's map (production stack traces):
        a build made to debug does not turn its assertions off."""
        names = self.names
        if any(debug_named(n) for n in names):
            return False
        if any(release_named(n) for n in names):
            return True
        if "-O0" in self.opt_levels or (self.source_map and self.settings.get("ASSERTIONS") != 0):
            return False
        return self.opt_level in ("-O2", "-O3", "-Os", "-Oz") or self.default_o0

    @property
    def default_o0(self) -> bool:
        """A link that passes no ``-O`` at all runs at emcc's default, ``-O0`` (emcc.rst: "-O0
        No optimizations (default)"; ASSERTIONS is then on too): no wasm-opt, unminified glue.
        Only when every word of the command is known (``words_known``): an unresolved
        ``$(LDFLAGS)`` or an unknown CMake build type may be the ``-O``. A link that asks for a
        source map or is named for debugging was made to debug (``release``). Nor a variant: a
        link read in one branch of a condition the reader could not decide (``if [[ -n
        $OPT_LEVEL ]]; then flags+=" -$OPT_LEVEL"``) may lack the -O that the other branch adds."""
        return (self.opt_level is None and self.words_known and not self.opaque_args and not self.flag_set
                and self.variant is None)

    @property
    def names(self) -> tuple[str | None, ...]:
        """What the link goes by: its variant, output, Makefile target and CMake build type, and
        a run named for release that makes it too (``release_run``)."""
        return (self.variant, self.output, self.rule, self.config, self.release_run)

    # fixes --------------------------------------------------------------------
    @property
    def fix_remove_maximum(self) -> list:
        uses = [u for u in self.uses if u.parsed.name == "MAXIMUM_MEMORY"]
        return remove_many([u.toks for u in uses]) or []

    def fix_pin_memory(self, ctx):
        """Growth off and INITIAL_MEMORY = the planned size, in this file's own spelling
        (edits), or a suggestion when the flags are not verbatim in the file. Made once per
        check: the rules that offer it (growth, growth with threads) share it."""
        fix = ctx.once("fix_pin_memory", self, lambda: self._pin_memory(ctx))
        return list(fix) if isinstance(fix, list) else fix

    def _pin_memory(self, ctx):
        pages = self.pin_pages(ctx)
        if not pages:
            return None
        size = _size_text(pages * PAGE)
        hint = f"link with `-sALLOW_MEMORY_GROWTH=0 -sINITIAL_MEMORY={size}` ({pages} pages)"
        growth = [u for u in self.uses if u.parsed.name == "ALLOW_MEMORY_GROWTH"]
        initial = self._last("INITIAL_MEMORY")
        gone = [x.toks for x in self.uses if x.parsed.name == "MAXIMUM_MEMORY"] + [u.toks for u in growth[:-1]]
        if initial is not None and growth:
            gone.append(growth[-1].toks)
        edits: list = (remove_many(gone) or [None]) if gone else []
        if initial is not None:
            value_at = initial.tok.value.find("=", initial.at) + 1
            edits += replace_part(initial.tok, value_at, len(initial.tok.value), size) or [None]
        elif growth:
            last = growth[-1]
            edits += replace_args([last.tok], f"{last.tok.value[:last.at]}INITIAL_MEMORY={size}") or [None]
        else:
            return hint
        if any(e is None for e in edits) or not edits:
            return hint
        return sorted(edits, key=lambda e: (e.span.line, e.span.column))


def _size_text(n: int) -> str:
    return f"{n // (1 << 20)}MB" if n % (1 << 20) == 0 else str(n)


def build_facts(argv: list[Tok], span: Span, *, variant: str | None = None, extra: list[Tok] = (),
                read_response: Reader | None = None, version: str | None = None,
                problems: list | None = None, flag_set: bool = False, complete: bool = True,
                inputs_given: bool = True) -> list[Fact]:
    """Facts for one emcc command (``argv`` after the ``emcc`` word; ``extra`` is
    EMCC_CFLAGS), or for a set of flags that reaches links elsewhere (``flag_set``).
    ``complete`` is False when the build may add words not in ``argv`` (a CMake build type
    whose flags are not known); ``inputs_given`` is False when ``argv`` holds the flags only
    (a CMake target's, whose sources CMake adds): otherwise a command with no input file
    (``emcc --show-files``) links nothing.
    Returns [] for a compile-only command."""
    args = expand_response(list(argv) + list(extra), read_response, problems)
    budget.charge(1, "compiler commands")     # their words are bounded by the expansion budget
    # its settings are charged before they are read (a file over the bound is cut before
    # the work): a count of ``-s`` words, at least the settings read; set right after
    said = _setting_words(args)
    budget.charge(said, "emcc settings")
    inv = EmccInvocation(span, variant=variant, emscripten_version=version, flag_set=flag_set)
    setting_facts: list[Fact] = []
    i, link, memory64, inputs = 0, True, None, not inputs_given
    while i < len(args):
        tok = args[i]
        a = tok.value
        if a == "-s" and i + 1 < len(args):
            nxt = args[i + 1]
            if es.split_setting(nxt.value) is not None or nxt.value.startswith(UNKNOWN):
                _add_use(inv, setting_facts, SettingUse(parse_use(nxt.value, nxt, read_response), nxt, 0, tok), variant)
                i += 2
                continue
            if nxt.value.startswith("-") or _miscased_setting(nxt.value):
                setting_facts.append(_not_setting(tok, nxt, variant))
        elif a.startswith("-s") and len(a) > 2 and not a.startswith("-shared"):
            parsed = parse_use(a[2:], tok, read_response)
            if parsed is not None:
                _add_use(inv, setting_facts, SettingUse(parsed, tok, 2), variant)
            elif _miscased_setting(a[2:]):   # -sallow_memory_growth; -std=c++17 is clang's
                setting_facts.append(_not_setting(tok, None, variant))
        elif a in ("-pthread", "-fopenmp", "-fopenmp=libomp"):
            inv.thread_flags.append(a)
            inv.thread_toks.append(tok)
        elif a in ("-m64", "--target=wasm64", "--target=wasm64-unknown-emscripten"):
            memory64 = 1
        elif a == "-m32":
            memory64 = 0
        elif a in ("-target", "--target") and i + 1 < len(args):
            memory64 = 1 if args[i + 1].value.startswith("wasm64") else 0
            i += 1
        elif a == "-o" and i + 1 < len(args):
            inv.output = args[i + 1].value
            i += 1
        elif a.startswith("-o") and len(a) > 2 and not a.startswith("-o-"):
            inv.output = a[2:]
        elif a in NOT_LINK and (a != "-v" or len(args) == 1):
            link = False        # `emcc -v` alone prints the version; with inputs it links, verbosely
        elif a.startswith("-O") and len(a) <= 3:
            inv.opt_level = a
            inv.opt_levels.append(a)
        elif is_debug_flag(a):
            inv.debug_flags = [] if a == "-g0" else inv.debug_flags + [a]
        elif a.startswith("--source-map-base"):     # must go with -gsource-map
            inv.source_map = True
            i += a == "--source-map-base"
        elif a.startswith("-W") and not a.startswith("-Wl,"):
            inv.warning_flags.append(a)
        elif a.partition("=")[0] in JS_INPUTS:
            found = _js_input(a, args[i + 1].value if i + 1 < len(args) else None)
            inv.js_inputs += [found] if found else []
            i += "=" not in a
        elif a in TAKES_VALUE:
            i += 1
        elif a and not a.strip(UNKNOWN):
            inv.opaque_args = True
        elif a and not a.startswith("-"):
            inputs = True
        i += 1
    inv.words_known = complete and inputs
    if not link or (inv.output or "").lower().endswith(OBJECT_OUTPUTS):
        budget.charge(-said, "emcc settings")       # a compile: nothing is read
        return []
    budget.charge(len(setting_facts) - said, "emcc settings")     # each is read by every setting rule
    inv.source_map = inv.source_map or any(f.startswith(SOURCE_MAP_FLAGS) for f in inv.debug_flags)
    user = {u.parsed.name for u in inv.uses if u.parsed.error is None}
    pthreads = bool(inv.thread_flags)
    if "PTHREADS" in user:
        pthreads = inv.settings.get("PTHREADS") == 1
    if memory64 is not None and "MEMORY64" not in user:
        inv.settings["MEMORY64"] = memory64
    inv.pthreads = pthreads
    inv.effective = effective(inv.settings, pthreads, parse_version(version))
    same: dict[str, list] = {}
    for f in setting_facts:
        f.own_version = version
        f.memory64 = bool(inv.effective.get("memory64"))
        f.pthread_written = bool(inv.thread_flags)
        if f.name and f.problem is None and f.use is not None:
            same.setdefault(f.name, []).append(f)
    for uses in same.values():
        for f in uses[:-1]:
            f.overridden = True       # emcc applies the last one: its fix removes this one
        uses[-1].earlier = [g.use for g in uses[:-1]]    # what the last one's rename removes
    return [inv, *setting_facts]


def _setting_words(args: list[Tok]) -> int:
    """The ``-s`` words of a command: at least as many as the settings ``build_facts`` reads."""
    n = 0
    for tok in args:
        a = tok.value
        if a.startswith("-s") and not a.startswith("-shared"):
            n += 1
    return n


def _js_input(arg: str, nxt: str | None) -> list[str] | None:
    """``--pre-js FILE`` or ``--pre-js=FILE`` as [option, FILE]; None when FILE is not known."""
    option, eq, value = arg.partition("=")
    value = value if eq else nxt
    if not value or value.startswith((UNKNOWN, "-")):
        return None
    return [option, value]


def _add_use(inv: EmccInvocation, out: list[Fact], use: SettingUse, variant: str | None) -> None:
    p = use.parsed
    if p is None or (p.unknown_value and p.spelling.startswith(UNKNOWN)):
        return
    inv.uses.append(use)
    if p.error is None or p.passed is not None:     # a removed setting is still on the command line
        inv.settings[p.name] = p.passed if p.error else p.value if not p.unknown_value else None
        inv.spellings[p.name] = p.spelling
    problem = None
    if p.error:
        problem = "unknown-setting" if p.error.startswith(("Attempt to set", f"{p.name} is an internal")) \
            else "invalid-value"
    out.append(EmccSetting(use.span, name=p.name, spelling=p.spelling, raw=p.raw,
                           value=p.value if p.error is None else None, error=p.error, problem=problem,
                           deprecated=es.deprecated_reason(p.spelling), variant=variant, use=use, link=inv.span))


def _miscased_setting(text: str) -> bool:
    """``allow_memory_growth=1``: an Emscripten setting written in the wrong case
    (emcc would not take it as a setting). Other words after ``-s`` are clang's or
    lld's own flags (``-std=``, ``-static``, ``-s`` = strip) and are left alone."""
    key = text.split("=", 1)[0]
    return bool(key) and key != key.upper() and key.upper() in es.suggestions(key)


def _not_setting(s_tok: Tok, nxt: Tok | None, variant: str | None) -> EmccSetting:
    text = nxt.value if nxt is not None else s_tok.value[2:]
    use = SettingUse(es.Parsed(text, text, ""), nxt or s_tok, 0 if nxt else 2, s_tok if nxt else None)
    return EmccSetting(use.span, name=None, spelling=text, problem="not-a-setting", variant=variant, use=use)
