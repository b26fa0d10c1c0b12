"""OpenResty's ``*_by_lua_block { … }`` directives (``content_by_lua_block``,
``set_by_lua_block $var { … }``, ``init_worker_by_lua_block`` …) hold Lua, not nginx
configuration: ngx_lua's own lexer reads the block to its matching brace, skipping
Lua strings, long brackets and comments. Their contents are blanked (newlines kept,
so positions hold) before the nginx grammar reads the file; the block stays an empty
block of its directive.
"""
from __future__ import annotations

import re

_KEYWORD = re.compile(r"[A-Za-z_]+_by_lua_block\b")
_LONG_OPEN = re.compile(r"\[(=*)\[")


def blank_lua_blocks(text: str) -> str:
    if "_by_lua_block" not in text:
        return text
    out = list(text)
    pos = 0
    while True:
        m = _KEYWORD.search(text, pos)
        if m is None:
            break
        brace = _open_brace(text, m.end())
        if brace is None:
            pos = m.end()
            continue
        end = _matching_brace(text, brace)
        for k in range(brace + 1, end):
            if out[k] != "\n":
                out[k] = " "
        pos = end
    return "".join(out)


def _open_brace(text: str, k: int) -> int | None:
    """The ``{`` that opens the block: after the directive's arguments, before any ``;``."""
    while k < len(text) and text[k] not in "{;}":
        k += 1
    return k if k < len(text) and text[k] == "{" else None


def _matching_brace(text: str, start: int) -> int:
    """The index of the ``}`` closing the Lua block opened at ``start`` (or the text's end)."""
    depth, k, n = 1, start + 1, len(text)
    while k < n:
        c = text[k]
        if c in "\"'":
            k = _string_end(text, k)
            continue
        if text.startswith("--", k):
            long = _LONG_OPEN.match(text, k + 2)
            k = _long_end(text, long) if long else _line_end(text, k)
            continue
        if c == "[":
            long = _LONG_OPEN.match(text, k)
            if long:
                k = _long_end(text, long)
                continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return k
        k += 1
    return n


def _string_end(text: str, k: int) -> int:
    quote, k = text[k], k + 1
    while k < len(text) and text[k] not in (quote, "\n"):
        k += 2 if text[k] == "\\" else 1
    return k + 1


def _line_end(text: str, k: int) -> int:
    end = text.find("\n", k)
    return len(text) if end < 0 else end


def _long_end(text: str, m: re.Match) -> int:
    close = "]" + m.group(1) + "]"
    end = text.find(close, m.end())
    return len(text) if end < 0 else end + len(close)
