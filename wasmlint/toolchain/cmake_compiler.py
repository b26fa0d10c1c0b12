"""What a CMake configure learns from the compiler and computes from text: the macros
``emcc -E -dM`` prints (``execute_process(COMMAND ${CMAKE_C_COMPILER} -E -dM …)``, read by
urho3d's CheckCompilerToolchain to set ``WEB`` from ``__EMSCRIPTEN__``), and
``string(REGEX MATCH|MATCHALL|REPLACE)`` over known text (cmake-commands(7)), so a
switch derived from the compiler's macros is what emcmake makes it, not a build variant.
"""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from lark import Transformer

try:
    from re import _parser as _sre_parser        # Python 3.11+
except ImportError:                               # pragma: no cover - Python 3.10
    import sre_parse as _sre_parser

from .emcc import is_emcc
from .pstr import PStr

if TYPE_CHECKING:
    from .cmake_eval import Run

# a part of what `emcc -E -dM -xc /dev/null` prints (clang's wasm32-unknown-emscripten target
# and emcc's own defines): the platform and data-model macros that configure checks test
EMCC_PREDEFINED = "\n".join("#define " + d for d in (
    "EMSCRIPTEN 1", "__EMSCRIPTEN__ 1", "__wasm 1", "__wasm__ 1", "__wasm32 1", "__wasm32__ 1",
    "__clang__ 1", "__GNUC__ 4", "__STDC__ 1", "__unix 1", "__unix__ 1", "unix 1", "_ILP32 1",
    "__ILP32__ 1", "__CHAR_BIT__ 8", "__SIZEOF_SHORT__ 2", "__SIZEOF_INT__ 4", "__SIZEOF_LONG__ 4",
    "__SIZEOF_LONG_LONG__ 8", "__SIZEOF_POINTER__ 4", "__SIZEOF_SIZE_T__ 4", "__SIZEOF_FLOAT__ 4",
    "__SIZEOF_DOUBLE__ 8", "__SIZEOF_LONG_DOUBLE__ 16", "__SIZEOF_WCHAR_T__ 4", "__LITTLE_ENDIAN__ 1",
    "__ORDER_LITTLE_ENDIAN__ 1234", "__ORDER_BIG_ENDIAN__ 4321",
    "__BYTE_ORDER__ __ORDER_LITTLE_ENDIAN__")) + "\n"
MAX_STEPS = 10 ** 8   # ways a linted tree's regular expression may try on its input (see _compile)
MACROS = dict(line[8:].partition(" ")[::2] for line in EMCC_PREDEFINED.splitlines())
# other platforms' and architectures' macros, which emcc never predefines: a check on one of
# them is decided (a name in neither list may be one of emcc's many others: not decided)
NOT_PREDEFINED = frozenset((
    "__linux__", "__linux", "linux", "__gnu_linux__", "__APPLE__", "__MACH__", "_WIN32", "_WIN64",
    "__CYGWIN__", "__MINGW32__", "__MINGW64__", "_MSC_VER", "__ANDROID__", "__FreeBSD__", "__NetBSD__",
    "__OpenBSD__", "__DragonFly__", "__sun", "__HAIKU__", "__wasi__", "__x86_64__", "__x86_64", "__amd64__",
    "__amd64", "__i386__", "__i386", "__i686__", "_M_IX86", "_M_X64", "__aarch64__", "__arm__", "__arm64__",
    "_M_ARM", "_M_ARM64", "__powerpc__", "__powerpc64__", "__ppc__", "__ppc64__", "__mips__", "__riscv",
    "__s390x__", "__loongarch64", "__e2k__", "__BIG_ENDIAN__"))


def compiler_macros(words: list[str]) -> str | None:
    """The output of a command that asks emcc (the compilers Emscripten's toolchain file
    sets) for its predefined macros (``-E -dM``); None for any other command."""
    if not words or not is_emcc(posixpath.basename(words[0])):
        return None
    return EMCC_PREDEFINED if "-dM" in words and "-E" in words else None


def string_regex(run: Run, args: list[PStr]) -> None:
    """``string(REGEX MATCH|MATCHALL|REPLACE …)``: the result when the expression and the
    input are known and Python's ``re`` reads the expression as CMake does; else the output
    variable is unknown. MATCH also sets ``CMAKE_MATCH_<n>``."""
    mode = args[1].text
    k = 5 if mode == "REPLACE" else 4       # REGEX <mode> <regex> [<replacement>] <output> <input>…
    if len(args) < k:
        return
    out = args[k - 1].text
    pattern, values = args[2], list(args[k:])
    value = PStr.join(values) if values else PStr.synth("")
    compiled = _compile(pattern.text, len(value.text)) if pattern.known and value.known else None
    result = None
    if compiled is not None:
        if mode == "MATCH":
            result = _match(run, compiled, value)
        elif mode == "MATCHALL":
            found = [value[m.start():m.end()] for m in compiled.finditer(value.text)]
            result = PStr.join([p for x in found for p in (PStr.synth(";"), x)][1:]) if found else PStr.synth("")
        elif mode == "REPLACE" and args[3].known:
            result = _replace(compiled, args[3].text, value)
    run._set_var(out, result) if result is not None else run._unknown(out)


