"""A name's occurrence in a file's bytes, read without a parse (the byte search of
``bindings.Bindings.writes_in`` over ranges tree-sitter has not seen): whether it is
surely a read (``x.``, ``x + 1``), a label or an object key, and the word before it
(``let``, ``function``)."""
from __future__ import annotations

_OPERATOR = frozenset(b"+-*/%<>&|^?!=~")
_IDENT = bytes(1 if chr(b).isalnum() or chr(b) in "_$" or b >= 0x80 else 0 for b in range(256))
# Punctuators that can follow a name, longest first; those in _READS make it a read.
_PUNCTUATORS = sorted((b"===", b"!==", b"**=", b"<<=", b">>=", b">>>=", b"&&=", b"||=", b"??=", b"==", b"!=",
                       b"<=", b">=", b"+=", b"-=", b"*=", b"/=", b"%=", b"&=", b"|=", b"^=", b"=>", b"++", b"--",
                       b"**", b"<<", b">>", b">>>", b"&&", b"||", b"??", b"?.", b"//", b"/*", b"=", b"+", b"-",
                       b"*", b"/", b"%", b"<", b">", b"&", b"|", b"^", b"!", b"~", b"?"), key=len, reverse=True)
_READS = frozenset((b"===", b"!==", b"==", b"!=", b"<=", b">=", b"**", b"<<", b">>", b">>>", b"&&", b"||", b"??",
                    b"?.", b"+", b"-", b"*", b"/", b"%", b"<", b">", b"&", b"|", b"^", b"?"))


def surely_read(data: bytes, i: int, length: int) -> bool:
    """``x.``, ``x[``, ``x(`` (but not ``function x(``, nor ``let x`` with ``[`` or ``(``
    on the next line: a semicolon is inserted there), ``.x`` and ``x`` before a binary
    operator on its line (``x + 1``, ``x < n``, ``x ? a : b``; not ``x += 1``, ``x++``,
    ``x => …`` or ``++x``) and a whole argument of ``a.f(…)`` never write the variable ``x``."""
    k = i - 1
    while k >= 0 and data[k] in b" \t\r\n":
        k -= 1
    if k >= 0 and data[k] == 0x2E:
        return not (k >= 2 and data[k - 2:k + 1] == b"...")
    j = i + length
    while j < len(data) and data[j] in b" \t\r\n":
        j += 1
    if j >= len(data):
        return False
    follower = data[j]
    if k >= 0 and data[k] in b"'\"`" and follower == data[k]:
        return True       # "x": a string, not a name
    if follower in _OPERATOR:
        return _binary_operator(data, i + length, j, k) and word_before(data, i) not in _DECLARING
    if k >= 0 and data[k] == 0x28 and follower in b",)" and _member_callee(data, k):
        return True
    if follower == 0x29 and k >= 0 and data[k] == 0x28:
        return _whole_condition(data, j, k)
    if follower not in b".[(":
        return False
    if follower != 0x2E and (0x0A in data[i + length:j] or 0x0D in data[i + length:j]):
        return False
    return follower != 0x28 or not (data[max(0, k - 7):k + 1].endswith(b"function") or data[k] in b"*/")


def _member_callee(data: bytes, k: int) -> bool:
    """Whether the ``(`` at ``k`` follows ``.name`` (spaces between): a call's arguments,
    never parameters (no function or method is declared as ``a.name(…)``), so a name
    that is a whole argument there is a read (``RUNTIME.readFile(Module, e)``)."""
    k -= 1
    while k >= 0 and data[k] in b" \t\r\n":
        k -= 1
    j = k
    while j >= 0 and _IDENT[data[j]]:
        j -= 1
    if j == k:
        return False
    while j >= 0 and data[j] in b" \t\r\n":
        j -= 1
    return j >= 0 and data[j] == 0x2E


def _whole_condition(data: bytes, j: int, k: int) -> bool:
    """``if (x) return``, ``while (x) f()``: the name is the whole condition of an ``if``,
    ``while`` or ``switch`` (the ``(`` at ``k``, the ``)`` at ``j``), a read. Only when more
    follows on the line and is no body, ``:``, ``;``, ``,``, ``}`` or comment: ``{ if(x) {…} }``
    may be a method named ``if`` whose parameter ``x`` is, and in TypeScript ``class A { if(x) }``
    an overload's signature (members of a type are parted by ``,`` too) (emcc's pthread glue tests ``ENVIRONMENT_IS_PTHREAD`` so hundreds
    of times, ``if(ENVIRONMENT_IS_PTHREAD)return …``)."""
    if word_before(data, k) not in (b"if", b"while", b"switch"):
        return False
    j += 1
    while j < len(data) and data[j] in b" \t":
        j += 1
    return j < len(data) and data[j] not in b"{/:;,}\r\n"


SCOPED_DECLARATIONS = frozenset((b"let", b"const", b"class", b"function"))
# Words after which a name is declared, whatever follows it (``function f<T>(``, ``class C<T>``).
_DECLARING = frozenset((b"let", b"const", b"var", b"class", b"function", b"interface", b"type", b"enum",
                        b"namespace", b"module", b"declare", b"abstract"))


def word_before(data: bytes, i: int) -> bytes:
    """The word just before offset ``i`` (spaces between), or b""."""
    k = i - 1
    while k >= 0 and data[k] in b" \t\r\n":
        k -= 1
    j = k
    while j >= 0 and k - j < 10 and (0x61 <= data[j] <= 0x7A):
        j -= 1
    return data[j + 1:k + 1] if j < 0 or not _IDENT[data[j]] else b""


def label_or_key(data: bytes, i: int, length: int, before: bytes) -> bool:
    """In JavaScript, a name followed by ``:`` (a label, an object's key, a ternary's
    middle, ``case x:``) or after ``break``/``continue`` on its line (a label) is
    never a write of the variable (asm.js bodies are full of ``Ja:{…break Ja}``)."""
    if before in (b"break", b"continue"):
        k = i - 1
        while data[k] in b" \t":
            k -= 1
        return data[k] not in b"\r\n"      # ``break`` then a new line ends the statement
    j = i + length
    while j < len(data) and data[j] in b" \t\r\n":
        j += 1
    return j < len(data) and data[j] == 0x3A


def _binary_operator(data: bytes, end: int, j: int, k: int) -> bool:
    """Whether the punctuator at ``j`` (after a name ending at ``end``; the byte before
    the name at ``k``) makes the name a read: a binary operator on the same line — no
    assignment, update, arrow or comment — and no ``++``/``--`` before the name."""
    if 0x0A in data[end:j] or 0x0D in data[end:j] or (k >= 1 and data[k - 1:k + 1] in (b"++", b"--")):
        return False
    op = next((p for p in _PUNCTUATORS if data.startswith(p, j)), b"")
    if op == b"?":      # TypeScript's optional ``x?: T`` / ``x?,`` / ``x?)`` is a parameter
        m = j + 1
        while m < len(data) and data[m] in b" \t":
            m += 1
        return m < len(data) and data[m] not in b":,)="
    return op in _READS
