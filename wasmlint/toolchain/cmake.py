"""CMake files → emcc link facts.

Why lark (``grammars/cmake.lark``) and not tree-sitter-cmake: CMake's language is
small and fully specified (cmake-language(7)), a LALR grammar of it is exact,
and it avoids a compiled dependency; evaluation needs our own escape and
``${VAR}`` handling with positions anyway.

Evaluated in order: ``set``/``list(APPEND)``/``string(APPEND)``/``option``,
``foreach`` (items and ``IN LISTS``), function and macro bodies (once, with unknown
arguments). Link flags of a target: ``CMAKE_{C,CXX}_FLAGS``,
``CMAKE_EXE_LINKER_FLAGS`` (strings, shell-split as the generator does),
``add_link_options``, ``target_link_options`` (one argument per item, ``SHELL:``
items split, ``LINKER:`` items passed to wasm-ld), ``set_target_properties(…
LINK_FLAGS "…")`` and ``set_property(TARGET … [APPEND_STRING] PROPERTY
LINK_FLAGS|LINK_OPTIONS …)``. ``if`` conditions and ``$<CONFIG:…>`` generator
expressions are variants: the base (all false) and one per condition.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..facts import Fact, Span
from .cmake_values import args_of, genex_filter
from .emcc import build_facts
from .pstr import UNKNOWN, LineIndex, PStr, Tok, shell_split

MAX_VARIANTS = 8
FLAG_VARS = ("CMAKE_C_FLAGS", "CMAKE_CXX_FLAGS", "CMAKE_EXE_LINKER_FLAGS")


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    from ..resources import grammar_text
    return Lark(grammar_text("cmake.lark"), parser="lalr", propagate_positions=True)


@dataclass
class Cmd:
    name: str
    args: list            # lark argument/paren nodes
    start: int
    end: int


def parse(text: str) -> list[Cmd]:
    tree = _parser().parse(text)
    out = []
    for c in tree.children:
        if getattr(c, "data", None) == "command":
            out.append(Cmd(str(c.children[0]).lower(), c.children[1].children, c.meta.start_pos, c.meta.end_pos))
    return out


@dataclass
class Target:
    name: str
    span: Span
    flags: list[Tok] = field(default_factory=list)
    string_flags: list[Tok] = field(default_factory=list)
    archive: bool = False     # a static (or object/interface) library: archived, never linked


# add_library types that emcc links; Emscripten's platform file has no shared libraries
# (TARGET_SUPPORTS_SHARED_LIBS is false), so a library of no type is a static archive.
LINKED_LIBRARY_TYPES = ("SHARED", "MODULE")


class CMakeEval:
    def __init__(self, text: str, path: str):
        self.text, self.index = text, LineIndex(text, path)
        self.cmds = parse(text)

    def switches(self) -> list[str]:
        seen: list[str] = []
        for c in self.cmds:
            if c.name in ("if", "elseif"):
                label = f"{c.name}({self.text[c.start:c.end].split('(', 1)[1].rsplit(')', 1)[0].strip()})"
                if label not in seen:
                    seen.append(label)
        for c in self.cmds:
            for config in _configs(self.text[c.start:c.end]):
                if f"CONFIG {config}" not in seen:
                    seen.append(f"CONFIG {config}")
        return seen[:MAX_VARIANTS - 1]

    def run(self, on: str | None) -> tuple[dict[str, PStr], dict[str, Target], list[Tok]]:
        self.vars: dict[str, PStr] = {}
        self.targets: dict[str, Target] = {}
        self.global_opts: list[Tok] = []
        self.on = on
        self._block(self.cmds, 0, len(self.cmds))
        return self.vars, self.targets, self.global_opts

    def _args(self, cmd: Cmd, quoted_lists: bool = False) -> list[PStr]:
        return [genex_filter(a, self.on) for a in args_of(cmd.args, self.text, self.vars)]

    def _block(self, cmds: list[Cmd], i: int, end: int) -> None:
        while i < end:
            c = cmds[i]
            if c.name == "if":
                i = self._if(cmds, i, end)
                continue
            if c.name in ("foreach", "function", "macro", "while"):
                close = _matching(cmds, i, end, c.name, "end" + c.name)
                if c.name == "foreach":
                    args = self._args(c)
                    for item in _foreach_items(args, self.vars):
                        self.vars[args[0].text] = item
                        self._block(cmds, i + 1, close)
                else:
                    self._block(cmds, i + 1, close)
                i = close + 1
                continue
            self._command(c)
            i += 1

    def _if(self, cmds: list[Cmd], i: int, end: int) -> int:
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
            label = f"{c.name}({self.text[c.start:c.end].split('(', 1)[1].rsplit(')', 1)[0].strip()})"
            if c.name == "else" or label == self.on or _constant_true(self.text[c.start:c.end]):
                chosen = (b_start, b_end)
                break
        if chosen is not None:
            self._block(cmds, chosen[0] + 1, chosen[1])
        return close + 1

    def _command(self, c: Cmd) -> None:
        name = c.name
        if name in ("set", "option", "list", "string", "separate_arguments"):
            self._variable(c)
        elif name in ("add_executable", "add_library"):
            args = self._args(c)
            if args and args[0].known:
                target = self._target(args[0].text, c)
                target.archive = name == "add_library" and not any(
                    a.text in LINKED_LIBRARY_TYPES for a in args[1:3])
        elif name == "target_link_options":
            args = self._args(c)
            if not args:
                return
            target = self._target(args[0].text if args[0].known else "(unknown target)", c)
            items = [a for a in args[1:] if a.text not in ("PRIVATE", "PUBLIC", "INTERFACE", "BEFORE")]
            target.flags += self._items(items)
        elif name == "add_link_options":
            self.global_opts += self._items(self._args(c))
        elif name == "set_target_properties":
            args = self._args(c)
            if "PROPERTIES" not in [a.text for a in args]:
                return
            k = [a.text for a in args].index("PROPERTIES")
            pairs = args[k + 1:]
            for t in args[:k]:
                for key, value in zip(pairs[::2], pairs[1::2]):
                    if key.text == "LINK_FLAGS":
                        self._target(t.text, c).string_flags = self._split(value)
                    elif key.text == "LINK_OPTIONS":
                        self._target(t.text, c).flags = self._items(_list(value))
        elif name == "set_property":
            self._set_property(c)

    def _set_property(self, c: Cmd) -> None:
        args = self._args(c)
        words = [a.text for a in args]
        if not words or words[0] != "TARGET" or "PROPERTY" not in words:
            return
        k = words.index("PROPERTY")
        prop, values = (words[k + 1] if k + 1 < len(words) else ""), args[k + 2:]
        for t in [a.text for a in args[1:k] if a.text not in ("APPEND", "APPEND_STRING")]:
            target = self._target(t, c)
            if prop == "LINK_FLAGS":
                toks = [tok for v in values for tok in self._split(v)]
                target.string_flags = (target.string_flags if "APPEND" in words or "APPEND_STRING" in words
                                       else []) + toks
            elif prop == "LINK_OPTIONS":
                toks = self._items(values)
                target.flags = (target.flags if "APPEND" in words else []) + toks

    def _variable(self, c: Cmd) -> None:
        args = self._args(c)
        if not args:
            return
        name = c.name
        if name == "set":
            values = [a for a in args[1:]]
            if "CACHE" in [v.text for v in values]:
                values = values[:[v.text for v in values].index("CACHE")]
            values = [v for v in values if v.text != "PARENT_SCOPE"]
            self.vars[args[0].text] = _join(values, ";")
        elif name == "option" and len(args) >= 3:
            self.vars.setdefault(args[0].text, args[2])
        elif name in ("list", "string") and len(args) >= 2 and args[0].text == "APPEND":
            old = self.vars.get(args[1].text)
            sep = ";" if name == "list" else ""
            parts = ([old] if old is not None and old.text else []) + list(args[2:])
            self.vars[args[1].text] = _join(parts, sep)

    def _target(self, name: str, c: Cmd) -> Target:
        if name not in self.targets:
            self.targets[name] = Target(name, self.index.span(c.start, c.end))
        return self.targets[name]

    def _items(self, items: list[PStr]) -> list[Tok]:
        out: list[Tok] = []
        for item in items:
            for el in _list(item):
                if el.text.startswith("SHELL:"):
                    out += [Tok(w, self.index) for w in shell_split(el[6:])]
                elif el.text.startswith("LINKER:"):
                    out += [Tok(PStr.synth("-Wl,") + w, self.index) for w in _list(el[7:], ",")]
                elif el.text:
                    out.append(Tok(el, self.index))
        return out

    def _split(self, value: PStr) -> list[Tok]:
        return [Tok(w, self.index) for w in shell_split(value)]


def _join(parts: list[PStr], sep: str) -> PStr:
    out: list[PStr] = []
    for k, p in enumerate(parts):
        if k and sep:
            out.append(PStr.synth(sep))
        out.append(p)
    return PStr.join(out) if out else PStr.synth("")


def _list(p: PStr, sep: str = ";") -> list[PStr]:
    out, start = [], 0
    for k, ch in enumerate(p.text):
        if ch == sep:
            out.append(p[start:k])
            start = k + 1
    out.append(p[start:])
    return [x for x in out if x.text]


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


def _foreach_items(args: list[PStr], vars: dict[str, PStr]) -> list[PStr]:
    if len(args) < 2:
        return []
    items: list[PStr] = []
    mode = "ITEMS"
    for a in args[1:]:
        if a.text in ("IN", "ITEMS", "LISTS", "RANGE", "ZIP_LISTS"):
            mode = a.text if a.text != "IN" else mode
            continue
        if mode == "LISTS":
            items += _list(vars.get(a.text, PStr.synth("")))
        elif mode == "RANGE":
            return [PStr.synth(UNKNOWN)]
        else:
            items.append(a)
    return items


def _configs(text: str) -> list[str]:
    out, k = [], 0
    while True:
        k = text.find("$<CONFIG:", k)
        if k < 0:
            return out
        end = text.find(">", k)
        for name in text[k + 9:end].split(","):
            if name and name not in out:
                out.append(name)
        k = end


def _constant_true(text: str) -> bool:
    inner = text.split("(", 1)[1].rsplit(")", 1)[0].strip().upper()
    return inner in ("1", "ON", "TRUE", "YES")


def cmake_facts(text: str, path: str, response=None) -> list[Fact]:
    from .makefile_facts import _merge
    ev = CMakeEval(text, path)
    per_variant = []
    for label in [None, *ev.switches()]:
        vars_, targets, global_opts = ev.run(label)
        facts: list[Fact] = []
        common = [Tok(w, ev.index) for n in FLAG_VARS for w in shell_split(vars_.get(n, PStr.synth("")))]
        for t in targets.values():
            argv = common + global_opts + t.flags + t.string_flags
            # an archive's link options reach the links of the executables that use it
            facts += build_facts(argv, t.span, variant=label, read_response=response, flag_set=t.archive)
            for f in facts:
                if f.kind == "emcc-invocation" and f.output is None and f.span == t.span:
                    f.output = t.name
        if not targets and (global_opts or any(w.value.startswith("-s") for w in common)):
            facts += build_facts(common + global_opts, Span(path), variant=label, read_response=response,
                                 flag_set=True)
        per_variant.append((label, facts))
    return _merge(per_variant)