def _compile(pattern: str, length: int):
    """CMake's regular expressions are a subset of Python's, but for braces (literal in CMake).
    An expression from the linted tree runs on ``length`` characters only when its
    backtracking is bounded (``_bounded``): with r repetitions, none inside another nor
    around an alternation, a search from each of its starts tries at most about
    length**(r + 1) ways (less the repetitions whose run cannot vary: ``_forced``), kept
    under ``MAX_STEPS``."""
    try:
        compiled = re.compile(pattern.replace("{", r"\{").replace("}", r"\}"), re.DOTALL)
        repeats: list = []
        parsed = _sre_parser.parse(compiled.pattern, compiled.flags)
        if not _bounded(parsed, repeats):
            return None
    except (re.error, RecursionError, OverflowError):
        return None
    degree = 1 + len(repeats) - _forced(_flat(parsed))
    return compiled if max(length, 2) ** degree <= MAX_STEPS else None


def _flat(items) -> list:
    """The expression's items in order, its groups opened (none is repeated: ``_bounded``)."""
    out = []
    for op, arg in items:
        if str(op) == "SUBPATTERN":
            out += _flat(arg[-1])
        else:
            out.append((op, arg))
    return out


def _forced(items) -> int:
    r"""Repetitions of one character class whose length backtracking cannot vary: the last
    item, or one followed by a character it cannot match (`` +_``, ``\w+=``), stops where
    its run ends, so it adds no power of the input."""
    n = 0
    for k, (op, arg) in enumerate(items):
        if str(op) not in ("MAX_REPEAT", "MIN_REPEAT") or len(arg[2]) != 1:
            continue
        after = items[k + 1] if k + 1 < len(items) else None
        if after is None or (str(after[0]) == "AT" and str(after[1]) == "AT_END"):
            n += 1
        elif str(after[0]) == "LITERAL" and not _matches(arg[2][0], after[1]):
            n += 1
    return n


def _matches(item, code: int) -> bool:
    """Whether one item of an expression can match the character ``code`` (unsure: True)."""
    op, arg = item
    kind = str(op)
    if kind == "LITERAL":
        return arg == code
    if kind == "NOT_LITERAL":
        return arg != code
    if kind != "IN":
        return True
    negate = any(str(o) == "NEGATE" for o, _ in arg)
    found = False
    for o, a in arg:
        name = str(o)
        if name == "LITERAL" and a == code or name == "RANGE" and a[0] <= code <= a[1]:
            found = True
        elif name == "CATEGORY":
            return True
    return found != negate


def _bounded(items, repeats: list, inside: bool = False) -> bool:
    """Whether a parsed expression's backtracking is polynomial: no repetition inside
    another, no alternation under one (``(a+)+``, ``(a|a)*``: exponential in the input);
    ``repeats`` collects its repetitions (each one more a power of the input)."""
    for op, arg in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            repeats.append(op)
            if inside or not _bounded(arg[2], repeats, True):
                return False
        elif name == "BRANCH":
            if inside or not all(_bounded(b, repeats, inside) for b in arg[1]):
                return False
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            if not _bounded(arg[-1], repeats, inside):
                return False
        elif name in ("GROUPREF", "GROUPREF_EXISTS", "ASSERT", "ASSERT_NOT"):
            return False        # not in CMake's syntax either
    return True


def _match(run: Run, compiled, value: PStr) -> PStr:
    m = compiled.search(value.text)
    for n in range(10):
        run.vars.pop(f"CMAKE_MATCH_{n}", None)
    if m is None:
        return PStr.synth("")
    for n in range(min(compiled.groups, 9) + 1):
        if m.group(n) is not None:
            run.vars[f"CMAKE_MATCH_{n}"] = value[m.start(n):m.end(n)]
    return value[m.start():m.end()]


def _replace(compiled, replacement: str, value: PStr) -> PStr | None:
    """Each match replaced, ``\\0``…``\\9`` its groups (``\\n`` a newline, ``\\\\`` a
    backslash); a match of nothing, or another escape, is an error in CMake (None: unknown)."""
    out, i = [], 0
    for m in compiled.finditer(value.text):
        if m.start() == m.end():
            return None
        out.append(value[i:m.start()])
        where = value[m.start():m.end()].source_range() or (-1, -1)
        k = 0
        while k < len(replacement):
            c = replacement[k]
            if c == "\\" and k + 1 < len(replacement) and replacement[k + 1].isdigit():
                n = int(replacement[k + 1])
                if n > compiled.groups:
                    return None
                if m.group(n) is not None:
                    out.append(value[m.start(n):m.end(n)])
                k += 2
                continue
            if c == "\\":
                c = {"n": "\n", "\\": "\\"}.get(replacement[k + 1:k + 2])
                if c is None:
                    return None
                k += 1
            out.append(PStr.spread(c, *where))
            k += 1
        i = m.end()
    out.append(value[i:])
    return PStr.join(out)


