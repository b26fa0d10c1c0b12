"""YAML with positions: PyYAML's composed nodes (safe: nothing is constructed,
no tags run) plus helpers that keep exact spans.

* ``documents(text)`` composes every document; errors become ``YamlPosError``
  with the offset of PyYAML's mark.
* ``get(node, key)`` looks a key up in a mapping, following ``<<`` merge keys.
* ``scalar_text(node, text)`` maps a scalar's value back to the file, character
  by character (plain, quoted, literal and folded styles); when it cannot be
  mapped exactly it is opaque (spans cover the scalar, no edits inside it).
* ``plain(node)`` converts a subtree to Python values with a bound on visited
  nodes, so alias bombs ("billion laughs") stop early instead of expanding.
"""
from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from .textpos import MappedText, TextBuilder, no_escape, yaml_dq_escape, yaml_sq_escape

MAX_NODES = 100_000


class YamlPosError(ValueError):
    def __init__(self, message: str, offset: int, limit: bool = False):
        super().__init__(message)
        self.message, self.offset = message, offset
        self.limit = limit      # over one of wasmlint's bounds (nesting, node count), not a syntax error


def documents(text: str) -> list[Any]:
    """Composed with libyaml when PyYAML has it (ten times faster; the same nodes and
    offsets); a text libyaml rejects is composed again in Python for its exact error."""
    import yaml
    if hasattr(yaml, "CSafeLoader"):
        try:
            return [d for d in yaml.compose_all(text, Loader=yaml.CSafeLoader) if d is not None]
        except yaml.MarkedYAMLError as exc:
            if exc.problem == "exceeded maximum nesting depth":
                # libyaml stops at 1,000 levels; PyYAML's loader would reach Python's recursion
                # limit first, after scanning the nesting in quadratic time (its simple keys)
                raise YamlPosError("invalid YAML: nested too deeply", 0, limit=True) from None
        except (yaml.YAMLError, RecursionError):
            pass
    try:
        docs = [d for d in yaml.compose_all(text, Loader=yaml.SafeLoader) if d is not None]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = f"invalid YAML: {exc.problem or exc.context}"
        raise YamlPosError(msg, mark.index if mark else 0) from None
    except yaml.YAMLError as exc:
        raise YamlPosError(f"invalid YAML: {exc}", 0) from None
    except RecursionError:
        raise YamlPosError("invalid YAML: nested too deeply", 0, limit=True) from None
    return docs


def is_map(node: Any) -> bool:
    return getattr(node, "id", None) == "mapping"


def is_seq(node: Any) -> bool:
    return getattr(node, "id", None) == "sequence"


def is_scalar(node: Any) -> bool:
    return getattr(node, "id", None) == "scalar"


_PAIRS: WeakKeyDictionary = WeakKeyDictionary()   # mapping node → pairs(node), kept: a source asks each key
_KEYS: WeakKeyDictionary = WeakKeyDictionary()    # mapping node → {key: (key node, value node)}, the last of each


def pairs(node: Any, _depth: int = 0) -> list[tuple[Any, Any]]:
    """Key/value node pairs of a mapping, merge keys (``<<: *base``) resolved
    (explicit keys win over merged ones)."""
    if not is_map(node) or _depth > 16:
        return []
    if _depth == 0:
        found = _PAIRS.get(node)
        if found is None:
            found = _PAIRS[node] = _pairs(node, 0)
        return found
    return _pairs(node, _depth)


def _pairs(node: Any, _depth: int) -> list[tuple[Any, Any]]:
    own, merged = [], []
    for k, v in node.value:
        if is_scalar(k) and k.value == "<<" and k.tag.endswith(":merge"):
            for m in (v.value if is_seq(v) else [v]):
                merged.extend(pairs(m, _depth + 1))
        else:
            own.append((k, v))
    keys = {k.value for k, _ in own if is_scalar(k)}
    return [p for p in merged if p[0].value not in keys] + own


def get(node: Any, key: str) -> Any:
    return _keys(node).get(key, (None, None))[1]


def key_node(node: Any, key: str) -> Any:
    return _keys(node).get(key, (None, None))[0]


def _keys(node: Any) -> dict:
    if not is_map(node):
        return {}
    found = _KEYS.get(node)
    if found is None:
        found = _KEYS[node] = {k.value: (k, v) for k, v in pairs(node) if is_scalar(k)}
    return found


def str_of(node: Any) -> str | None:
    """The string of a scalar that is not null, else None."""
    if not is_scalar(node) or node.tag.endswith(":null"):
        return None
    return node.value


def items(node: Any) -> list[Any]:
    return list(node.value) if is_seq(node) else []


class _Budget:
    def __init__(self, limit: int):
        self.left = limit
        self.seen: set[int] = set()     # collections met so far: one met again came through an alias
        self.aliased = False


