"""Which function nested in a left-out block binds a name, told from the bytes.

A left-out block too long to parse alone (``bindings.ALONE_MAX``: an asm.js or wasm2js
module's body, libsodium's 600 KB of it) holds hundreds of functions whose parameters
and leading ``var`` lists declare the one-letter names the glue outside uses too
(``function BI(A, I) { var g = 0, C = 0, … q = 0; …``). An occurrence of such a name is
bound by the innermost function around it that declares it, and then it writes no
binding outside the block: the block need not be parsed to say so.

Only what is sure counts as a declaration: a parameter list of plain names after
``function [name]`` or before ``=>``, and the ``var`` statements that open the body
(``Doc.head_vars``). The blocks are the lexer's (``lexer.Layout.blocks``: contents of
every ``{`` after ``)`` or ``=>``), so ``if (…) {`` and ``catch (e) {`` are blocks too;
they declare nothing here, and the search goes on outwards.
"""
from __future__ import annotations

import bisect
import re

_PARAMS = re.compile(rb"[ \t\r\n]*(?:[A-Za-z_$][\w$]*[ \t\r\n]*(?:,[ \t\r\n]*[A-Za-z_$][\w$]*[ \t\r\n]*)*)?")
_FUNCTION = re.compile(rb"(?<![\w$.\x80-\xff])function[ \t\r\n]*(?:\*[ \t\r\n]*)?(?:[A-Za-z_$][\w$]*[ \t\r\n]*)?\Z")
_NAME = re.compile(rb"[A-Za-z_$][\w$]*")
_S = rb"[ \t\r\n]*"
# What opens a body before its ``var`` list: asm.js's parameter coercions (``A |= 0, I = +I;``),
# then ``var`` or ``for (var``
_VARS = re.compile(_S + rb"(?:(?:[A-Za-z_$][\w$]*" + _S + rb"(?:\|=" + _S + rb"0|=" + _S + rb"\+" + _S +
                   rb"[A-Za-z_$][\w$]*)" + _S + rb"[,;]" + _S + rb")*)(?:for" + _S + rb"\(" + _S + rb")?var[ \t\r\n]+")
# One declarator with no initializer or a number or a name for one, and the comma after it
_DECLARATOR = re.compile(rb"([A-Za-z_$][\w$]*)" + _S + rb"(?:=" + _S + rb"(?:[0-9][\w.]*|[A-Za-z_$][\w$]*)" + _S +
                         rb")?(,)?" + _S)
_SPACE = b" \t\r\n"
_WORD = bytes(1 if chr(b).isalnum() or chr(b) in "_$" or b >= 0x80 else 0 for b in range(256))
HEADER_MAX = 256      # bytes searched back for ``function`` and for a parameter list's ``(``


class NestedFunctions:
    """The body blocks of a file (sorted contents ``(after '{', at '}')``, properly
    nested) and, for those that are a function's body, what the function declares."""

    def __init__(self, doc, blocks):
        self.doc, self.blocks = doc, blocks
        self.starts = [a for a, _ in blocks]
        self.parent: list[int] = []
        open_: list[int] = []
        for a, _ in blocks:
            while open_ and blocks[open_[-1]][1] <= a:
                open_.pop()
            self.parent.append(open_[-1] if open_ else -1)
            open_.append(len(self.parent) - 1)
        self._heads: dict[int, tuple | None] = {}
        self._var_lists: dict[int, frozenset] = {}

    def binds(self, outer: tuple[int, int], i: int, name: bytes) -> bool:
        """Whether the occurrence of ``name`` at ``i``, inside block ``outer`` (its contents'
        range), is bound by a function whose body is a block nested in ``outer``: it is one
        of its parameters, or the function declares it by a parameter or a leading ``var``."""
        nxt = bisect.bisect_right(self.starts, i)
        if nxt < len(self.blocks) and self.blocks[nxt][0] < outer[1]:
            head = self._head(nxt)      # ``function f(a, name) {``: a parameter
            if head is not None and head[0] <= i < head[1] and name in head[2]:
                return True
        k = nxt - 1
        while k >= 0 and self.blocks[k][1] <= i:
            k = self.parent[k]
        while k >= 0 and self.blocks[k][0] > outer[0]:
            head = self._head(k)
            if head is not None and (name in head[2] or name in self._vars(k) or
                                     name.decode("utf-8", "replace") in self.doc.head_vars(*self.blocks[k])):
                return True
            k = self.parent[k]
        return False

    def _vars(self, k: int) -> frozenset:
        """Names the ``var`` list that opens block ``k`` surely declares: those up to the
        first declarator whose initializer is more than a number or a name."""
        if k not in self._var_lists:
            data, names = self.doc.data, set()
            a, b = self.blocks[k]
            m = _VARS.match(data, a, b)
            while m is not None:
                m = _DECLARATOR.match(data, m.end(), b)
                if m is not None:
                    names.add(m.group(1))
                    if m.group(2) is None:
                        break
            self._var_lists[k] = frozenset(names)
        return self._var_lists[k]

    def _head(self, k: int) -> tuple | None:
        """(start, end, names) of the parameter list of the function whose body is block
        ``k``, when it is a plain one; None when the block is not surely a function's body."""
        if k not in self._heads:
            self._heads[k] = _parameters(self.doc.data, self.blocks[k][0] - 1)
        return self._heads[k]


def _parameters(data: bytes, brace: int) -> tuple | None:
    j = _back(data, brace - 1)
    if j < 0:
        return None
    arrow = data[j] == 0x3E and j > 0 and data[j - 1] == 0x3D
    if arrow:
        j = _back(data, j - 2)
        if j >= 0 and _WORD[data[j]] and data[j] != 0x29:      # ``a => {``
            s = j
            while s > 0 and _WORD[data[s - 1]]:
                s -= 1
            m = _NAME.fullmatch(data, s, j + 1)
            return (s, j + 1, frozenset((m.group(),))) if m is not None else None
    if j < 0 or data[j] != 0x29:
        return None
    close = j
    opening = data.rfind(b"(", max(0, close - HEADER_MAX), close)
    if opening < 0 or _PARAMS.fullmatch(data, opening + 1, close) is None:
        return None
    if not arrow and _FUNCTION.search(data, max(0, opening - HEADER_MAX), opening) is None:
        return None
    return opening + 1, close, frozenset(_NAME.findall(data, opening + 1, close))


def _back(data: bytes, j: int) -> int:
    """The offset of the last byte at or before ``j`` that is not a space (-1 if none)."""
    while j >= 0 and data[j] in _SPACE:
        j -= 1
    return j
