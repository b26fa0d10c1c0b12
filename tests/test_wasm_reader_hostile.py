"""Malformed and hostile binaries: every one gets WasmParseError (or a warning, for
custom sections) with a clear message and an offset inside the file."""
from __future__ import annotations


import pytest
from tests.wasmbuild import WAT_DIR, build_wat

from wasmlint.wasm.leb import encode_uleb
from wasmlint.wasm.reader import WasmParseError, parse_module

HEADER = b"\0asm\x01\0\0\0"


leb = encode_uleb


def name(s: str | bytes) -> bytes:
    raw = s.encode() if isinstance(s, str) else s
    return leb(len(raw)) + raw


def section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + leb(len(payload)) + payload


def module(*sections: bytes) -> bytes:
    return HEADER + b"".join(sections)


def custom(cname: str, payload: bytes) -> bytes:
    return section(0, name(cname) + payload)


FUNC_TYPE = section(1, b"\x01\x60\x00\x00")  # one type: () -> ()


def error_of(data: bytes) -> WasmParseError:
    with pytest.raises(WasmParseError) as info:
        parse_module(data)
    err = info.value
    assert 0 <= err.offset <= len(data)
    return err


# -- header ---------------------------------------------------------------

def test_empty_and_short_files():
    for data in (b"", b"\0", b"\0as", b"\0asm", b"\0asm\x01\0\0"):
        err = error_of(data)
        assert err.message == "unexpected end of file inside the module header"
        assert err.offset == len(data)


def test_bad_magic():
    for data in (b"\0asn\x01\0\0\0", b"MZ\x90\0", b"{\n"):
        err = error_of(data)
        assert (err.message, err.offset) == ("not a WebAssembly binary (bad magic number)", 0)


def test_bad_version():
    err = error_of(b"\0asm\x02\0\0\0")
    assert err.message.startswith("unsupported WebAssembly version 2 (layer 0)")
    assert err.offset == 4
    assert error_of(b"\0asm\x01\0\x02\0").message.startswith(
        "unsupported WebAssembly version 1 (layer 2)")


def test_component_layer_stops_after_header():
    mod = parse_module(b"\0asm\x0d\0\x01\0" + b"\xff" * 10)  # garbage after: not read
    assert (mod.is_component, mod.version, mod.sections) == (True, 0x0D, [])


def test_header_only_module_is_valid():
    mod = parse_module(HEADER)
    assert (mod.is_component, mod.sections, mod.memories, mod.size) == (False, [], [], 8)


# -- section framing --------------------------------------------------------

def test_unknown_section_id():
    err = error_of(module(section(14, b"")))
    assert (err.message, err.offset) == ("unknown section id 14", 8)


def test_section_size_beyond_end_of_file():
    data = HEADER + b"\x01\xff\xff\xff\xff\x0f" + b"\x00" * 4
    err = error_of(data)
    assert err.message == ("section 1 (type) claims 4294967295 bytes but only 4 remain "
                           "in the file (truncated?)")
    assert err.offset == 8


def test_truncated_section_header():
    err = error_of(HEADER + b"\x05\x80\x80")
    assert err.message == ("unexpected end of file inside the header of section 5 (memory) "
                           "while reading section size")
    assert err.offset == 11


def test_out_of_order_sections():
    err = error_of(module(section(5, b"\x01\x00\x01"), FUNC_TYPE))
    assert err.message == ("section 1 (type) is out of order: it must come before "
                           "section 5 (memory)")
    assert err.offset == 8 + 5


def test_datacount_must_precede_code_and_tag_precede_global():
    code = section(10, b"\x00")
    err = error_of(module(code, section(12, b"\x00")))
    assert "section 12 (datacount) is out of order" in err.message
    err = error_of(module(section(6, b"\x00"), section(13, b"\x00")))
    assert "section 13 (tag) is out of order" in err.message
    # the right order parses, custom sections anywhere
    parse_module(module(custom("a", b""), section(13, b"\x00"), custom("b", b""),
                        section(6, b"\x00"), section(12, b"\x00"), code, section(11, b"\x00")))


def test_duplicate_section():
    mem = section(5, b"\x01\x00\x01")
    err = error_of(module(mem, mem))
    assert (err.message, err.offset) == ("duplicate section 5 (memory)", 8 + len(mem))


