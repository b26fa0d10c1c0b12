"""The wasm reader on WAT fixtures (tests/wat/) built with wasm-tools: exact records."""
from __future__ import annotations

import mmap
import pickle

import pytest
from tests.wasmbuild import WAT_DIR, build_wat

from wasmlint.wasm import reader as wasm_reader
from wasmlint.wasm.reader import Memory, WasmModule, WasmParseError, parse_module


def parse_wat(name: str) -> WasmModule:
    return parse_module(build_wat(WAT_DIR / name))


def mem_tuple(m: Memory):
    return (m.index, m.origin, m.import_module, m.import_name, m.initial, m.maximum,
            m.shared, m.memory64, m.page_size_log2, m.exported_as)


def test_no_memory():
    mod = parse_wat("no_memory.wat")
    assert (mod.version, mod.is_component) == (1, False)
    assert mod.memories == [] and mod.imports == [] and mod.tables == []
    assert [(e.name, e.kind, e.index) for e in mod.exports] == [("add", "func", 0)]
    assert (mod.func_count, mod.code_function_count, mod.type_count) == (1, 1, 1)
    assert [s.name for s in mod.sections] == ["type", "function", "export", "code", "custom"]
    assert mod.code_size == mod.section("code").payload_size > 0
    assert mod.warnings == []


def test_memory_with_max_exported_twice():
    mod = parse_wat("memory_max.wat")
    assert [mem_tuple(m) for m in mod.memories] == [
        (0, "defined", None, None, 16, 256, False, False, None, ["memory", "mem2"])]
    assert mod.memories[0].page_size == 65536


def test_growable_memory_has_no_maximum():
    (mem,) = parse_wat("memory_growable.wat").memories
    assert mem_tuple(mem) == (0, "defined", None, None, 17, None, False, False, None, ["memory"])


def test_imported_shared_memory():
    mod = parse_wat("import_shared.wat")
    assert [mem_tuple(m) for m in mod.memories] == [
        (0, "imported", "env", "memory", 256, 256, True, False, None, [])]
    assert [(i.module, i.name, i.kind) for i in mod.imports] == [
        ("env", "abort", "func"), ("env", "memory", "memory"),
        ("wasi_snapshot_preview1", "fd_write", "func")]
    lim = mod.imports[1].limits
    assert (lim.initial, lim.maximum, lim.shared, lim.is64) == (256, 256, True, False)
    assert mod.imports[0].limits is None
    assert (mod.func_count, mod.code_function_count) == (3, 1)


def test_memory_offsets_point_at_the_limits():
    data = build_wat(WAT_DIR / "import_shared.wat")
    (mem,) = parse_module(data).memories
    assert data[mem.offset] == 0x03  # has-max | shared
    assert data[mem.offset + 1:mem.end_offset] == b"\x80\x02\x80\x02"  # 256, 256
    imp = parse_module(data).imports[1]
    assert data[imp.offset] == len("env") and data[imp.offset + 1:imp.offset + 4] == b"env"


def test_memory64_uses_u64_limits():
    mod = parse_wat("memory64.wat")
    assert [mem_tuple(m) for m in mod.memories] == [
        (0, "defined", None, None, 1, 2, False, True, None, ["memory"]),
        (1, "defined", None, None, 65537, 1 << 40, False, True, None, [])]


def test_multi_memory_index_space_imports_first():
    mod = parse_wat("multi_memory.wat")
    assert [mem_tuple(m) for m in mod.memories] == [
        (0, "imported", "env", "heap", 1, 10, False, False, None, ["heap"]),
        (1, "imported", "js", "shared", 2, 4, True, True, None, []),
        (2, "defined", None, None, 3, None, False, False, None, ["a"]),
        (3, "defined", None, None, 4, 5, False, False, None, ["b", "b_again"])]


def test_custom_page_sizes():
    mod = parse_wat("pagesize.wat")
    assert [(m.initial, m.maximum, m.page_size_log2, m.page_size) for m in mod.memories] == [
        (1, 2, 0, 1), (3, None, 16, 65536)]
    data = build_wat(WAT_DIR / "pagesize.wat")
    assert data[mod.memories[0].offset] == 0x09  # has-max | custom page size


def test_tables():
    mod = parse_wat("tables.wat")
    got = [(t.index, t.origin, t.import_module, t.import_name, t.element_type, t.initial,
            t.maximum, t.table64, t.exported_as) for t in mod.tables]
    assert got == [
        (0, "imported", "env", "__indirect_function_table", "funcref", 4, None, False, []),
        (1, "defined", None, None, "funcref", 2, 10, False, ["t"]),
        (2, "defined", None, None, "externref", 1, None, False, []),
        (3, "defined", None, None, "funcref", 3, 7, True, []),
        (4, "defined", None, None, "(ref 0)", 5, None, False, [])]
    assert mod.imports[0].limits.initial == 4


def test_globals_with_every_kind_of_constant_expression():
    mod = parse_wat("globals.wat")
    assert mod.globals_count == 20  # 2 imported + 18 defined
    assert mod.type_count == 3
    assert mod.section("global").payload_size > 100


def test_gc_rec_groups_and_subtypes():
    mod = parse_wat("gc_types.wat")
    # rec(2) + 2 arrays + func + rec(2): type indices, not type-section entries
    assert mod.type_count == 7
    assert (mod.func_count, mod.code_function_count) == (1, 1)


