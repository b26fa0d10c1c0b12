"""Property tests: random and mutated binaries give a WasmModule or WasmParseError,
nothing else, quickly."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.wasmbuild import WAT_DIR, build_wat, corpus

from wasmlint.wasm.reader import WasmModule, WasmParseError, parse_module

HEADER = b"\0asm\x01\0\0\0"
FUZZ = settings(max_examples=400, deadline=500,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def parse_or_error(data: bytes) -> WasmModule | WasmParseError:
    try:
        mod = parse_module(data)
    except WasmParseError as e:
        assert 0 <= e.offset <= len(data), e
        assert e.message and not e.message.endswith(".")
        return e
    assert mod.size == len(data)
    for m in mod.memories:
        assert m.offset < m.end_offset <= len(data)
    for s in mod.sections:
        assert s.payload_offset + s.payload_size <= len(data)
    return mod


@pytest.fixture(scope="module")
def seeds() -> list[bytes]:
    fixtures = [build_wat(p) for p in sorted(WAT_DIR.glob("*.wat"))]
    small = [m.read() for m in corpus() if m.path.stat().st_size < 200_000 or m.offset]
    return fixtures + [d for d in small if len(d) < 200_000]


@FUZZ
@given(st.binary(max_size=512))
def test_random_bytes(data):
    parse_or_error(data)


@FUZZ
@given(st.binary(max_size=512))
def test_random_bytes_after_a_valid_header(data):
    parse_or_error(HEADER + data)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 13), st.binary(max_size=40)), max_size=12))
def test_random_sections_with_valid_framing(parts):
    data = bytearray(HEADER)
    for sid, payload in parts:
        data += bytes([sid, len(payload)]) + payload
    parse_or_error(bytes(data))


_mutation = st.tuples(st.sampled_from(["flip", "set", "insert", "delete"]),
                      st.integers(min_value=0), st.integers(0, 255), st.integers(1, 8))


def mutate(data: bytes, ops) -> bytes:
    buf = bytearray(data)
    for op, pos, value, width in ops:
        if not buf:
            break
        i = pos % len(buf)
        if op == "flip":
            buf[i] ^= 1 << (value % 8)
        elif op == "set":
            buf[i] = value
        elif op == "insert":
            buf[i:i] = bytes([value]) * width
        else:
            del buf[i:i + width]
    return bytes(buf)


@settings(FUZZ, max_examples=600)
@given(data=st.data())
def test_mutated_real_modules(seeds, data):
    seed = data.draw(st.sampled_from(seeds))
    ops = data.draw(st.lists(_mutation, min_size=1, max_size=6))
    parse_or_error(mutate(seed, ops))


@FUZZ
@given(data=st.data())
def test_mutations_near_the_start_of_real_modules(seeds, data):
    # where the header, type, import and memory sections live
    seed = data.draw(st.sampled_from(seeds))
    ops = data.draw(st.lists(st.tuples(st.sampled_from(["flip", "set", "insert", "delete"]),
                                       st.integers(0, 300), st.integers(0, 255),
                                       st.integers(1, 8)), min_size=1, max_size=4))
    parse_or_error(mutate(seed, ops))



def _exports_or_error(data: bytes):
    try:
        return [(e.name, e.kind, e.index, e.offset) for e in parse_module(data).exports]
    except WasmParseError as e:
        return (e.message, e.offset)


def _with_export_section(entries: bytes, count: int) -> bytes:
    """A module of one function, table and memory and an export section of ``count``
    entries written as ``entries``."""
    from wasmlint.wasm.leb import encode_uleb

    def section(sid: int, body: bytes) -> bytes:
        return bytes([sid]) + encode_uleb(len(body)) + body
    return (HEADER + section(1, b"\x01\x60\x00\x00") + section(3, b"\x01\x00") + section(4, b"\x01\x70\x00\x01")
            + section(5, b"\x01\x00\x01") + section(7, encode_uleb(count) + entries)
            + section(10, b"\x01\x02\x00\x0b"))


def _entry(name: bytes, kind: int, index: int, padded: int) -> bytes:
    from wasmlint.wasm.leb import encode_uleb
    leb = bytearray(encode_uleb(index))
    for _ in range(padded):      # the same value in more LEB bytes (valid up to five)
        leb[-1] |= 0x80
        leb.append(0)
    return encode_uleb(len(name)) + name + bytes([kind]) + bytes(leb)


@FUZZ
@given(st.lists(st.tuples(st.one_of(st.binary(max_size=8), st.binary(min_size=120, max_size=300)),
                          st.integers(0, 6), st.integers(0, (1 << 32) - 1), st.integers(0, 2)), max_size=6),
       st.integers(-1, 1), st.binary(max_size=3))
def test_export_fast_path_reads_what_the_checked_reader_reads(entries, miscount, tail):
    """Export entries are read by a fast path while they are plainly valid (reader.py):
    names of any length and bytes, unknown kinds, indices of one to seven LEB bytes,
    wrong counts and stray bytes give the exports, or the error, of the checked reader."""
    from unittest import mock

    from wasmlint.wasm import reader
    data = _with_export_section(b"".join(_entry(*e) for e in entries) + tail, max(0, len(entries) + miscount))
    fast = _exports_or_error(data)
    with mock.patch.object(reader, "_fast_exports", lambda c, n, out: 0):
        assert fast == _exports_or_error(data)