def test_trailing_bytes_inside_a_section():
    err = error_of(module(section(5, b"\x01\x00\x01\x00")))
    assert err.message == "section 5 (memory) has 1 unexpected bytes after its contents"
    assert err.offset == 8 + 2 + 3


# -- vector lengths and LEB128 ------------------------------------------------

@pytest.mark.parametrize("sid,what", [
    (1, "type"), (2, "import"), (4, "table"), (5, "memory"), (6, "global"), (7, "export"),
    (9, "element segment"), (10, "function body"), (11, "data segment"), (13, "tag")])
def test_absurd_vector_count_is_rejected_before_any_work(sid, what):
    payload = b"\xff\xff\xff\xff\x0f" + b"\x00" * 10
    err = error_of(module(section(sid, payload)))
    assert err.message.startswith(f"section {sid} (")
    assert f"claims 4294967295 {what} entries but has" in err.message
    assert err.offset == 10


def test_memory_count_message_is_exact():
    err = error_of(module(section(5, b"\xff\xff\xff\xff\x0f" + b"\x00" * 10)))
    assert err.message == "section 5 (memory) claims 4294967295 memory entries but has 10 bytes left"


def test_overlong_leb():
    err = error_of(module(section(5, b"\x80\x80\x80\x80\x80\x00")))
    assert err.message == "LEB128 memory count longer than 5 bytes in section 5 (memory)"
    assert err.offset == 10


def test_leb_unused_bits_must_be_zero():
    err = error_of(module(section(5, b"\x01\x00\xff\xff\xff\xff\x1f")))
    assert err.message == "LEB128 initial size overflows u32 in section 5 (memory)"
    assert err.offset == 12
    # the same value space is fine as memory64 (u64 LEB)
    mod = parse_module(module(section(5, b"\x01\x04\xff\xff\xff\xff\x1f")))
    assert mod.memories[0].initial == 0x1FFFFFFFF and mod.memories[0].memory64


def test_u64_leb_limits():
    ok = b"\xff" * 9 + b"\x01"
    assert parse_module(module(section(5, b"\x01\x04" + ok))).memories[0].initial == 2**64 - 1
    err = error_of(module(section(5, b"\x01\x04" + b"\xff" * 9 + b"\x03")))
    assert "overflows u64" in err.message
    err = error_of(module(section(5, b"\x01\x04" + b"\x80" * 10 + b"\x00")))
    assert "longer than 10 bytes" in err.message


def test_signed_leb_sign_extension_checked():
    def glob(init: bytes) -> bytes:
        return module(section(6, b"\x01\x7f\x00" + init + b"\x0b"))
    parse_module(glob(b"\x41\xff\xff\xff\xff\x07"))  # i32.const 2**31-1
    parse_module(glob(b"\x41\x80\x80\x80\x80\x78"))  # i32.const -2**31
    err = error_of(glob(b"\x41\xff\xff\xff\xff\x0f"))
    assert err.message == "LEB128 i32.const immediate overflows s32 in section 6 (global)"


def test_leb_truncated_at_section_end():
    err = error_of(module(section(5, b"\x01\x00\x80")))
    assert err.message == ("unexpected end of section 5 (memory) while reading initial size")
    assert err.offset == 8 + 2 + 3


# -- contents ------------------------------------------------------------------

def test_invalid_memory_and_table_limit_flags():
    err = error_of(module(section(5, b"\x01\x10\x01")))
    assert err.message == "invalid memory limits flags 0x10 in section 5 (memory)"
    err = error_of(module(section(4, b"\x01\x70\x08\x01")))
    assert err.message == "invalid table limits flags 0x08 in section 4 (table)"


def test_unknown_import_kind_and_bad_utf8_name():
    err = error_of(module(section(2, b"\x01" + name("m") + name("n") + b"\x05\x00")))
    assert err.message == "unknown import kind 0x05 in section 2 (import)"
    err = error_of(module(section(2, b"\x01" + name(b"\xff\xfe") + name("n") + b"\x00\x00")))
    assert err.message == "import module name in section 2 (import) is not valid UTF-8"
    assert err.offset == 11


def test_name_longer_than_section():
    err = error_of(module(section(7, b"\x01\x7f" + b"abc")))
    assert err.message == "export name in section 7 (export) claims 127 bytes but has 3 bytes left"