def test_tags():
    mod = parse_wat("tags.wat")
    assert mod.tag_count == 3
    assert [(i.module, i.name, i.kind) for i in mod.imports] == [("env", "exc", "tag")]
    assert [(e.name, e.kind, e.index) for e in mod.exports] == [("e1", "tag", 1)]


def test_start_data_elem_counts():
    mod = parse_wat("start_data_elem.wat")
    assert mod.start == 0
    assert (mod.data_count, mod.element_count) == (3, 2)
    assert [s.name for s in mod.sections][:9] == [
        "type", "function", "table", "memory", "start", "element", "datacount", "code", "data"]


def test_name_section_size():
    mod = parse_wat("names.wat")
    (name,) = mod.custom_sections
    assert name.name == "name"
    assert mod.name_section_size == name.payload_size > 0
    sec = mod.sections[-1]
    assert (sec.id, sec.name, sec.offset) == (0, "custom", name.offset)
    assert name.payload_offset + name.payload_size == sec.payload_offset + sec.payload_size


def test_producers_target_features_source_map_and_dwarf():
    mod = parse_wat("custom_sections.wat")
    assert mod.producers == {
        "language": [("C11", "")],
        "processed-by": [("clang", "19.1.0"), ("wasm-opt", "118")],
        "sdk": [("Emscripten", "3.1.61")]}
    assert mod.target_features == [("+", "atomics"), ("+", "bulk-memory-opt"), ("-", "simd128")]
    assert mod.source_mapping_url == "https://example.com/a.map"
    assert mod.has_dwarf is True
    assert mod.debug_sections_size == 4 + 2
    assert [c.name for c in mod.custom_sections] == [
        "producers", "target_features", "sourceMappingURL", ".debug_info", ".debug_line",
        "external_debug_info"]
    assert mod.warnings == []


def test_no_dwarf_no_producers_when_absent():
    mod = parse_wat("memory_max.wat")
    assert (mod.producers, mod.target_features, mod.source_mapping_url, mod.dylink) == (
        {}, [], None, None)
    assert (mod.has_dwarf, mod.debug_sections_size) == (False, 0)


def test_dylink0_reads_mem_info_and_needed_and_skips_unknown_subsections():
    mod = parse_wat("dylink.wat")
    d = mod.dylink
    assert (d.mem_size, d.mem_align, d.table_size, d.table_align, d.needed) == (
        1024, 4, 3, 1, ["libc.so", "libm.so"])
    assert mod.custom_sections[0].name == "dylink.0" and mod.sections[0].id == 0
    assert [mem_tuple(m) for m in mod.memories] == [
        (0, "imported", "env", "memory", 0, None, False, False, None, [])]
    assert mod.warnings == []


def test_component_is_recognised_and_not_parsed():
    mod = parse_wat("component.wat")
    assert mod.is_component is True
    assert mod.version == 0x0D
    assert mod.sections == [] and mod.memories == []
    assert mod.size == len(build_wat(WAT_DIR / "component.wat"))


def test_every_fixture_is_consumed_without_warnings():
    names = sorted(p.name for p in WAT_DIR.glob("*.wat"))
    assert len(names) >= 15
    for name in names:
        mod = parse_wat(name)
        assert mod.warnings == [], name
        assert mod.size == len(build_wat(WAT_DIR / name))


@pytest.mark.parametrize("kind", ["bytes", "bytearray", "memoryview", "mmap"])
def test_buffer_kinds(tmp_path, kind):
    data = build_wat(WAT_DIR / "multi_memory.wat")
    if kind == "mmap":
        p = tmp_path / "m.wasm"
        p.write_bytes(data)
        with open(p, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            mod = parse_module(mm)
    else:
        mod = parse_module({"bytes": bytes, "bytearray": bytearray,
                            "memoryview": memoryview}[kind](data))
    assert [m.initial for m in mod.memories] == [1, 2, 3, 4]


def test_mmap_can_be_closed_after_a_parse_error(tmp_path):
    p = tmp_path / "bad.wasm"
    data = build_wat(WAT_DIR / "import_shared.wat")
    p.write_bytes(data[:-3])
    with open(p, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        with pytest.raises(WasmParseError) as info:
            parse_module(mm)
        mm.close()  # BufferError if the error kept a view into the map
    assert info.value.offset <= len(data) - 3


def test_model_holds_no_views_into_the_buffer(tmp_path):
    p = tmp_path / "ok.wasm"
    p.write_bytes(build_wat(WAT_DIR / "custom_sections.wat"))
    with open(p, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        mod = parse_module(mm)
        mm.close()
    assert mod.source_mapping_url == "https://example.com/a.map"


def test_public_api_names():
    import wasmlint.wasm as pkg
    for name in ("parse_module", "WasmParseError", "WasmModule", "Memory", "Section",
                 "Import", "Export", "Table", "CustomSection", "Dylink", "Limits"):
        assert getattr(pkg, name) is getattr(wasm_reader, name)
    err = WasmParseError("bad thing", 0x1234)
    assert (err.message, err.offset) == ("bad thing", 0x1234)
    assert str(err) == "bad thing (at byte 0x1234)"
    again = pickle.loads(pickle.dumps(err))  # results cross a process pool
    assert (type(again), again.message, again.offset) == (WasmParseError, "bad thing", 0x1234)
    mod = parse_wat("custom_sections.wat")
    assert pickle.loads(pickle.dumps(mod)) == mod
