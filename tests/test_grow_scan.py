"""wasm.grow_scan: memory.grow found by decoding bodies, never by a stray 0x40 byte."""
import pytest

from tests.wasmbuild import build_wat
from wasmlint.wasm.grow_scan import grows_memory
from wasmlint.wasm.reader import parse_module


def scan(wat: str):
    data = build_wat(wat)
    code = next(s for s in parse_module(data).sections if s.name == "code")
    return grows_memory(data, code.payload_offset, code.payload_size)


@pytest.mark.parametrize("body, grows", [
    ("(drop (memory.grow (i32.const 1)))", True),
    ("(block (if (i32.const 1) (then (drop (memory.grow (i32.const 0x40))))))", True),
    # 0x40 bytes only in immediates: a constant, an offset, a SIMD constant and lane, an empty block type
    ("(drop (i32.const 0x40)) (drop (i32.load offset=64 (i32.const 64))) (block (nop))", False),
    ("(drop (i8x16.extract_lane_s 15 (v128.const i32x4 0x40 0x40 0x40 0x40)))", False),
    ("(memory.fill (i32.const 64) (i32.const 0x40) (i32.const 64)) (drop (memory.size))", False),
    ("(drop (i32.atomic.load offset=64 (i32.const 0))) (atomic.fence)", False),
    # long LEBs (a 64-bit constant, a large offset) whose bytes hold 0x40, around a memory.grow and not
    ("(drop (i64.const 0x4040404040404040)) (drop (i32.load offset=0x40404040 (i32.const 0x4040)))", False),
    ("(drop (i64.const 0x4040404040404040)) (drop (memory.grow (i32.const 0x4040))) (drop (i32.const 1))", True),
])
def test_memory_grow_is_found_by_decoding(body, grows):
    assert scan(f"(module (memory 1 1 shared) (func {body}))") is grows


def test_code_larger_than_the_limit_is_not_decoded():
    data = build_wat("(module (memory 1) (func))")
    assert grows_memory(data, 0, 10 << 20) is None


def test_a_malformed_body_is_not_known():
    assert grows_memory(bytes([1, 5, 0, 0xff, 0xff, 0xff, 0x0b]), 0, 7) is None