def test_unknown_type_form_and_value_type():
    err = error_of(module(section(1, b"\x01\x40\x00\x00")))
    assert err.message == "unknown type form 0x40 in section 1 (type)"
    err = error_of(module(section(1, b"\x01\x60\x01\x01\x00")))
    assert err.message == "unknown value type 0x01 in section 1 (type)"
    err = error_of(module(section(1, b"\x01\x60\x01\x63\x50\x00")))
    assert err.message == "unknown heap type 0x50 in section 1 (type)"


def test_unknown_opcode_in_constant_expression():
    err = error_of(module(section(6, b"\x01\x7f\x00\x20\x00\x0b")))
    assert err.message == "opcode 0x20 is not allowed in a constant expression in section 6 (global)"
    assert err.offset == 8 + 2 + 3
    err = error_of(module(section(6, b"\x01\x7f\x00\xfb\x0b\x00\x0b")))
    assert err.message == "opcode 0xfb 11 is not allowed in a constant expression in section 6 (global)"


def test_constant_expression_without_end():
    err = error_of(module(section(6, b"\x01\x7f\x00\x41\x00")))
    assert err.message == "unexpected end of section 6 (global) while reading constant expression"


def test_function_and_code_counts_must_agree():
    err = error_of(module(FUNC_TYPE, section(3, b"\x02\x00\x00"), section(10, b"\x01\x02\x00\x0b")))
    assert err.message == ("function section declares 2 functions but the code section has "
                           "1 bodies")
    err = error_of(module(FUNC_TYPE, section(3, b"\x01\x00")))
    assert "declares 1 functions but the code section has 0 bodies" in err.message


def test_function_section_indices_must_fill_it_exactly():
    err = error_of(module(FUNC_TYPE, section(3, b"\x02\x00")))
    assert err.message.startswith("section 3 (function) claims 2 function entries")
    err = error_of(module(FUNC_TYPE, section(3, b"\x01\x80\x00\x00")))
    assert err.message == ("section 3 (function) declares 1 functions but its type indices "
                           "do not match")
    err = error_of(module(FUNC_TYPE, section(3, b"\x01\xff\xff\xff\xff\x1f")))
    assert "do not match" in err.message  # 5th LEB byte with unused bits set


def test_datacount_must_match_data_section():
    err = error_of(module(section(12, b"\x02"), section(11, b"\x01\x01\x00\x00")))
    assert err.message == "datacount section says 2 segments but the data section has 1"


def test_table_initializer_encoding():
    ok = module(FUNC_TYPE, section(4, b"\x01\x40\x00\x64\x70\x00\x01\xd2\x00\x0b"))
    assert parse_module(ok).tables[0].element_type == "(ref func)"
    err = error_of(module(section(4, b"\x01\x40\x01\x70\x00\x01\x0b")))
    assert err.message == "invalid table encoding (0x40 not followed by 0x00) in section 4 (table)"


# -- custom sections: lenient -------------------------------------------------

@pytest.mark.parametrize("cname,payload,message", [
    ("producers", b"\x01" + name("language") + b"\x05",
     "custom section 'producers' claims 5 producers value entries but has 0 bytes left"),
    ("producers", b"\x00\x00",
     "1 unexpected bytes at the end in custom section 'producers'"),
    ("target_features", b"\x01*" + name("simd128"),
     "unknown feature prefix '*' in custom section 'target_features'"),
    ("sourceMappingURL", b"\x7fhttp",
     "source map URL in custom section 'sourceMappingURL' claims 127 bytes but has 4 bytes left"),
    ("dylink.0", b"\x01\x7f\x00",
     "subsection 1 claims 127 bytes but has 1 in custom section 'dylink.0'"),
    ("dylink.0", b"\x01\x02\x00\x00",
     "unexpected end of custom section 'dylink.0' subsection 1 while reading table size"),
])
def test_malformed_custom_sections_become_warnings(cname, payload, message):
    data = module(custom(cname, payload), section(5, b"\x01\x00\x01"))
    mod = parse_module(data)
    assert len(mod.warnings) == 1
    msg, offset = mod.warnings[0]
    assert msg == message
    assert 8 <= offset <= len(data)
    assert mod.memories[0].initial == 1  # the rest of the module is still read
    assert (mod.producers, mod.target_features, mod.source_mapping_url, mod.dylink) == (
        {}, [], None, None)


