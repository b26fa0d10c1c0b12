"""WebAssembly modules embedded in JavaScript, and JS string-literal decoding.

Three encodings are found and decoded exactly:

* base64 (``"AGFzbQ…"``, with or without a ``data:…;base64,`` prefix), as
  Emscripten SINGLE_FILE (``-sSINGLE_FILE_BINARY_ENCODE=0``), hash-wasm, argon2;
* Emscripten's binary string (SINGLE_FILE since 4.0.18, ``tools/link.py
  binary_encode``): a literal whose value starts with NUL ``asm``; each UTF-16
  code unit ``c`` becomes the byte ``~c >> 8 & c`` as ``src/binaryDecode.js``
  computes it (so U+FFFD, a NUL mangled by a tool, decodes back to 0);
* byte arrays of number literals (``[0, 97, 115, 109, …]``, ``[0x00, 0x61, …]``),
  alone or in ``new Uint8Array([...])`` / ``Uint8Array.from([...])``.

Feature probes (wasm-feature-detect, Emscripten's ``convertJsFunctionToWasm``)
are recognised structurally: a literal given to ``WebAssembly.validate``, or a
module under ``PROBE_MAX_BYTES`` whose memory (if any) is neither exported nor
imported — no code outside can use it — is not reported; a literal under that
size that does not parse is a fragment that code completes at run time
(``bytes.push(…)``) and is skipped too.
"""
from __future__ import annotations

import base64
import binascii
import codecs
import re
from dataclasses import dataclass

from .parse import Doc, call_parts, path_of, up

PROBE_MAX_BYTES = 256
B64_MARK = b"AGFzbQ"
NUL_MARKS = (b"\0asm", b"\\0asm", b"\\x00asm", b"\\u0000asm", b"\\u{0}asm")
_ARRAY_MARK = re.compile(rb"(?<![\w.$])(?:0|0x0+)\s*,\s*(?:97|0x61)\s*,\s*(?:115|0x73)\s*,\s*(?:109|0x6[dD])\b")
ARRAY_HINTS = (b"97,115,109", b"97, 115, 109", b"0x61,", b"0x61, ")
_DATA_URI = re.compile(r"^data:[\w.+/-]*(?:;[\w=.-]+)*;base64,")
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v"}


@dataclass
class Embedded:
    node: object          # the string / array literal
    data: bytes
    encoding: str         # "base64" | "binary-string" | "byte-array"
    probe: bool           # given to WebAssembly.validate
    error: str | None = None


def unescape_js(body: str) -> str:
    """The value of a JS string literal body (quotes removed), escapes resolved."""
    if "\\" not in body:
        return body
    if len(body) >= _CHUNK and body.isascii():
        fast = unescape_ascii(body.encode("ascii"))
        if fast is not None:
            return fast.decode("latin-1")
    out, lo, get = [], 0, _DECODED.get
    while lo < len(body):
        hi = _chunk_end(body, lo, lo + _CHUNK)
        parts = _ESCAPE.split(body[lo:hi])     # text, escape, text, escape, …, text
        parts[1::2] = [get(e) or _decoded(e) for e in parts[1::2]]
        out.append("".join(parts))
        lo = hi
    return "".join(out)


_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-3][0-7]{0,2}|[4-7][0-7]?"
                     r"|\r\n|[\s\S])")
_CHUNK = 1 << 20      # characters decoded at a time: a 14 MB binary string is millions of escapes
_DECODED: dict[str, str] = {}


# After ``\\\\`` is rewritten as ``\\x5c`` (a run of backslashes pairs from its start),
# escapes Python's ``escape_decode`` reads as JS does: octal from 0-3 (``\\0``, ``\\012``),
# ``\\xHH``, ``\\n \\r \\t \\b \\f \\v \\' \\"``; ``\\` \\$`` are rewritten first.
# Whether a backslash is followed by anything else is one translation and one byte search
# (no backslash follows another once pairs are rewritten); a ``\\x`` without two hex digits
# after it is an error of ``escape_decode``. (A regular expression tried at each of a 14 MB
# binary string's 2.6 million backslashes took 0.13 s.)
_PLAIN = b"0123xnrtbfv'\"`$"
_ESCAPED = bytes(0x5C if c == 0x5C else 0x41 if c in _PLAIN else 0 for c in range(256))


