"""Meson → emcc link facts: ``meson.build`` files and machine (cross) files.

Both are read with ``grammars/meson.lark`` (LALR; newlines end statements except
inside brackets, which the post-lexer here drops). Evaluated in order: assignments
and ``+=``, ``foreach`` over known arrays and dicts, ``'…'.format()`` and f-strings,
``+`` on arrays and strings. The link command of ``executable``,
``shared_library``, ``shared_module``, ``library`` and ``both_libraries`` is
``add_global_link_arguments`` + ``add_project_link_arguments`` + its
``link_args:``. An ``if``/``elif`` whose condition is not known statically (an
option, a compiler check) is a variant, as in CMake: the base build takes every
such branch as false, and each variant takes one condition as true.

A cross file's ``[constants]`` are evaluated first; its ``c_link_args`` /
``cpp_link_args`` (in ``[built-in options]`` or ``[properties]``) are the link
flags of every target built with it. Not read: ``exe_wrapper`` (the node that runs
cross-built tests), ``dependency()`` link flags and ``subdir()`` variables.
"""
from __future__ import annotations

import posixpath
from functools import lru_cache

from lark import Token, Tree
from lark.exceptions import LarkError

from ..budget import ExpansionBudget
from ..lalr_units import skip_unit_steps
from ..facts import Fact, Span
from . import meson_values as mv
from .emcc import build_facts
from .pstr import UNKNOWN, LineIndex, PStr, Tok

MAX_VARIANTS = 8
TARGETS = frozenset(("executable", "shared_library", "shared_module", "library", "both_libraries"))
LINK_ARG_KEYS = ("c_link_args", "cpp_link_args")
_OPEN, _CLOSE = ("LPAR", "LSQB", "LBRACE"), ("RPAR", "RSQB", "RBRACE")
# Meson's recursive-descent parser (mparser.py) ends in a RecursionError between 80 and 90
# nested brackets (meson 1.12); deeper text is not a build file Meson reads.
MAX_NESTING = 100


class TooDeep(LarkError):
    """Brackets nested deeper than Meson itself can parse."""


class _Brackets:
    """Newlines inside (), [] and {} are not statement ends; nesting past
    ``MAX_NESTING`` ends the parse at once (it would only build a tree too deep to read).
    ``seen``: the tokens the parser got, in order (for ``_Extents``)."""
    always_accept = ("NEWLINE",)

    def __init__(self):
        self.seen: list[Token] = []

    def process(self, stream):
        depth = 0
        seen = self.seen = []
        for tok in stream:
            if tok.type in _OPEN:
                depth += 1
                if depth > MAX_NESTING:
                    raise TooDeep(f"brackets nested deeper than {MAX_NESTING} at line {tok.line}")
            elif tok.type in _CLOSE:
                depth = max(0, depth - 1)
            elif tok.type == "NEWLINE" and depth:
                continue
            seen.append(tok)
            yield tok


@lru_cache(maxsize=2)
def _parser(start: str):
    from lark import Lark

    from ..resources import grammar_text
    from ..usercache import user_cache_dir
    folder = user_cache_dir()
    # the grammar's tables (0.15 s to build) are kept in the user's private cache between runs
    cache = str(folder / f"meson-{start}.lark-cache") if folder else False
    # no propagate_positions: it doubled the parse, for the few nodes whose extent is read
    # its precedence ladder's one-child steps are skipped (``lalr_units``): 3 reductions of 4
    return skip_unit_steps(Lark(grammar_text("meson.lark"), parser="lalr", start=start, postlex=_Brackets(),
                                maybe_placeholders=False, cache=cache))


def parse(text: str, start: str = "start") -> Tree:
    """Raises ``lark.exceptions.LarkError`` on text the grammar does not accept."""
    return _parse(text, start)[0]


def _parse(text: str, start: str) -> tuple[Tree, list[Token]]:
    """The tree and the tokens the parser read."""
    parser = _parser(start)
    tree = parser.parse(text if text.endswith("\n") else text + "\n")
    return tree, parser.options.postlex.seen


