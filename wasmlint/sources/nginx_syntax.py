"""nginx's configuration syntax: directives (``name args;``) and blocks (``name args { … }``).

nginx's token reader: whitespace separates words; ``#`` starts a comment, and ``"`` or ``'``
a quoted string, only where a word starts (``a#b`` is one word); ``\\`` escapes the next
character (not a line's end); ``${name}`` is a variable. Any word may be quoted, the first
too: the keys of ``map``, ``geo``, ``types`` blocks are directive names to this reader
(``"~^/x" 1;``, ``~*\\.wasm$ 2;``).

One regular expression finds each token and a stack of open blocks makes the tree: a
config's cost is a few operations a token (a general parser's per-token work made a
256 KB file of nested blocks take a second). ``NginxSyntaxError`` says where the text
stops being a config: ``characters`` no token starts with, or a ``token`` (``eof``: the
end of the text, placed at the last token) that cannot come there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_WORD = r"""(?:\\.|\$\{[^}\s$]*\}|[^\s;{}"'#\\])(?:\\.|\$\{[^}\s$]*\}|[^\s;{}\\])*"""
_STRING = r'''"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*\''''
_TOKEN = re.compile(rf"[ \t\f\r\n]+|#[^\n]*|(?P<word>{_WORD})|(?P<string>{_STRING})|(?P<punct>[;{{}}])")


@dataclass
class Item:
    """A directive, or a block (``children``: its items) when ``block``."""

    words: list[str]          # as written, quotes kept
    offset: int               # of the first word
    quoted: bool              # the first word is a quoted string
    block: bool = False
    children: list["Item"] = field(default_factory=list)


class NginxSyntaxError(ValueError):
    def __init__(self, what: str, text: str, offset: int):
        self.what = what              # "characters" or "token"
        self.line, self.column = line_col(text, offset)
        super().__init__(f"unexpected {what} at line {self.line}, column {self.column}")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (characters) of ``offset``."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse(text: str) -> list[Item]:
    """The items of ``text`` at its top level; raises ``NginxSyntaxError``."""
    top: list[Item] = []
    open_: list[list[Item]] = [top]
    words: list[str] = []
    first, quoted, last, pos = 0, False, -1, 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            raise NginxSyntaxError("characters", text, pos)
        pos = m.end()
        kind = m.lastgroup
        if kind is None:                          # whitespace, a comment
            continue
        last = m.start()
        if kind != "punct":
            if not words:
                first, quoted = last, kind == "string"
            words.append(m.group())
            continue
        p = m.group()
        if p == "}":
            if words or len(open_) == 1:
                raise NginxSyntaxError("token", text, last)
            open_.pop()
            continue
        if not words:
            raise NginxSyntaxError("token", text, last)
        item = Item(words, first, quoted, block=p == "{")
        open_[-1].append(item)
        if item.block:
            open_.append(item.children)
        words = []
    if pos != len(text):
        raise NginxSyntaxError("characters", text, pos)
    if words or len(open_) > 1:
        raise NginxSyntaxError("token", text, last)       # the end comes too early
    return top