def unescape_ascii(raw: bytes) -> bytes | None:
    """``unescape_js`` of an ASCII body as bytes (one per code unit), at the speed of a
    few byte scans, when its escapes are all of the plain kinds above (Emscripten's
    binary strings); else None."""
    body = raw.replace(b"\\\\", b"\\x5c")
    if body.endswith(b"\\") or b"\\\0" in body.translate(_ESCAPED):
        return None
    body = body.replace(b"\\`", b"`").replace(b"\\$", b"$")
    try:
        return codecs.escape_decode(body)[0]
    except ValueError:      # a \x without two hex digits
        return None


def _chunk_end(body: str, lo: int, target: int) -> int:
    """Where to end the chunk that starts at ``lo`` (itself such a cut): at the start of
    the run of backslashes holding the first one from ``target`` on. No escape spans
    that cut, for an escape's tail never holds a backslash."""
    q = body.find("\\", target)
    if q < 0:
        return len(body)
    r = q
    while r > lo and body[r - 1] == "\\":
        r -= 1
    return r if r > lo else lo + 2 * ((q - lo) // 2)   # all backslashes since lo: after whole pairs


def _decoded(e: str) -> str:
    """The value of one escape (without its backslash); the common ones are remembered."""
    v = _DECODED.get(e)
    if v is None:
        v = _unescape_one(e)
        if len(_DECODED) < 4096:
            _DECODED[e] = v
    return v


def _unescape_one(e: str) -> str:
    if len(e) == 1 and not e.isdigit():
        if e in "\r\n\u2028\u2029":
            return ""          # line continuation
        return _SIMPLE_ESCAPES.get(e, e)
    if e[0] == "u":
        code = int(e[2:-1] if e[1] == "{" else e[1:], 16)
        return chr(code) if code <= 0x10FFFF else "\\" + e
    if e[0] == "x":
        return chr(int(e[1:], 16))
    if e == "\r\n":
        return ""
    return chr(int(e, 8)) if e[0] in "01234567" else e


def binary_decode(value: str) -> bytes:
    """Emscripten's ``binaryDecode``: one byte per UTF-16 code unit, ``~c >> 8 & c``."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        codes = memoryview(value.encode("utf-16-le", "surrogatepass")).cast("H")
        return bytes((~c >> 8) & c & 0xFF for c in codes)


def _binary_string(raw: bytes) -> bytes | None:
    """The module a binary-string literal's body decodes to, or None if it is not one."""
    if raw.isascii():
        value = unescape_ascii(raw)
        if value is not None:
            return value if value.startswith(b"\0asm") else None
    text = unescape_js(raw.decode("utf-8", "replace"))
    return binary_decode(text) if text.startswith("\0asm") else None


def find_embedded(doc: Doc, evaluator) -> list[Embedded]:
    """Every embedded module literal of the file, decoded, in file order."""
    found: dict[int, Embedded] = {}
    for off in doc.offsets(B64_MARK):
        node = _string_at(doc, off)
        if node is not None and node.start_byte not in found:
            found[node.start_byte] = _from_base64(doc, node, evaluator)
    for mark in NUL_MARKS:
        for off in doc.offsets(mark):
            node = _string_at(doc, off)
            if node is None or node.start_byte in found:
                continue
            key = (node.start_byte, node.end_byte)
            if key not in doc.decoded:
                doc.decoded[key] = _binary_string(doc.data[node.start_byte + 1:node.end_byte - 1])
            module = doc.decoded[key]
            if module is not None:
                found[node.start_byte] = Embedded(node, module, "binary-string", _is_probe(node))
    for start in _array_starts(doc):
        num = doc.root.descendant_for_byte_range(start, start + 1)
        array = num.parent if num is not None else None
        if array is None or array.type != "array" or array.named_children[0].id != num.id:
            continue
        data = _array_bytes(array)
        if data is not None and array.start_byte not in found:
            found[array.start_byte] = Embedded(array, data, "byte-array", _is_probe(array))
    return [e for e in (found[k] for k in sorted(found)) if e is not None]


_SPACE = frozenset(b" \t\n\r\f\v")      # the regular expression's \s
_NAMEISH = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.$")
_SECOND = re.compile(rb",\s*(?:97|0x61)")     # the comma before a module's second byte


_ARRAY_STARTS = (0, -1)     # not a range: where doc.decoded keeps the starts of the file's array marks


def _array_starts(doc: Doc) -> tuple[int, ...]:
    """Where ``_array_marks`` match in the file, found once for every parse of it."""
    if _ARRAY_STARTS not in doc.decoded:
        found = _array_marks(doc.data) if any(doc.has(h) for h in ARRAY_HINTS) else ()
        doc.decoded[_ARRAY_STARTS] = tuple(m.start() for m in found)
    return doc.decoded[_ARRAY_STARTS]


def _array_marks(data: bytes):
    """``_ARRAY_MARK.finditer(data)``, found from the ``, 97`` / ``, 0x61`` its matches hold
    (a few per MB of JavaScript) instead of trying the expression at every byte: a match
    holding one starts at the word before that comma. ``_SECOND``, led by the comma, runs
    at about 1.6 GB/s; a Python step at each ``97`` of the file cost three times as much."""
    starts = set()
    for second in _SECOND.finditer(data):
        j = second.start() - 1
        while j >= 0 and data[j] in _SPACE:
            j -= 1
        while j >= 0 and data[j] in _NAMEISH:
            j -= 1
        starts.add(j + 1)
    for start in sorted(starts):
        m = _ARRAY_MARK.match(data, start)
        if m is not None:
            yield m


def _string_at(doc: Doc, offset: int):
    node = doc.root.descendant_for_byte_range(offset, offset + 1)
    while node is not None and node.type not in ("string", "template_string"):
        if node.type not in ("string_fragment", "escape_sequence", "'", '"', "`"):
            return None
        node = node.parent
    return node


def _from_base64(doc: Doc, node, evaluator) -> Embedded | None:
    top = node
    while (p := up(top)) is not None and p.type == "binary_expression" and \
            p.child_by_field_name("operator").type == "+":
        top = p
    if top is node and node.type == "string":
        # a string alone: its value is its bytes', decoded once for every parse of the file
        key = (node.start_byte, node.end_byte)
        if key not in doc.base64:
            doc.base64[key] = _base64_module(evaluator.string(node))
        got = doc.base64[key]
    else:
        value = evaluator.string(top)
        if not isinstance(value, str):
            value = evaluator.string(node)
            top = node
        got = _base64_module(value)
    if got is None:
        return None
    if got[1] is not None:
        return Embedded(top, b"", "base64", False, error=got[1])
    return Embedded(top, got[0], "base64", _is_probe(top))


def _base64_module(value) -> tuple[bytes, str | None] | None:
    """(the module, None) that a string value holds in base64 (maybe in a data: URI),
    (b"", the error) when it is not valid base64, None when it holds none."""
    if not isinstance(value, str):
        return None
    value = _DATA_URI.sub("", value, count=1)
    if not value.startswith("AGFzbQ"):
        return None
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True), None
    except (binascii.Error, ValueError):
        return b"", "embedded module is not valid base64"


def _array_bytes(array) -> bytes | None:
    out = bytearray()
    for el in array.named_children:
        if el.type == "comment":
            continue
        if el.type != "number":
            return None
        text = el.text.decode("utf-8", "replace").replace("_", "").lower()
        try:
            v = int(text, 16) if text.startswith("0x") else int(text, 8) if text.startswith("0o") else int(text)
        except ValueError:
            return None
        if not 0 <= v <= 255:
            return None
        out.append(v)
    return bytes(out)


def _is_probe(literal) -> bool:
    """The literal (maybe inside ``new Uint8Array(…)``) is given to WebAssembly.validate."""
    node = literal
    for _ in range(3):
        parent = up(node)
        if parent is None or parent.type != "arguments":
            return False
        call = parent.parent
        callee, _args = call_parts(call)
        name = path_of(callee) if callee is not None else None
        if name == "WebAssembly.validate":
            return True
        if name not in ("Uint8Array", "Uint8Array.from", "Uint8Array.of"):
            return False
        node = call
    return False