class _Extents:
    """Where a node's text starts and ends, as lark's ``propagate_positions`` gives it: from
    the first to the last token its rule read. The tree keeps the tokens that begin or end a
    call, an index, an array or a dict (the grammar names them); what it drops in between
    does not matter, and a child written in parentheses ``(a) or b`` (the parentheses read by
    the rule that holds it) is found from the token stream: a matched pair right around it."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.at = {t.start_pos: k for k, t in enumerate(tokens)}
        self.pairs: dict[int, int] = {}
        stack: list[int] = []
        for k, t in enumerate(tokens):
            if t.type in _OPEN:
                stack.append(k)
            elif t.type in _CLOSE and stack:
                self.pairs[stack.pop()] = k
        self.own: dict[int, tuple[int, int]] = {}

    def span(self, node) -> tuple[int, int]:
        """(start, end) character offsets of ``node``."""
        first, last = self._own(node)
        return self.tokens[first].start_pos, self.tokens[last].end_pos

    def _own(self, node) -> tuple[int, int]:
        if isinstance(node, Token):
            k = self.at[node.start_pos]
            return k, k
        todo = [(node, False)]          # iterative: a long `a + b + …` chain is deep
        while todo:
            n, ready = todo.pop()
            if id(n) in self.own:
                continue
            ends = (n.children[0], n.children[-1])
            if not ready:
                todo.append((n, True))
                todo += [(c, False) for c in ends if isinstance(c, Tree) and id(c) not in self.own]
                continue
            first = self._outer(ends[0])[0]
            last = self._outer(ends[1])[1]
            self.own[id(n)] = (first, last)
        return self.own[id(node)]

    def _outer(self, child) -> tuple[int, int]:
        if isinstance(child, Token):
            k = self.at[child.start_pos]
            return k, k
        s, e = self.own[id(child)]
        while s > 0 and self.tokens[s - 1].type == "LPAR" and self.pairs.get(s - 1) == e + 1:
            s, e = s - 1, e + 1
        return s, e


class MesonEval:
    def __init__(self, text: str, path: str, start: str = "start", options: dict | None = None):
        """``start``: ``"start"`` for a meson.build, ``"ini"`` for a machine file;
        ``options``: the project's options and their defaults (``get_option``)."""
        self.text, self.index = text, LineIndex(text, path)
        self.tree, tokens = _parse(text, start)
        self.extents = _Extents(tokens)
        self.options = options or {}
        self._reset(None)

    def _reset(self, on: str | None) -> None:
        self.on = on
        # `v2 = v1 + [x]` keeps every array it builds: a chain of them holds the square of its
        # length; past the file's expansion budget a sum is not known
        self.expansion = ExpansionBudget(len(self.text))
        self.vars: dict[str, object] = {}
        self.global_args: list[Tok] = []
        self.links: list[tuple[str | None, Span, list[Tok]]] = []

    def switches(self) -> list[str]:
        seen: list[str] = []
        for node in self.tree.iter_subtrees_topdown():
            if node.data in ("if_block", "elif_part"):
                cond = node.children[1]
                label = self._label(node, cond)
                if label not in seen:
                    seen.append(label)
        return seen[:MAX_VARIANTS - 1]

    def _label(self, node, cond) -> str:
        word = "if" if node.data == "if_block" else "elif"
        start, end = self.extents.span(cond)
        return f"{word} {' '.join(self.text[start:end].split())}" \
            if isinstance(cond, Tree) else f"{word} {cond}"

    def run(self, on: str | None) -> list[tuple[str | None, Span, list[Tok]]]:
        """(target name, span, link argv) of each link, with ``on`` taken as true."""
        self._reset(on)
        self._body(self.tree.children)
        return self.links

    # ------------------------------------------------------------ statements
    def _body(self, stmts) -> None:
        for s in stmts:
            if isinstance(s, Token):
                continue
            if s.data == "assignment":
                self.vars[str(s.children[0])] = self.value(s.children[1])
            elif s.data == "augassign":
                name = str(s.children[0])
                self.vars[name] = self._add(self.vars.get(name), self.value(s.children[1]))
            elif s.data == "if_block":
                self._if(s)
            elif s.data == "foreach_block":
                self._foreach(s)
            elif s.data == "body":
                self._body(s.children)
            else:
                self.value(s)

    def _if(self, node: Tree) -> None:
        parts = [c for c in node.children if isinstance(c, Tree)]
        branches = [(node, parts[0], parts[1])]
        for p in parts[2:]:
            if p.data == "elif_part":
                sub = [c for c in p.children if isinstance(c, Tree)]
                branches.append((p, sub[0], sub[1]))
            elif p.data == "else_part":
                branches.append((p, None, [c for c in p.children if isinstance(c, Tree)][0]))
        for owner, cond, body in branches:
            if cond is None:
                self._body(body.children)
                return
            known = mv.truth(self.value(cond))
            # an option's default decides the base build; the user may set it: still a variant
            settable = known is None or "get_option(" in self.text[slice(*self.extents.span(cond))]
            if known is True or (settable and self._label(owner, cond) == self.on):
                self._body(body.children)
                return

    def _foreach(self, node: Tree) -> None:
        names = [str(c) for c in node.children if isinstance(c, Token) and c.type == "NAME"]
        trees = [c for c in node.children if isinstance(c, Tree)]
        items, body = self.value(trees[0]), trees[1]
        if isinstance(items, dict):
            pairs = [(PStr.synth(k), v) for k, v in items.items()]   # keys are strings to Meson
        elif isinstance(items, list):
            pairs = [(x, None) for x in items]
        else:
            pairs = [(None, None)]        # unknown: the body once, with unknown values
        for key, value in pairs[:256]:
            self.vars[names[0]] = key
            if len(names) > 1:
                self.vars[names[1]] = value
            self._body(body.children)

    # ------------------------------------------------------------ expressions
    def value(self, node):
        if isinstance(node, Token):
            return self._token(node)
        d = node.data
        if d == "string":
            return mv.string(node.children[0])
        if d == "mstring":
            return mv.mstring(node.children[0])
        if d == "fstring":
            return mv.fstring(node.children[0], self.vars.get)
        if d == "number":
            t = str(node.children[0])
            return int(t, 0) if t[:2].lower() in ("0x", "0o", "0b") else int(t, 10)   # 007 is 7
        if d in ("true", "false"):
            return d == "true"
        if d == "name":
            return self.vars.get(str(node.children[0]))
        if d == "array":
            return [self.value(c) for c in node.children if not isinstance(c, Token)]
        if d == "dict":
            out = {}
            for pair in node.children:
                if isinstance(pair, Tree):
                    k = self.value(pair.children[0])
                    if isinstance(k, PStr) and k.known:
                        out[k.text] = self.value(pair.children[1])
            return out
        if d == "binop":
            return self._binop(node)
        if d == "not_":
            t = mv.truth(self.value(node.children[-1]))
            return None if t is None else not t
        if d == "ternary":
            c, a, b = node.children
            t = mv.truth(self.value(c))
            return self.value(a) if t is True else self.value(b)
        if d == "method":
            return self._method(node)
        if d == "call":
            return self._call(node)
        if d == "index":
            return self._index(node)
        return None

    def _token(self, tok: Token):
        if tok.type == "NAME":
            return self.vars.get(str(tok))
        if tok.type == "STRING":
            return mv.string(tok)
        return None

    def _binop(self, node: Tree):
        a, op, b = node.children[0], node.children[1:-1], node.children[-1]
        ops = " ".join(str(o) for o in op)
        if ops in ("and", "or"):
            x, y = mv.truth(self.value(a)), mv.truth(self.value(b))
            if ops == "and":
                return False if False in (x, y) else (True if x and y else None)
            return True if True in (x, y) else (False if x is False and y is False else None)
        x, y = self.value(a), self.value(b)
        if ops == "+":
            return self._add(x, y)
        if ops == "/" and isinstance(x, PStr) and isinstance(y, PStr):
            return x + PStr.synth("/") + y
        if ops in ("==", "!=", "<", ">", "<=", ">=", "in", "not in"):
            return mv.compare(ops, x, y)
        return None

    def _add(self, a, b):
        out = mv.add(a, b)
        if isinstance(out, (list, PStr)) and not self.expansion.spend(len(out)):
            return None
        return out

    def _index(self, node: Tree):
        seq, key = self.value(node.children[0]), self.value(node.children[1])
        if isinstance(seq, list) and isinstance(key, int) and -len(seq) <= key < len(seq):
            return seq[key]
        if isinstance(seq, dict) and isinstance(key, PStr) and key.known:
            return seq.get(key.text)
        return None

    def _args(self, node: Tree) -> tuple[list, dict]:
        pos, kw = [], {}
        for a in node.children:
            if isinstance(a, Tree) and a.data == "kwarg":
                kw[str(a.children[0])] = a.children[1]
            elif a is not None and not isinstance(a, Token):
                pos.append(a)
        return pos, kw

    def _method(self, node: Tree):
        obj, name = node.children[0], str(node.children[1])
        args = node.children[2] if len(node.children) > 2 else Tree("args", [])
        pos, _kw = self._args(args)
        target = self.value(obj)
        if name == "format" and isinstance(target, PStr):
            return mv.format_string(target, [self.value(p) for p in pos])
        if name in ("strip", "to_lower", "to_upper") and isinstance(target, PStr) and target.known:
            return PStr.spread(getattr(target.text, {"to_lower": "lower", "to_upper": "upper"}.get(name, name))(),
                               *(target.source_range() or (-1, -1)))
        if name == "split" and isinstance(target, PStr) and target.known:
            sep = self.value(pos[0]) if pos else None
            return [PStr.synth(part) for part in target.text.split(sep.text if isinstance(sep, PStr) else None)]
        if name == "join" and isinstance(target, PStr) and pos:
            items = mv.flatten([self.value(p) for p in pos])
            if all(isinstance(x, PStr) for x in items):
                return PStr.join([y for k, x in enumerate(items) for y in ((target, x) if k else (x,))]) \
                    if items else PStr.synth("")
            return None
        if name == "contains" and isinstance(target, list) and pos:
            return mv.compare("in", self.value(pos[0]), target)
        if name == "get" and isinstance(target, dict) and pos:
            key = self.value(pos[0])
            return target.get(key.text) if isinstance(key, PStr) else None
        return None

    def _call(self, node: Tree):
        name = str(node.children[0])
        args = node.children[1] if len(node.children) > 1 else Tree("args", [])
        pos, kw = self._args(args)
        if name in ("add_global_link_arguments", "add_project_link_arguments"):
            self.global_args += self._toks(mv.flatten([self.value(p) for p in pos]))
            return None
        if name in TARGETS:
            out = self.value(pos[0]) if pos else None
            flags = self._toks(mv.flatten(self.value(kw["link_args"]))) if "link_args" in kw else []
            span = self.index.span(*self.extents.span(node))
            self.links.append((out.text if isinstance(out, PStr) and out.known else None, span,
                               self.global_args + flags))
            return None
        if name == "get_option" and pos:
            key = self.value(pos[0])
            return self.options.get(key.text) if isinstance(key, PStr) and key.known else None
        if name == "join_paths":
            parts = [self.value(p) for p in pos]
            if all(isinstance(p, PStr) for p in parts) and parts:
                return PStr.join([x for i, p in enumerate(parts) for x in ([PStr.synth("/")] if i else []) + [p]])
        return None

    def _toks(self, values: list) -> list[Tok]:
        """Arguments as tokens; a value not known statically is an unknown argument."""
        return [Tok(v if isinstance(v, PStr) else PStr.synth(UNKNOWN), self.index) for v in values]


