"""JSON with positions: every value keeps its source range, and strings keep a
per-character map to the file (``MappedText``) so that a script inside a JSON
string can be parsed and fixed in place.

``parse(text)`` first lets the standard ``json`` module decide validity (its
error message and position become WL001), then builds the positioned tree.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from .textpos import MappedText, TextBuilder, json_escape

MAX_DEPTH = 256


class JsonPosError(ValueError):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message, self.offset = message, offset


@dataclass
class JNode:
    """One JSON value. ``start``/``end`` are character offsets of its source."""

    type: str                       # object | array | string | number | bool | null
    start: int
    end: int
    value: Any = None               # the Python value (strings, numbers, bools, None)
    text: MappedText | None = None  # strings only
    pairs: list[tuple["JNode", "JNode"]] = field(default_factory=list)   # objects
    items: list["JNode"] = field(default_factory=list)                   # arrays

    def get(self, key: str) -> "JNode | None":
        """The last value of ``key`` (as JSON.parse keeps it), or None."""
        found = None
        for k, v in self.pairs:
            if k.value == key:
                found = v
        return found

    def key_node(self, key: str) -> "JNode | None":
        found = None
        for k, _ in self.pairs:
            if k.value == key:
                found = k
        return found

    def str_value(self) -> str | None:
        return self.value if self.type == "string" else None

    def plain(self) -> Any:
        """The Python value of the whole subtree."""
        if self.type == "object":
            return {k.value: v.plain() for k, v in self.pairs}
        if self.type == "array":
            return [i.plain() for i in self.items]
        return self.value


def parse(text: str) -> JNode:
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonPosError(f"invalid JSON: {exc.msg}", exc.pos) from None
    except RecursionError:
        raise JsonPosError("invalid JSON: nested too deeply", 0) from None
    p = _Parser(text)
    node = p.value(0)
    return node


_ESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_WS = " \t\n\r"
_PLAIN = re.compile(r'[^"\\]*')


class _Parser:
    def __init__(self, text: str):
        self.t = text
        self.i = 0

    def ws(self) -> None:
        t, i = self.t, self.i
        while i < len(t) and t[i] in _WS:
            i += 1
        self.i = i

    def value(self, depth: int) -> JNode:
        if depth > MAX_DEPTH:
            raise JsonPosError("JSON nested too deeply", self.i)
        self.ws()
        c = self.t[self.i]
        if c == "{":
            return self.obj(depth)
        if c == "[":
            return self.arr(depth)
        if c == '"':
            return self.string()
        start = self.i
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.t.startswith(word, start):
                self.i += len(word)
                return JNode("null" if val is None else "bool", start, self.i, val)
        j = start
        while j < len(self.t) and self.t[j] in "+-0123456789.eE":
            j += 1
        self.i = j
        return JNode("number", start, j, json.loads(self.t[start:j]))

    def obj(self, depth: int) -> JNode:
        node = JNode("object", self.i, self.i)
        self.i += 1
        self.ws()
        if self.t[self.i] == "}":
            self.i += 1
        else:
            while True:
                self.ws()
                key = self.string()
                self.ws()
                self.i += 1  # ':'
                node.pairs.append((key, self.value(depth + 1)))
                self.ws()
                c = self.t[self.i]
                self.i += 1
                if c == "}":
                    break
        node.end = self.i
        return node

    def arr(self, depth: int) -> JNode:
        node = JNode("array", self.i, self.i)
        self.i += 1
        self.ws()
        if self.t[self.i] == "]":
            self.i += 1
        else:
            while True:
                node.items.append(self.value(depth + 1))
                self.ws()
                c = self.t[self.i]
                self.i += 1
                if c == "]":
                    break
        node.end = self.i
        return node

    def string(self) -> JNode:
        t, start = self.t, self.i
        i = start + 1
        b = TextBuilder()
        while t[i] != '"':
            if t[i] != "\\":
                j = _PLAIN.match(t, i).end()      # the run up to the next quote or escape
                b.add(t[i:j], i)
                i = j
                continue
            e = t[i + 1]
            if e == "u":
                code = int(t[i + 2:i + 6], 16)
                j = i + 6
                if 0xD800 <= code < 0xDC00 and t.startswith("\\u", j):
                    low = int(t[j + 2:j + 6], 16)
                    if 0xDC00 <= low < 0xE000:
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        j += 6
                b.add(chr(code), i, j)
                i = j
            else:
                b.add(_ESC[e], i, i + 2)
                i += 2
        self.i = i + 1
        text = b.build(start + 1, i, json_escape)
        return JNode("string", start, self.i, text.value, text)


def blank_jsonc(text: str) -> str:
    """JSON with comments (``wrangler.jsonc``, ``deno.jsonc``: ``//`` and ``/* */`` comments,
    trailing commas) as JSON of the same length: comments and trailing commas become spaces,
    so every offset still points into the original text."""
    out = list(text)
    i, n, last = 0, len(text), None      # last: index of the last significant character
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            last, i = j, j + 1
            continue
        if c == "/" and i + 1 < n and text[i + 1] in "/*":
            end = text.find("\n", i) if text[i + 1] == "/" else text.find("*/", i + 2)
            end = n if end < 0 else end + (0 if text[i + 1] == "/" else 2)
            for k in range(i, end):
                if out[k] != "\n":
                    out[k] = " "
            i = end
            continue
        if c in "}]" and last is not None and out[last] == ",":
            out[last] = " "
        if not c.isspace():
            last = i
        i += 1
    return "".join(out)
