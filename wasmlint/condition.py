"""Compile rule conditions and message templates (grammar: grammars/condition.lark).

An expression compiles once to a Python closure ``f(scope) -> value``. Names
are looked up in the scope (see ``evaluate.Names``); ``null`` propagates
through arithmetic and comparisons evaluate to false when a side is null, so
an unknown value never produces a finding.
"""
from __future__ import annotations

import math
import operator
import re
from functools import lru_cache
from typing import Any, Callable

from .textpos import matching_brace

Compiled = Callable[[Any], Any]


class ConditionError(ValueError):
    pass


def _fmt_bytes(n: Any) -> str:
    if n is None:
        return "unbounded"
    n = int(n)
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            v = n / size
            return f"{v:.0f} {unit}" if v == int(v) else f"{v:.1f} {unit}"
    return f"{n} B"


def _join(items: Any, sep: str = ", ") -> str:
    return sep.join(str(i) for i in (items or ()))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": lambda x: len(x) if x is not None else 0,
    "any": lambda x: any(x or ()),
    "all": lambda x: all(x or ()),
    "min": lambda *a: min(a[0]) if len(a) == 1 else min(a),
    "max": lambda *a: max(a[0]) if len(a) == 1 else max(a),
    "ceil": math.ceil,
    "floor": math.floor,
    "str": str,
    "int": int,
    "bytes": _fmt_bytes,
    "pages": lambda n: None if n is None else -(-int(n) // 65536),
    "join": _join,
    "plural": lambda n, word: word if n == 1 else word + "s",
    "quote": lambda s: f"`{s}`",
}

_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt,
            "<=": operator.le, ">": operator.gt, ">=": operator.ge}
MAX_REPEATED = 1 << 20     # the longest string or list a rule's `*` may make


def _repeat(a: Any, b: Any) -> Any:
    """``*``; a string or list repeated past MAX_REPEATED items is an error of the rule
    (a rule from the tree must not make the run allocate gigabytes: ``"x" * 10**9``)."""
    for seq, n in ((a, b), (b, a)):
        if isinstance(seq, (str, list)) and isinstance(n, int) and len(seq) * n > MAX_REPEATED:
            raise ConditionError(f"`*` would make {len(seq) * n:,} items (at most {MAX_REPEATED:,})")
    return operator.mul(a, b)


_ARITH = {"+": operator.add, "-": operator.sub, "*": _repeat,
          "/": operator.truediv, "//": operator.floordiv, "%": operator.mod}


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    from .resources import grammar_text
    from .usercache import user_cache_dir
    folder = user_cache_dir()
    # the grammar's tables are kept in the user's private cache between runs
    cache = str(folder / "condition-grammar.lark-cache") if folder else False
    return Lark(grammar_text("condition.lark"), parser="lalr", maybe_placeholders=False, cache=cache)


class _Tok(str):
    """A token's text (the parse tree without lark's classes, so it can be cached as JSON)."""


def _plain(tree) -> Any:
    """lark Tree/Token → nested ``[data, children]`` lists with ``_Tok`` leaves."""
    from lark import Token
    if tree is None:
        return None
    if isinstance(tree, Token):
        return _Tok(str(tree))
    return [str(tree.data), [_plain(c) for c in tree.children]]


def _to_json(tree) -> Any:
    if tree is None or isinstance(tree, _Tok):
        return tree if tree is None else {"t": str(tree)}
    return [tree[0], [_to_json(c) for c in tree[1]]]


def _from_json(obj) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return _Tok(obj["t"])
    return [obj[0], [_from_json(c) for c in obj[1]]]


class _AstCache:
    """Parsed expressions kept in the user's private cache: a warm run compiles
    every rule without importing lark."""

    def __init__(self) -> None:
        self.path = None
        self.trees: dict[str, Any] = {}
        self.dirty = False
        import hashlib
        import json

        from . import __version__
        from .resources import grammar_text
        from .usercache import user_cache_dir
        folder = user_cache_dir()
        if folder is None:
            return
        stamp = hashlib.sha256((__version__ + grammar_text("condition.lark")).encode()).hexdigest()[:16]
        self.path = folder / f"expressions-{stamp}.json"
        try:
            self.trees = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.trees = {}

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        import json

        from .usercache import prune, write_atomic
        write_atomic(self.path, json.dumps(self.trees).encode())
        prune(self.path.parent, ".json", 4, prefix="expressions-")
        self.dirty = False


@lru_cache(maxsize=1)
def _ast_cache() -> _AstCache:
    import atexit
    cache = _AstCache()
    atexit.register(cache.save)
    return cache


def _parse(source: str):
    cache = _ast_cache()
    hit = cache.trees.get(source)
    if isinstance(hit, list):
        try:
            return _from_json(hit)
        except (KeyError, IndexError, TypeError):
            pass
    from lark.exceptions import LarkError
    try:
        tree = _plain(_parser().parse(source))
    except LarkError as exc:
        raise ConditionError(f"cannot parse condition {source!r}: {exc}") from None
    cache.trees[source] = _to_json(tree)
    cache.dirty = True
    return tree