OPTION_FILES = ("meson.options", "meson_options.txt")


def option_defaults(text: str, path: str) -> dict:
    """``option(name, type: …, value: …)`` of a Meson options file → {name: default}
    (Meson's defaults when no value is given: true, '', the choices, the first choice)."""
    ev = MesonEval(text, path)
    out: dict = {}
    for node in ev.tree.iter_subtrees_topdown():
        if node.data != "call" or str(node.children[0]) != "option" or len(node.children) < 2:
            continue
        pos, kw = ev._args(node.children[1])
        name = ev.value(pos[0]) if pos else None
        if not isinstance(name, PStr) or not name.known:
            continue
        kind = ev.value(kw["type"]) if "type" in kw else None
        kind = kind.text if isinstance(kind, PStr) else None
        if "value" in kw:
            out[name.text] = ev.value(kw["value"])
        elif kind == "boolean":
            out[name.text] = True
        elif kind == "string":
            out[name.text] = PStr.synth("")
        elif kind in ("array", "combo") and "choices" in kw:
            choices = ev.value(kw["choices"])
            out[name.text] = choices if kind == "array" else (choices[0] if choices else None)
    return out


def project_options(project) -> dict:
    """The defaults of the options file of the Meson project a file belongs to (the nearest
    folder at or above it that has one)."""
    if project is None or project.root is None:
        return {}
    from .project_files import folders_up
    for d in folders_up(project.rel_dir):
        for name in OPTION_FILES:
            rel = posixpath.normpath(posixpath.join(d, name))
            text = project.read(rel) if project.is_file(rel) else None
            if text is not None:
                try:
                    return option_defaults(text, project.shown(rel))
                except (LarkError, RecursionError):
                    return {}
    return {}


