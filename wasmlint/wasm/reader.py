"""Structural reader of WebAssembly binaries.

``parse_module(buf)`` reads the module header and every section's framing,
walks the small sections (type, import, function, table, memory, tag, global,
export, start, datacount) to their exact end, reads only the vector length of
the element, code and data sections, and parses the custom sections wasmlint
uses. Function bodies and segment contents are never decoded, so the cost is
independent of the code size. Hostile input gets :class:`WasmParseError`.
"""
from __future__ import annotations

import mmap
from typing import Union

from . import types as T
from .custom import read_custom
from .leb import Cursor, WasmParseError, count_u32_vector
from .model import (
    EXTERNAL_KINDS, SECTION_NAMES, CustomSection, Dylink, Export, Import, Limits,
    Memory, Section, Table, WasmModule,
)

__all__ = [
    "parse_module", "WasmParseError", "WasmModule", "Section", "Import", "Export",
    "Memory", "Table", "Limits", "CustomSection", "Dylink", "MAGIC",
]

Buffer = Union[bytes, bytearray, memoryview, mmap.mmap]
MAGIC = b"\0asm"
# Real modules have dozens of sections; a file of millions of tiny custom sections
# (a sparse file of zeros, say) is hostile and would cost time and memory per section.
MAX_SECTIONS = 10_000
MAX_MEMORIES = 1_000      # memories (and tables) of one module, defined and imported

# Position of each non-custom section id in the required order.
_ORDER = {sid: rank for rank, sid in enumerate((1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11))}


def parse_module(buf: Buffer) -> WasmModule:
    """Read a core module (or recognise a component) from ``buf`` without copying it."""
    mv = memoryview(buf)
    try:
        if mv.ndim != 1 or mv.itemsize != 1:
            mv = mv.cast("B")
        return _Reader(mv).run()
    except WasmParseError as e:
        message, offset = e.message, e.offset
    finally:
        mv.release()
    # Raised afresh so the traceback holds no views into ``buf`` (an mmap can close).
    raise WasmParseError(message, offset)


def _sname(sid: int) -> str:
    return f"section {sid} ({SECTION_NAMES[sid]})"