def _build(tree) -> Compiled:
    if isinstance(tree, _Tok) or not isinstance(tree, list):
        raise ConditionError(f"unexpected token {tree!r}")
    kind, ch = tree
    if kind == "number":
        text = str(ch[0])
        value = int(text, 16) if text.startswith("0x") else (float(text) if "." in text else int(text))
        return lambda s: value
    if kind == "string":
        value = _unquote(str(ch[0]))
        return lambda s: value
    if kind == "true":
        return lambda s: True
    if kind == "false":
        return lambda s: False
    if kind == "null":
        return lambda s: None
    if kind == "name":
        name = _public(str(ch[0]))
        return lambda s: s.lookup(name)
    if kind == "list_":
        items = [_build(c) for c in ch if c is not None]
        return lambda s: [f(s) for f in items]
    if kind == "getattr":
        base, attr = _build(ch[0]), _public(str(ch[1]))
        return lambda s: _get(base(s), attr)
    if kind == "getitem":
        base, idx = _build(ch[0]), _build(ch[1])
        return lambda s: _index(base(s), idx(s))
    if kind == "call":
        fname = str(ch[0])
        if fname not in FUNCTIONS:
            raise ConditionError(f"unknown function {fname}()")
        fn = FUNCTIONS[fname]
        args = [_build(c) for c in ch[1:] if c is not None]
        return lambda s: fn(*[a(s) for a in args])
    if kind == "neg":
        inner = _build(ch[0])
        return lambda s: None if (v := inner(s)) is None else -v
    if kind == "not_":
        inner = _build(ch[0])
        return lambda s: not inner(s)
    if kind == "and_":
        a, b = _build(ch[0]), _build(ch[1])
        return lambda s: a(s) and b(s)
    if kind == "or_":
        a, b = _build(ch[0]), _build(ch[1])
        return lambda s: a(s) or b(s)
    if kind == "ternary":
        a, c, b = _build(ch[0]), _build(ch[1]), _build(ch[2])
        return lambda s: a(s) if c(s) else b(s)
    if kind == "compare":
        a, op, b = _build(ch[0]), _COMPARE[str(ch[1])], _build(ch[2])
        if str(ch[1]) in ("==", "!="):
            return lambda s: op(a(s), b(s))
        return lambda s: _null_safe(op, a(s), b(s), False)
    if kind in ("in_", "not_in"):
        a, b = _build(ch[0]), _build(ch[1])
        neg = kind == "not_in"
        return lambda s: (a(s) in (b(s) or ())) != neg
    if kind == "binop":
        a, op, b = _build(ch[0]), _ARITH[str(ch[1])], _build(ch[2])
        return lambda s: _null_safe(op, a(s), b(s), None)
    raise ConditionError(f"unsupported expression {kind}")


def _public(name: str) -> str:
    """Rules come from project files (``extend-rules``): a leading ``_`` would
    reach Python internals (``__class__``, ``__globals__``, ...) and from there
    anything in the process, such as the environment."""
    if name.startswith("_"):
        raise ConditionError(f"`{name}`: names starting with `_` are not available to rules")
    return name


def _null_safe(op, a, b, default):
    if a is None or b is None:
        return default
    return op(a, b)


def _get(obj: Any, attr: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(attr, obj.get(attr.replace("_", "-")))
    return getattr(obj, attr, None)


def _index(obj: Any, idx: Any) -> Any:
    try:
        return obj[idx]
    except (IndexError, KeyError, TypeError):
        return None


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


@lru_cache(maxsize=None)
def compile_expr(source: str) -> Compiled:
    return _build(_parse(source))


_FORMAT_SPEC = re.compile(r"^[<>^=]?[+\- ]?#?0?\d{0,3}[,_]?(\.\d{1,2})?[bcdeEfFgGnosxX%]?$")


@lru_cache(maxsize=None)
def compile_template(template: str) -> Callable[[Any], str]:
    """``"memory {index} is {bytes(initial_bytes)}"`` → a function of a scope."""
    parts: list[Any] = []
    i = 0
    literal = []
    while i < len(template):
        c = template[i]
        if c in "{}" and template[i:i + 2] in ("{{", "}}"):
            literal.append(c)
            i += 2
            continue
        if c == "{":
            end = _closing_brace(template, i)
            body = template[i + 1:end]
            spec = ""
            if ":" in body:
                head, _, tail = body.rpartition(":")
                if _FORMAT_SPEC.match(tail) and head:
                    body, spec = head, tail
            parts.append("".join(literal))
            literal = []
            parts.append((compile_expr(body.strip()), spec))
            i = end + 1
            continue
        literal.append(c)
        i += 1
    parts.append("".join(literal))

    def render(scope: Any) -> str:
        out = []
        for p in parts:
            if isinstance(p, str):
                out.append(p)
            else:
                fn, spec = p
                v = fn(scope)
                out.append(format(v, spec) if spec else ("" if v is None else str(v)))
        return "".join(out)
    return render


def _closing_brace(text: str, start: int) -> int:
    end = matching_brace(text, start)
    if end is not None:
        return end
    raise ConditionError(f"unclosed '{{' in template {text!r}")