def meson_facts(text: str, path: str, project=None) -> list[Fact]:
    from .makefile_facts import _merge
    ev = MesonEval(text, path, options=project_options(project))
    per_variant = []
    for label in [None, *ev.switches()]:
        facts: list[Fact] = []
        for name, span, argv in ev.run(label):
            got = build_facts(argv, span, variant=label, complete=False)     # the buildtype adds the -O
            for f in got:
                if f.kind == "emcc-invocation" and f.output is None:
                    f.output = name
            facts += got
        per_variant.append((label, facts))
    return _merge(per_variant)


def cross_file_facts(text: str, path: str) -> list[Fact]:
    """A machine file's link arguments as one emcc link (of every target it builds)."""
    ev = MesonEval(text, path, "ini")
    section, argv, first = "", [], None
    for node in ev.tree.children:
        if isinstance(node, Token):
            continue
        if node.data == "section":
            section = str(node.children[0])[1:-1].strip()
            continue
        key, value = str(node.children[0]), ev.value(node.children[1])
        ev.vars[key] = value        # constants, and keys later entries in the file refer to
        if key in LINK_ARG_KEYS and section in ("built-in options", "properties"):
            toks = ev._toks(mv.flatten(value))
            if [t.value for t in toks] != [a.value for a in argv]:   # cpp_link_args = c_link_args
                argv += toks
            first = first or ev.index.span(*ev.extents.span(node))
    if not argv:
        return []
    return build_facts(argv, first or Span(path), flag_set=True)
