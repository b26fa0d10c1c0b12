"""Lenient readers of the custom sections wasmlint cares about.

A malformed custom section never fails the module: its reader raises
:class:`WasmParseError`, which :func:`read_custom` turns into a warning.
"""
from __future__ import annotations

from .leb import Cursor, WasmParseError
from .model import CustomSection, Dylink, WasmModule

# dylink.0 subsection ids
_MEM_INFO, _NEEDED = 1, 2


def _producers(c: Cursor, mod: WasmModule) -> None:
    fields: dict[str, list[tuple[str, str]]] = {}
    for _ in range(c.count("producers field")):
        key = c.name("producers field name")
        values = fields.setdefault(key, [])
        for _ in range(c.count("producers value", 2)):
            values.append((c.name("producer name"), c.name("producer version")))
    _expect_end(c)
    mod.producers = fields


def _target_features(c: Cursor, mod: WasmModule) -> None:
    features = []
    for _ in range(c.count("target feature", 2)):
        at = c.pos
        prefix = chr(c.u8("feature prefix"))
        if prefix not in "+-=":
            raise c.fail(f"unknown feature prefix {prefix!r}", at)
        features.append((prefix, c.name("feature name")))
    _expect_end(c)
    mod.target_features = features


def _source_mapping_url(c: Cursor, mod: WasmModule) -> None:
    url = c.name("source map URL")
    _expect_end(c)
    mod.source_mapping_url = url


def _mem_info(c: Cursor, d: Dylink) -> None:
    d.mem_size = c.u32("memory size")
    d.mem_align = c.u32("memory alignment")
    d.table_size = c.u32("table size")
    d.table_align = c.u32("table alignment")


def _needed(c: Cursor, d: Dylink) -> None:
    d.needed = [c.name("needed library") for _ in range(c.count("needed library"))]


def _dylink0(c: Cursor, mod: WasmModule) -> None:
    d = Dylink()
    while c.pos < c.end:  # each subsection consumes at least its two header bytes
        kind = c.u8("subsection id")
        size = c.u32("subsection size")
        if size > c.remaining:
            raise c.fail(f"subsection {kind} claims {size} bytes but has {c.remaining}")
        sub = Cursor(c.mv, c.pos, c.pos + size, f"{c.where} subsection {kind}")
        if kind == _MEM_INFO:
            _mem_info(sub, d)
            _expect_end(sub)
        elif kind == _NEEDED:
            _needed(sub, d)
            _expect_end(sub)
        c.pos += size  # unknown subsections are skipped by size
    mod.dylink = d


def _dylink_legacy(c: Cursor, mod: WasmModule) -> None:
    d = Dylink()
    _mem_info(c, d)
    _needed(c, d)
    _expect_end(c)
    mod.dylink = d


def _expect_end(c: Cursor) -> None:
    if c.pos != c.end:
        raise c.fail(f"{c.end - c.pos} unexpected bytes at the end")


_READERS = {
    "producers": _producers,
    "target_features": _target_features,
    "sourceMappingURL": _source_mapping_url,
    "dylink.0": _dylink0,
    "dylink": _dylink_legacy,
}


def read_custom(mv: memoryview, mod: WasmModule, offset: int, start: int, end: int) -> None:
    """Record the custom section whose payload is ``mv[start:end]``."""
    c = Cursor(mv, start, end, "custom section")
    name = c.name("custom section name")   # a custom section without a name is malformed
    mod.custom_sections.append(CustomSection(name, offset, c.pos, end - c.pos))
    if name == "name":
        mod.name_section_size = end - c.pos
    elif name.startswith(".debug_"):
        mod.has_dwarf = True
        mod.debug_sections_size += end - c.pos
    reader = _READERS.get(name)
    if reader is None:
        return
    c.where = f"custom section {name!r}"
    try:
        reader(c, mod)
    except WasmParseError as e:
        mod.warnings.append((e.message, e.offset))