class _Reader:
    def __init__(self, mv: memoryview) -> None:
        self.mv = mv
        self.size = len(mv)
        self.imported_funcs = 0
        self.defined_funcs: int | None = None  # function section length
        self.datacount: int | None = None
        self.mod: WasmModule

    # -- header and section framing ------------------------------------
    def run(self) -> WasmModule:
        mv, size = self.mv, self.size
        if size < 8:
            if bytes(mv[:4]) != MAGIC[:min(size, 4)]:
                raise WasmParseError("not a WebAssembly binary (bad magic number)", 0)
            raise WasmParseError("unexpected end of file inside the module header", size)
        if bytes(mv[:4]) != MAGIC:
            raise WasmParseError("not a WebAssembly binary (bad magic number)", 0)
        version = mv[4] | mv[5] << 8
        layer = mv[6] | mv[7] << 8
        if layer == 1:
            return WasmModule(version=version, is_component=True, size=size)
        if layer != 0 or version != 1:
            raise WasmParseError(
                f"unsupported WebAssembly version {version} (layer {layer}); "
                "only version 1 core modules and components are known", 4)
        self.mod = mod = WasmModule(version=1, is_component=False, size=size)
        c = Cursor(mv, 8, size, "file")
        last_rank, last_id = -1, 0
        while c.pos < size:  # each section consumes its id and size bytes at least
            offset = c.pos
            sid = c.u8("section id")
            if sid not in SECTION_NAMES:
                raise WasmParseError(f"unknown section id {sid}", offset)
            c.where = f"file inside the header of {_sname(sid)}"
            psize = c.u32("section size")
            start = c.pos
            if psize > size - start:
                raise WasmParseError(
                    f"{_sname(sid)} claims {psize} bytes but only {size - start} remain "
                    "in the file (truncated?)", offset)
            if sid != 0:
                rank = _ORDER[sid]
                if rank == last_rank:
                    raise WasmParseError(f"duplicate {_sname(sid)}", offset)
                if rank < last_rank:
                    raise WasmParseError(
                        f"{_sname(sid)} is out of order: it must come before "
                        f"{_sname(last_id)}", offset)
                last_rank, last_id = rank, sid
            if len(mod.sections) >= MAX_SECTIONS:
                raise WasmParseError(f"more than {MAX_SECTIONS} sections: not a module a toolchain "
                                     "produces; not read further", offset)
            mod.sections.append(Section(sid, SECTION_NAMES[sid], offset, start, psize))
            self.section(sid, offset, start, start + psize)
            c.pos = start + psize
            c.where = "file"
        self.finish()
        return mod

    def section(self, sid: int, offset: int, start: int, end: int) -> None:
        if sid == 0:
            read_custom(self.mv, self.mod, offset, start, end)
            return
        c = Cursor(self.mv, start, end, _sname(sid))
        getattr(self, "_" + SECTION_NAMES[sid])(c)
        if c.pos != end:
            raise WasmParseError(
                f"{_sname(sid)} has {end - c.pos} unexpected bytes after its contents", c.pos)

    def finish(self) -> None:
        mod = self.mod
        defined = self.defined_funcs or 0
        if defined != mod.code_function_count:
            raise WasmParseError(
                f"function section declares {defined} functions but the code section "
                f"has {mod.code_function_count} bodies", self._at("code", "function"))
        if self.datacount is not None and mod.section("data") is not None:
            if self.datacount != mod.data_count:
                raise WasmParseError(
                    f"datacount section says {self.datacount} segments but the data "
                    f"section has {mod.data_count}", self._at("data"))
        if self.datacount is not None:
            mod.data_count = self.datacount
        mod.func_count = self.imported_funcs + defined
        by_kind = {"memory": mod.memories, "table": mod.tables}
        for e in mod.exports:
            items = by_kind.get(e.kind)
            if items is not None and e.index < len(items):
                items[e.index].exported_as.append(e.name)

    def _at(self, *names: str) -> int:
        for name in names:
            s = self.mod.section(name)
            if s is not None:
                return s.offset
        return self.size

    # -- sections -----------------------------------------------------------
    def _type(self, c: Cursor) -> None:
        n = 0
        for _ in range(c.count("type")):
            n += T.type_entry(c)
        self.mod.type_count = n

    def _import(self, c: Cursor) -> None:
        mod = self.mod
        for _ in range(c.count("import", 4)):
            at = c.pos
            module = c.name("import module name")
            name = c.name("import field name")
            kpos = c.pos
            kind = c.u8("import kind")
            if kind >= len(EXTERNAL_KINDS):
                raise c.fail(f"unknown import kind 0x{kind:02x}", kpos)
            imp = Import(module, name, EXTERNAL_KINDS[kind], at)
            if kind == 0:
                c.u32("function type index")
                self.imported_funcs += 1
            elif kind == 1:
                etype, imp.limits = T.table_type(c)
                self._add_table(etype, imp.limits, imp)
            elif kind == 2:
                imp.limits = T.limits(c, memory=True)
                self._add_memory(imp.limits, imp)
            elif kind == 3:
                T.global_type(c)
                mod.globals_count += 1
            else:
                self._tag_type(c)
                mod.tag_count += 1
            mod.imports.append(imp)

    def _function(self, c: Cursor) -> None:
        n = c.count("function")
        body = c.take(c.remaining, "function type indices")
        if count_u32_vector(body) != n:
            raise WasmParseError(
                f"{c.where} declares {n} functions but its type indices do not match",
                c.end - len(body))
        self.defined_funcs = n

    def _table(self, c: Cursor) -> None:
        for _ in range(c.count("table", 2)):
            if c.remaining >= 2 and c.mv[c.pos] == 0x40:  # table with an initializer
                at = c.pos
                c.pos += 1
                if c.u8("table reserved byte") != 0:
                    raise c.fail("invalid table encoding (0x40 not followed by 0x00)", at)
                etype, lim = T.table_type(c)
                T.const_expr(c)
            else:
                etype, lim = T.table_type(c)
            self._add_table(etype, lim, None)

    def _memory(self, c: Cursor) -> None:
        for _ in range(c.count("memory", 2)):
            self._add_memory(T.limits(c, memory=True), None)

    def _tag(self, c: Cursor) -> None:
        n = c.count("tag", 2)
        for _ in range(n):
            self._tag_type(c)
        self.mod.tag_count += n

    def _global(self, c: Cursor) -> None:
        n = c.count("global", 3)
        for _ in range(n):
            T.global_type(c)
            T.const_expr(c)
        self.mod.globals_count += n

    def _export(self, c: Cursor) -> None:
        exports = self.mod.exports
        n = c.count("export", 3)
        # Most entries take the fast path (modules export thousands of names); an entry
        # it cannot take, from the first on, is read by the checked reader below.
        done = _fast_exports(c, n, exports)
        for _ in range(n - done):
            at = c.pos
            name = c.name("export name")
            kpos = c.pos
            kind = c.u8("export kind")
            if kind >= len(EXTERNAL_KINDS):
                raise c.fail(f"unknown export kind 0x{kind:02x}", kpos)
            exports.append(Export(name, EXTERNAL_KINDS[kind], c.u32("export index"), at))

    def _start(self, c: Cursor) -> None:
        self.mod.start = c.u32("start function index")

    def _element(self, c: Cursor) -> None:
        # Segments are not walked: only the count is read (not validated).
        self.mod.element_count = c.count("element segment")
        c.pos = c.end

    def _datacount(self, c: Cursor) -> None:
        self.datacount = c.u32("data count")

    def _code(self, c: Cursor) -> None:
        # Function bodies are skipped by the section size, never decoded.
        self.mod.code_function_count = c.count("function body", 2)
        self.mod.code_size = self.mod.sections[-1].payload_size
        c.pos = c.end

    def _data(self, c: Cursor) -> None:
        # Segments are not walked: only the count is read (not validated).
        self.mod.data_count = c.count("data segment")
        c.pos = c.end

    # -- helpers ------------------------------------------------------------
    def _tag_type(self, c: Cursor) -> None:
        at = c.pos
        if c.u8("tag attribute") != 0:
            raise c.fail("invalid tag attribute (must be 0)", at)
        c.u32("tag type index")

    def _add_memory(self, lim: Limits, imp: Import | None) -> None:
        mems = self.mod.memories
        if len(mems) >= MAX_MEMORIES:   # each is a fact and a finding: a hostile module would list millions
            raise WasmParseError(f"more than {MAX_MEMORIES} memories: not a module a toolchain produces; "
                                 "not analysed", lim.offset)
        mems.append(Memory(
            index=len(mems), origin="imported" if imp else "defined",
            import_module=imp.module if imp else None, import_name=imp.name if imp else None,
            initial=lim.initial, maximum=lim.maximum, shared=lim.shared, memory64=lim.is64,
            page_size_log2=lim.page_size_log2, offset=lim.offset, end_offset=lim.end_offset))

    def _add_table(self, etype: str, lim: Limits, imp: Import | None) -> None:
        tables = self.mod.tables
        if len(tables) >= MAX_MEMORIES:
            raise WasmParseError(f"more than {MAX_MEMORIES} tables: not a module a toolchain produces; "
                                 "not analysed", lim.offset)
        tables.append(Table(
            index=len(tables), origin="imported" if imp else "defined",
            import_module=imp.module if imp else None, import_name=imp.name if imp else None,
            element_type=etype, initial=lim.initial, maximum=lim.maximum, table64=lim.is64,
            offset=lim.offset))


