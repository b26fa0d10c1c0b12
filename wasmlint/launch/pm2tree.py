"""PM2 ecosystem files in their three forms (JavaScript object literals through
tree-sitter-javascript, JSON, YAML) as one small tree of positioned values."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .. import budget, jsonpos, yamlpos
from ..textpos import LineIndex, MappedText, TextBuilder, js_sq_escape, json_escape
from .args import BLOCK_LIST, FLOW_LIST, JSON_LIST


@dataclass
class PV:
    type: str                                  # obj | list | str | num | other
    start: int
    end: int
    text: MappedText | None = None
    pairs: list[tuple[str, int, "PV"]] = field(default_factory=list)   # key, key start, value
    items: list["PV"] = field(default_factory=list)
    style: str = JSON_LIST                     # lists: how to insert an element
    quote: str = '"'                           # strings: the quote character in the source

    def get(self, key: str) -> "PV | None":
        found = None
        for k, _, v in self.pairs:
            if k == key:
                found = v
        return found

    def key_start(self, key: str) -> int | None:
        found = None
        for k, s, _ in self.pairs:
            if k == key:
                found = s
        return found


def from_json(n: jsonpos.JNode) -> PV:
    if n.type == "object":
        return PV("obj", n.start, n.end, pairs=[(k.value, k.start, from_json(v)) for k, v in n.pairs])
    if n.type == "array":
        return PV("list", n.start, n.end, items=[from_json(i) for i in n.items])
    if n.type == "string":
        return PV("str", n.start, n.end, text=n.text)
    return PV("num" if n.type == "number" else "other", n.start, n.end, text=MappedText.verbatim(
        str(n.value), n.start))


def from_yaml(n: Any, idx: LineIndex) -> PV:
    s, e = n.start_mark.index, n.end_mark.index
    if yamlpos.is_map(n):
        return PV("obj", s, e, pairs=[(str(k.value), k.start_mark.index, from_yaml(v, idx))
                                      for k, v in yamlpos.pairs(n) if yamlpos.is_scalar(k)])
    if yamlpos.is_seq(n):
        return PV("list", s, e, items=[from_yaml(i, idx) for i in n.value],
                  style=FLOW_LIST if n.flow_style else BLOCK_LIST)
    text = yamlpos.scalar_text(n, idx.text)
    typ = "num" if n.tag.endswith((":int", ":float")) else "str"
    return PV(typ, s, e, text=text, quote=n.style or "")


@lru_cache(maxsize=1)
def _js_parser():
    import tree_sitter_javascript
    from tree_sitter import Language, Parser
    return Parser(Language(tree_sitter_javascript.language()))


_JS_ESC = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


class JsTree:
    """Object literals of a JavaScript file (ASCII offsets mapped to characters)."""

    def __init__(self, text: str):
        self.text = text
        self.subs: list[tuple[int, int]] = []    # ``${…}`` of template strings: values not known here
        self.data = text.encode("utf-8")
        self.tree = budget.parse(_js_parser(), self.data)
        self.ch = None if text.isascii() else _byte_to_char(text, self.data)

    def dynamic(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` holds a template substitution."""
        return any(s < end and start < e for s, e in self.subs)

    def c(self, b: int) -> int:
        return b if self.ch is None else self.ch[b]

    def first_error(self) -> int | None:
        if not self.tree.root_node.has_error:
            return None
        stack = [self.tree.root_node]
        while stack:
            n = stack.pop()
            if n.type == "ERROR" or n.is_missing:
                return self.c(n.start_byte)
            stack.extend(reversed(n.children))
        return 0

    def find_pairs(self, key: str) -> list[PV]:
        """Values of every ``key: …`` property in the file."""
        out, stack = [], [self.tree.root_node]
        while stack:
            n = stack.pop()
            if n.type == "pair" and self._key(n.child_by_field_name("key")) == key:
                out.append(self.value(n.child_by_field_name("value")))
            stack.extend(reversed(n.children))
        return out

    def _key(self, k) -> str | None:
        if k is None:
            return None
        if k.type in ("property_identifier", "identifier", "number"):
            return self.data[k.start_byte:k.end_byte].decode()
        if k.type == "string":
            t = self._string(k)
            return t.value if t else None
        return None

    def value(self, n, depth: int = 0) -> PV:
        s, e = self.c(n.start_byte), self.c(n.end_byte)
        if depth > 64:
            return PV("other", s, e)
        if n.type == "object":
            pairs = []
            for p in n.named_children:
                if p.type == "pair":
                    k = self._key(p.child_by_field_name("key"))
                    if k is not None:
                        pairs.append((k, self.c(p.start_byte), self.value(p.child_by_field_name("value"), depth + 1)))
            return PV("obj", s, e, pairs=pairs)
        if n.type == "array":
            return PV("list", s, e, items=[self.value(c, depth + 1) for c in n.named_children
                                           if c.type != "comment"])
        if n.type in ("string", "template_string"):
            t = self._string(n)
            if t is not None:
                return PV("str", s, e, text=t, quote=self.text[s])
        if n.type == "number":
            return PV("num", s, e, text=MappedText.verbatim(self.text[s:e], s))
        return PV("other", s, e)

    def _string(self, n) -> MappedText | None:
        b = TextBuilder()
        for c in n.named_children:
            cs, ce = self.c(c.start_byte), self.c(c.end_byte)
            if c.type == "string_fragment":
                b.add(self.text[cs:ce], cs)
            elif c.type == "escape_sequence":
                raw = self.text[cs:ce]
                ch = _JS_ESC.get(raw[1], raw[1]) if len(raw) == 2 else None
                if ch is None:
                    try:
                        ch = chr(int(raw[2:].strip("{}"), 16))
                    except ValueError:
                        return None
                b.add(ch, cs, ce)
            elif c.type == "template_substitution":
                # its value is not known here: kept as written, placed on the whole ``${…}``
                b.add(self.text[cs:ce], cs, ce)
                self.subs.append((cs, ce))
            else:
                return None
        s, e = self.c(n.start_byte) + 1, self.c(n.end_byte) - 1
        quote = self.text[s - 1]
        return b.build(s, e, json_escape if quote == '"' else js_sq_escape)


def _byte_to_char(text: str, data: bytes) -> list[int]:
    out = [0] * (len(data) + 1)
    pos = 0
    for i, ch in enumerate(text):
        n = len(ch.encode("utf-8"))
        for k in range(n):
            out[pos + k] = i
        pos += n
    out[pos] = len(text)
    return out