def check_result(name: str, args: list[PStr]) -> tuple[str, bool] | None:
    """(result variable, whether the check passes) of a compiler check emcc decides by its
    predefined macros: ``check_symbol_exists(__linux__ "" IS_LINUX)``, and a source check
    whose preprocessor conditions on them reach an ``#error``
    (``check_c_source_compiles("#ifndef __EMSCRIPTEN__\\n#error\\n#endif" IS_WEB)``).
    None: not decided here (a check of the project's own flags or headers passes)."""
    words = [a.text for a in args]
    if name in ("check_symbol_exists", "check_cxx_symbol_exists") and len(words) >= 3:
        symbol = words[0]
        if symbol in MACROS or symbol in NOT_PREDEFINED:
            return words[2], symbol in MACROS
        return None
    at = {"check_source_compiles": 1, "check_source_runs": 1}.get(name, 0)
    if "source" not in name or len(words) < at + 2 or not args[at].known:
        return None
    verdict = _preprocessed(words[at])
    return None if verdict is None else (words[at + 1], verdict)


def _preprocessed(code: str) -> bool | None:
    """Whether the C preprocessor, given emcc's macros, reaches no ``#error`` in ``code``;
    None when a condition is not decided here."""
    defined = dict(MACROS)
    stack: list[list[bool]] = []        # each open #if: [the branch is live, a branch was taken]
    for line in code.splitlines():
        text = line.strip()
        if not text.startswith("#"):
            continue
        directive, _, rest = text[1:].strip().partition(" ")
        rest = rest.split("//")[0].strip()
        live = all(s[0] for s in stack)
        if directive in ("if", "ifdef", "ifndef"):
            truth = _condition(directive, rest, defined) if live else False
            if truth is None:
                return None
            stack.append([truth, truth])
        elif directive in ("elif", "else") and stack:
            top = stack[-1]
            truth = True if directive == "else" else _condition("if", rest, defined)
            if truth is None:
                return None
            top[0] = not top[1] and truth
            top[1] = top[1] or top[0]
        elif directive == "endif" and stack:
            stack.pop()
        elif live and directive == "error":
            return False
        elif live and directive == "define" and rest:
            name, _, value = rest.partition(" ")
            defined[name] = value.strip() or "1"
        elif live and directive == "undef":
            defined.pop(rest, None)
    return True


def _condition(directive: str, rest: str, defined: dict) -> bool | None:
    if directive in ("ifdef", "ifndef"):
        name = rest.split()[0] if rest.split() else ""
        if name not in defined and name not in NOT_PREDEFINED:
            return None
        return (name in defined) == (directive == "ifdef")
    value = _if_value(rest, defined)
    return None if value is None else value != 0


@lru_cache(maxsize=1)
def _if_parser():
    from lark import Lark

    from ..resources import grammar_text
    return Lark(grammar_text("c_if.lark"), parser="lalr", start="expr")


def _if_value(text: str, defined: dict) -> int | None:
    """An ``#if`` expression's value (``grammars/c_if.lark``) over the macros ``defined``;
    None when it is not of that grammar or a name it reads is not decided."""
    from lark.exceptions import LarkError
    try:
        tree = _if_parser().parse(text)
    except LarkError:
        return None
    return _IfValue(defined).transform(tree)


class _IfValue(Transformer):
    """Each node's value, None when unknown (an unknown operand makes its operator's unknown)."""

    def __init__(self, macros: dict):
        super().__init__()
        self.macros = macros

    @staticmethod
    def _both(a, b, op):
        return None if a is None or b is None else int(op(a, b))

    def or_op(self, items):
        return self._both(*items, lambda a, b: bool(a) or bool(b))

    def and_op(self, items):
        return self._both(*items, lambda a, b: bool(a) and bool(b))

    def compare(self, items):
        a, op, b = items
        return self._both(a, b, {"==": int.__eq__, "!=": int.__ne__, "<": int.__lt__, ">": int.__gt__,
                                 "<=": int.__le__, ">=": int.__ge__}[str(op)])

    def not_op(self, items):
        return None if items[0] is None else int(not items[0])

    def defined(self, items):
        name = str(items[0])
        if name not in self.macros and name not in NOT_PREDEFINED:
            return None
        return int(name in self.macros)

    def number(self, items):
        return int(str(items[0]).rstrip("uUlL"))

    def name(self, items):
        return _macro(str(items[0]), self.macros, 0)


def _macro(name: str, defined: dict, depth: int) -> int | None:
    """A macro's value as an ``#if`` reads it: another platform's is 0, a defined number
    its value (through up to 4 names it is defined as), anything else undecided."""
    if name in NOT_PREDEFINED:
        return 0
    value = defined.get(name)
    if value is None or depth > 4:
        return None
    if value.isdigit():
        return int(value)
    return _macro(value, defined, depth + 1) if re.fullmatch(r"[A-Za-z_]\w*", value) else None