def _fast_exports(c: Cursor, n: int, out: list) -> int:
    """Read up to ``n`` export entries from ``c.pos`` on while each is plainly valid (a
    name length and an index of at most four LEB bytes, a UTF-8 name, a known kind, all
    inside the section): the number read, ``c.pos`` after the last. The checked reader
    reads from the first other entry on (and reports what is wrong with it)."""
    base = c.pos
    data = bytes(c.mv[base:c.end])
    size, kinds, nkinds = len(data), EXTERNAL_KINDS, len(EXTERNAL_KINDS)
    pos = done = 0
    append = out.append
    while done < n and pos < size:
        length = data[pos]       # one-byte LEBs (most names and indexes) read in place
        if length < 0x80:
            p = pos + 1
        else:
            length, p = _leb4(data, pos, size)
            if p < 0:
                break
        name_end = p + length
        if name_end + 1 >= size or data[name_end] >= nkinds:
            break
        q = name_end + 1
        index = data[q]
        if index < 0x80:
            q += 1
        elif q + 1 < size and data[q + 1] < 0x80:
            index, q = (index & 0x7F) | data[q + 1] << 7, q + 2
        else:
            index, q = _leb4(data, q, size)
            if q < 0:
                break
        try:
            name = data[p:name_end].decode("utf-8")
        except UnicodeDecodeError:
            break
        append(Export(name, kinds[data[name_end]], index, base + pos))
        pos, done = q, done + 1
    c.pos = base + pos
    return done


def _leb4(data: bytes, pos: int, size: int) -> tuple[int, int]:
    """An unsigned LEB of at most four bytes at ``pos`` and the offset after it;
    (0, -1) for a longer one or one that runs past ``size``."""
    value = shift = 0
    while pos < size and shift < 28:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7
    return 0, -1