def plain(node: Any, budget: _Budget | None = None) -> Any:
    """The Python value of a subtree (scalars stay strings, except null → None)."""
    budget = budget or _Budget(MAX_NODES)
    budget.left -= 1
    if budget.left < 0:
        raise YamlPosError("YAML aliases expand to too many nodes" if budget.aliased else
                           f"YAML document has more than {MAX_NODES:,} nodes; not analysed: over budget",
                           node.start_mark.index, limit=True)
    if is_map(node) or is_seq(node):
        budget.aliased = budget.aliased or id(node) in budget.seen
        budget.seen.add(id(node))
    if is_map(node):
        return {str(k.value): plain(v, budget) for k, v in pairs(node) if is_scalar(k)}
    if is_seq(node):
        return [plain(v, budget) for v in node.value]
    return None if node.tag.endswith(":null") else node.value


def check_size(doc: Any) -> None:
    """Raise YamlPosError when a document expands (through aliases) past the bound."""
    plain(doc)


# ---------------------------------------------------------------- scalars

def scalar_text(node: Any, text: str) -> MappedText:
    start, end = node.start_mark.index, node.end_mark.index
    value = node.value
    style = node.style or None    # plain: None from PyYAML, "" from libyaml
    built = None
    if style is None:
        built = _plain(text, start, end, value)
    elif style == "'":
        built = _quoted(text, start, end, value, single=True)
    elif style == '"':
        built = _quoted(text, start, end, value, single=False)
    elif style in ("|", ">"):
        built = _block(text, start, end, value, folded=style == ">")
    if built is None or built.value != value:
        return MappedText.opaque(value, start, end)
    return built


def _plain(text: str, start: int, end: int, value: str) -> MappedText | None:
    if text[start:end] == value:
        return MappedText.verbatim(value, start, no_escape)
    return _folded_lines(text, start, end, value, no_escape)


def _folded_lines(text: str, start: int, end: int, value: str, escape) -> MappedText | None:
    """A multi-line flow scalar: lines stripped and joined with single spaces."""
    b = TextBuilder()
    i = start
    first = True
    for line in text[start:end].split("\n"):
        stripped = line.strip(" \t")
        lead = len(line) - len(line.lstrip(" \t"))
        if not stripped:
            return None
        if not first:
            b.add(" ", i - 1, i + lead)
        b.add(stripped, i + lead)
        i += len(line) + 1
        first = False
    return b.build(start, end, escape)


def _quoted(text: str, start: int, end: int, value: str, single: bool) -> MappedText | None:
    body_start, body_end = start + 1, end - 1
    if "\n" in text[body_start:body_end]:
        return None
    b = TextBuilder()
    i = body_start
    while i < body_end:
        c = text[i]
        if single and c == "'" and text[i + 1:i + 2] == "'":
            b.add("'", i, i + 2)
            i += 2
        elif not single and c == "\\":
            n = _dq_escape_len(text, i)
            if n is None:
                return None
            b.add(_decode_dq(text[i:i + n]), i, i + n)
            i += n
        else:
            b.add(c, i)
            i += 1
    return b.build(body_start, body_end, yaml_sq_escape if single else yaml_dq_escape)


_DQ_SIMPLE = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
              "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
              "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_DQ_HEX = {"x": 2, "u": 4, "U": 8}


def _dq_escape_len(text: str, i: int) -> int | None:
    e = text[i + 1:i + 2]
    if e in _DQ_SIMPLE:
        return 2
    if e in _DQ_HEX:
        return 2 + _DQ_HEX[e]
    return None


def _decode_dq(esc: str) -> str:
    e = esc[1]
    if e in _DQ_SIMPLE:
        return _DQ_SIMPLE[e]
    return chr(int(esc[2:], 16))


def _block(text: str, start: int, end: int, value: str, folded: bool) -> MappedText | None:
    nl = text.find("\n", start)
    if nl < 0 or nl >= end:
        return MappedText.verbatim("", end)
    lines = text[nl + 1:end].split("\n")
    indent = None
    for line in lines:
        if line.strip():
            indent = len(line) - len(line.lstrip(" "))
            break
    if indent is None:
        return None
    b = TextBuilder()
    pos = nl + 1
    prev_blank = True
    for idx, line in enumerate(lines):
        content = line[indent:] if len(line) >= indent else ""
        blank = not line.strip()
        if idx > 0:
            brk = pos - 1  # the newline ending the previous line
            if folded and not blank and not prev_blank and not content.startswith((" ", "\t")):
                b.add(" ", brk, brk + 1)
            else:
                b.add("\n", brk)
        if not blank:
            b.add(content, pos + indent)
        prev_blank = blank or content.startswith((" ", "\t"))
        pos += len(line) + 1
    full = b.build(nl + 1, end, no_escape)
    if full.value.startswith(value):
        return full.slice(0, len(value)) if value else MappedText.verbatim("", nl + 1)
    if value.startswith(full.value) and value[len(full.value):].strip("\n") == "":
        extra = len(value) - len(full.value)
        full.value += "\n" * extra
        full.starts += [end] * extra
        full.ends += [end] * extra
        return full
    return None
