"""Embedded-module decoding: base64, Emscripten's binary string, byte arrays, probes."""
from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from tests.wasmbuild import build_wat
from wasmlint.js import embedded
from wasmlint.js.embedded import PROBE_MAX_BYTES, binary_decode, find_embedded, unescape_js
from wasmlint.js.parse import Doc
from wasmlint.js.values import Evaluator

FIX = Path(__file__).parent / "fixtures" / "WL101"
ALL_BYTES = "".join("\\%02x" % i for i in range(256))
MODULE_WAT = f"""(module
  (memory (export "memory") 256)
  (data (i32.const 1024) "{ALL_BYTES}")
  (func (export "run") (result i32) i32.const 42)
  (func $sbrk (param i32) (result i32) (memory.grow (local.get 0))))"""   # its allocator grows the memory


def found(path: Path):
    doc = Doc(path.name, path.read_bytes())
    return find_embedded(doc, Evaluator(doc))


@pytest.mark.parametrize("body, value", [
    (r"\0asm", "\0asm"),
    (r"\x00\x61\u0073\u{6d}", "\0asm"),
    (r"a\
b", "ab"),
    (r"\'\"\\\n\r\t\v\f\b", "'\"\\\n\r\t\v\f\b"),
    (r"\101\8", "A8"),
    ("plain", "plain"),
])
def test_unescape_js(body, value):
    assert unescape_js(body) == value


_ESCAPE_BITS = st.sampled_from(["\\", "x", "4", "1", "u", "{", "}", "0", "7", "3", "a", "\r", "\n", "8", "F",
                                 "`", "$", "n", "'", "v", "c", "é", "\u2028"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_ESCAPE_BITS, max_size=40).map("".join))
def test_fast_unescapes_agree_with_the_escape_by_escape_reading(body):
    """A 14 MB binary string is decoded in chunks and, when its escapes allow, by a few
    byte scans (``unescape_ascii``): both must read every escape as the plain way does."""
    plain = embedded._ESCAPE.sub(lambda m: embedded._unescape_one(m.group(1)), body)
    saved = embedded._CHUNK
    try:
        embedded._CHUNK = 3
        assert unescape_js(body) == plain
    finally:
        embedded._CHUNK = saved
    if body.isascii():
        fast = embedded.unescape_ascii(body.encode())
        assert fast is None or fast.decode("latin-1") == plain


def test_binary_decode_matches_emscripten_formula():
    # src/binaryDecode.js: o[i] = ~c >> 8 & c — identity below 256, U+FFFD (a mangled NUL) → 0
    assert binary_decode("\0asm\x01\xff") == b"\0asm\x01\xff"
    assert binary_decode("\ufffdasm") == b"\0asm"
    assert binary_decode("\u0100") == bytes([(~0x100 >> 8) & 0x100 & 0xFF])


def test_single_file_binary_string_fixture_decodes_to_the_module():
    (emb,) = found(FIX / "single-file-binary-string" / "app.js")
    assert emb.encoding == "binary-string" and emb.data == build_wat(MODULE_WAT)


def test_single_file_base64_with_data_uri():
    (emb,) = found(FIX / "single-file-base64" / "app.js")
    assert emb.encoding == "base64" and emb.data == build_wat(MODULE_WAT)
    text = (FIX / "single-file-base64" / "app.js").read_text()
    assert base64.b64encode(emb.data).decode() in text


def test_byte_arrays_and_probes():
    (emb,) = found(FIX / "byte-array-module" / "inline.js")
    assert emb.encoding == "byte-array" and emb.data.startswith(b"\0asm") and not emb.probe
    probes = found(FIX / "feature-probes" / "detect.js")
    # validate(new Uint8Array([...])) is a probe by structure; the others by size (no usable memory)
    assert [p.probe for p in probes] == [True, False, False]
    assert all(len(p.data) < PROBE_MAX_BYTES for p in probes)


def test_broken_base64_is_an_error_not_a_crash(tmp_path):
    p = tmp_path / "app.js"
    p.write_text('var wasmBinaryFile = "data:application/octet-stream;base64,AGFzbQ!!!";\n')
    (emb,) = found(p)
    assert emb.error == "embedded module is not valid base64"


_ARRAY_PIECES = st.lists(st.sampled_from(["0", "00", "0x0", "0x00", "10", "97", "0x61", "115", "0x73", "109",
                                          "0x6d", "0x6D", "1090", ",", ", ", " ,\n ", ".", "$", "a", "[", "]"]),
                         max_size=24)


@settings(max_examples=400, deadline=None)
@given(_ARRAY_PIECES)
def test_byte_array_marks_are_those_of_the_expression_tried_everywhere(pieces):
    # Byte-array modules are found from the "97" / "0x61" in them: the same matches as
    # trying the expression at every byte, in the same order.
    data = "".join(pieces).encode()
    assert [m.span() for m in embedded._array_marks(data)] == [m.span() for m in embedded._ARRAY_MARK.finditer(data)]


def test_byte_array_marks_in_real_files_are_those_of_the_expression():
    root = Path(__file__).parent
    files = [p for p in root.rglob("*") if p.suffix in (".js", ".mjs", ".cjs", ".ts") and p.is_file()]
    spans = [([m.span() for m in embedded._array_marks(d)], [m.span() for m in embedded._ARRAY_MARK.finditer(d)])
             for d in (p.read_bytes() for p in files)]
    assert all(a == b for a, b in spans)
    assert sum(1 for a, _ in spans if a) >= 3
