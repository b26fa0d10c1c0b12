"""The one escaper for text that reaches a terminal or a CI log.

Paths, messages and quoted file content come from the linted tree. A newline in a
file name would start a forged line (on GitHub Actions a line beginning with ``::``
is a workflow command), ESC sequences would drive the terminal, and a name that is
not UTF-8 (kept by Python as lone surrogates) cannot even be encoded. Every text
renderer passes such text through :func:`visible`.
"""
from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:        # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character, line separator and undecodable byte
    written as a visible escape (``\\n``, ``\\x1b``, ``\\xff``)."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def clip(text: str, limit: int) -> str:
    """``text`` shortened in the middle to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    head = (limit * 2) // 3
    return f"{text[:head]}…{text[len(text) - (limit - head - 1):]}"