def test_custom_section_with_unreadable_name_is_an_error():
    data = module(section(0, b"\x7fab"), section(5, b"\x01\x00\x01"))
    with pytest.raises(WasmParseError, match="custom section name in custom section claims 127 bytes"):
        parse_module(data)


def test_millions_of_empty_custom_sections_stop_early():
    data = module(*[section(0, b"\x00")] * 20_000)
    with pytest.raises(WasmParseError, match="more than 10000 sections") as exc:
        parse_module(data)
    assert exc.value.offset == 8 + 10_000 * 3


def test_dylink0_unknown_subsection_skipped():
    payload = b"\x07\x03abc" + b"\x02\x06" + b"\x01" + name("liba.so")[:0] + b"\x04libc"
    mod = parse_module(module(custom("dylink.0", payload)))
    assert mod.warnings == [] and mod.dylink.needed == ["libc"]


def test_legacy_dylink():
    payload = b"\x10\x02\x03\x00" + b"\x01" + name("libx.so")
    d = parse_module(module(custom("dylink", payload))).dylink
    assert (d.mem_size, d.mem_align, d.table_size, d.table_align, d.needed) == (
        16, 2, 3, 0, ["libx.so"])


def test_custom_section_size_beyond_file_is_an_error():
    err = error_of(HEADER + b"\x00\x20\x04name")
    assert err.message.startswith("section 0 (custom) claims 32 bytes but only 5 remain")


# -- truncation of every fixture -------------------------------------------------

def _check_every_prefix(data: bytes, lengths) -> None:
    full = parse_module(data)
    boundaries = {s.payload_offset + s.payload_size: i for i, s in enumerate(full.sections)}
    boundaries[8] = -1
    for n in lengths:
        prefix = data[:n]
        try:
            mod = parse_module(prefix)
        except WasmParseError as e:
            assert 0 <= e.offset <= n, (n, e)
            continue
        # only a cut exactly between sections leaves a well-formed module
        assert n in boundaries, n
        assert mod.sections == full.sections[:boundaries[n] + 1]


@pytest.mark.parametrize("wat", sorted(p.name for p in WAT_DIR.glob("*.wat")))
def test_every_truncation_of_fixture(wat):
    data = build_wat(WAT_DIR / wat)
    if parse_module(data).is_component:
        for n in range(8):
            error_of(data[:n])
        return
    _check_every_prefix(data, range(len(data)))


# -- rarer encodings that must be accepted -------------------------------------

@pytest.mark.parametrize("entry,types", [
    (b"\x65\x60\x00\x00", 1),                      # shared func type
    (b"\x50\x00\x5f\x01\x78\x01", 1),              # open subtype: struct { mut i8 }
    (b"\x4f\x01\x00\x5e\x77\x00", 1),              # final subtype of 0: array i16
    (b"\x4e\x02\x60\x00\x00\x5d\x00", 2),          # rec { func, cont 0 }
    (b"\x4e\x00", 0),                              # empty rec group
    (b"\x60\x02\x63\x65\x6e\x64\x01\x01\x69", 1),  # (ref null (shared any)), (ref 1) -> exnref
    (b"\x60\x01\x63\x80\x80\x04\x00", 1),          # heap type index 65536 (3-byte s33)
])
def test_gc_and_proposal_type_encodings(entry, types):
    mod = parse_module(module(section(1, b"\x01" + entry)))
    assert mod.type_count == types


@pytest.mark.parametrize("init", [
    b"\xfd\x0c" + b"\x00" * 16,                     # v128.const
    b"\x23\x00\x41\x01\x6a",                        # global.get 0; i32.const 1; i32.add
    b"\xd0\x6f",                                    # ref.null extern
    b"\xd0\x65\x6e",                                # ref.null (shared any)
    b"\x41\x00\xfb\x1c",                            # ref.i31
    b"\x41\x01\x41\x02\xfb\x08\x00\x02",            # array.new_fixed 0 2
])
def test_constant_expression_encodings(init):
    imported_global = section(2, b"\x01" + name("m") + name("g") + b"\x03\x7f\x00")
    mod = parse_module(module(imported_global, section(6, b"\x01\x7f\x00" + init + b"\x0b")))
    assert mod.globals_count == 2
