"""Where a searched word can be the node a builder reads, told from the bytes around it.

A builder that searches ``exec`` reads only a call's function (``cp.exec(…)``); one that
searches ``ENVIRONMENT_IS_NODE`` only a declared name (``var ENVIRONMENT_IS_NODE = …``).
In a skeleton parse (skeleton.py) an occurrence in a left-out block counts — the block
is parsed after all — only where the tokens around it allow that node, and the
skeleton keeps a block for such a word only there: bundles that say ``buffer`` or
``exec`` hundreds of times in other ways cost no parse of those blocks.

A shape only ever says no where a whole parse could not have the node the builder
takes: the tokens after the word are read past whitespace and comments (tree-sitter's
extras) with one compiled expression, the token before it by a step back over
whitespace, and bytes it cannot tell (a ``/`` that may end a comment, non-ASCII
whitespace) mean yes. Occurrences the parse sees are never filtered (the builder
checks their nodes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .word_search import WORDISH

# whitespace and comments; a line comment ends at \n, \r, or a byte that may start U+2028/9
_GAP = rb"(?:[ \t\n\r\v\f]|/\*(?:[^*]|\*(?!/))*\*/|//[^\n\r\xe2]*)*"
# tokens a value may be wrapped in without changing it: x!, x as T, x satisfies T (and (x))
_WRAP = rb"!|as(?![\w$])|satisfies(?![\w$])|[\x80-\xff]"
_SPACE = frozenset(b" \t\n\r\v\f")


def _after(tokens: bytes):
    """The word followed by ``tokens``, maybe after closing parentheses, or by a wrapper."""
    return re.compile(_GAP + rb"(?:\)" + _GAP + rb")*(?:" + tokens + rb"|" + _WRAP + rb")")


@dataclass(frozen=True)
class Shape:
    """``after``: the tokens that may follow the word (None: any); ``before``: the bytes
    the token before it may end with, and the keywords it may be (None: any)."""
    after: re.Pattern | None = None
    before: bytes | None = None
    keywords: frozenset = frozenset()

    def fits(self, data: bytes, i: int, n: int) -> bool:
        """Whether the ``n`` bytes at ``i`` may be the node this shape stands for."""
        if self.after is not None and self.after.match(data, i + n) is None:
            return False
        return self.before is None or _before_fits(self, data, i)


def _before_fits(shape: Shape, data: bytes, i: int) -> bool:
    k = i - 1
    while k >= 0 and data[k] in _SPACE:
        k -= 1
    if k < 0:
        return False
    b = data[k]
    if b == 0x2F or b >= 0x80 or b in shape.before:    # '/' may end a comment
        return True
    if not WORDISH[b] or not shape.keywords:
        return False
    j = k
    while j >= 0 and WORDISH[data[j]]:
        j -= 1
    return data[j + 1:k + 1] in shape.keywords


# the function of a call or the tag of a template: ``f(…)``, ``f`…```, ``f?.(…)``, ``f<T>(…)``
CALLEE = Shape(_after(rb"[(`<]|\?\."))
# that, or the object of the member that is: ``cp.exec(…)`` found at ``cp``
CALLEE_OR_OBJECT = Shape(_after(rb"[(`<.]|\?\."))
# a property that is called: ``memory.grow(n)``
CALLED_MEMBER = Shape(_after(rb"[(`<]|\?\."), b".")
# a property given as an argument: ``new Uint8Array(memory.buffer, …)``
MEMBER_ARGUMENT = Shape(_after(rb"[,)]"), b".")
# the constructors of views of an ArrayBuffer (``memories.views``)
VIEW_TYPES = frozenset((
    "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
    "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "DataView",
    "Float16Array",
))


@dataclass(frozen=True)
class FirstArgumentOf:
    """A property given as an argument (``MEMBER_ARGUMENT``), and the first one of a call of
    one of ``callees`` (its last name: ``new globalThis.Uint8Array(memory.buffer)``) where its
    object is a plain chain of names: not one after a ``,``, nor one whose ``(`` follows
    another name (``_free(info.buffer)``, ``if (a.buffer)``); any other token (``)``, ``]``,
    ``>`` of type arguments, a comment's ``/``) means yes."""
    callees: frozenset

    def fits(self, data: bytes, i: int, n: int) -> bool:
        if not MEMBER_ARGUMENT.fits(data, i, n):
            return False
        k = _back(data, i - 1)
        while k >= 0 and data[k] == 0x2E:      # ``.`` (or ``?.``) then a name, from the end
            k = _back(data, k - 1 - (k > 0 and data[k - 1] == 0x3F))
            if k < 0 or not WORDISH[data[k]]:
                return True
            while k >= 0 and WORDISH[data[k]]:
                k -= 1
            k = _back(data, k)
        if k < 0 or data[k] not in b",(":
            return True
        if data[k] == 0x2C:
            return False
        end = _back(data, k - 1)
        start = end
        while start >= 0 and WORDISH[data[start]]:
            start -= 1
        return end == start or data[start + 1:end + 1] in self.callees


def _back(data: bytes, k: int) -> int:
    """The offset of the last byte at or before ``k`` that is not whitespace (-1 if none)."""
    while k >= 0 and data[k] in _SPACE:
        k -= 1
    return k


# ``new Uint8Array(memory.buffer, …)``: a view's first argument
VIEW_ARGUMENT = FirstArgumentOf(frozenset(t.encode() for t in VIEW_TYPES))
# the left side of a plain assignment: ``onmessage = …``
ASSIGNED = Shape(_after(rb"=(?![=>])"))
# a declared variable: ``var x``, ``let a, x = 1``; followed by its value, the next one, the
# end of the statement (maybe by a line break), ``in``/``of`` or a TypeScript type
DECLARED = Shape(re.compile(rb"[ \t\v\f]*(?:[\n\r/,;:!}\x80-\xff]|=(?!=)|in(?![\w$])|of(?![\w$])|$)"),
                 b",", frozenset((b"var", b"let", b"const", b"using")))


@dataclass(frozen=True)
class AnyOf:
    """Any of ``shapes``."""
    shapes: tuple

    def fits(self, data: bytes, i: int, n: int) -> bool:
        return any(s.fits(data, i, n) for s in self.shapes)


# a name declared or given a value: ``var wasmMemory``, ``wasmMemory = …``
WRITTEN = AnyOf((DECLARED, ASSIGNED))
