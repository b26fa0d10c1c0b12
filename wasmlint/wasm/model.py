"""The records :func:`wasmlint.wasm.reader.parse_module` returns.

Offsets are byte offsets into the file. Sizes of memories and tables are in
pages / elements as declared; ``page_size`` gives the byte size of one page.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SECTION_NAMES = {
    0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory",
    6: "global", 7: "export", 8: "start", 9: "element", 10: "code", 11: "data",
    12: "datacount", 13: "tag",
}
EXTERNAL_KINDS = ("func", "table", "memory", "global", "tag")
DEFAULT_PAGE_SIZE_LOG2 = 16


@dataclass
class Section:
    id: int
    name: str            # the section kind ("custom" for custom sections)
    offset: int          # the section id byte
    payload_offset: int  # first byte after the size LEB
    payload_size: int


@dataclass
class Limits:
    initial: int
    maximum: int | None
    shared: bool
    is64: bool                 # memory64 / table64
    page_size_log2: int | None  # memories only, custom-page-sizes proposal
    offset: int                # the limits flags byte
    end_offset: int            # first byte after the limits (and page size)


@dataclass
class Import:
    module: str
    name: str
    kind: str                  # one of EXTERNAL_KINDS
    offset: int                # first byte of the import entry
    limits: Limits | None = None  # memory and table imports


@dataclass
class Export:
    name: str
    kind: str
    index: int
    offset: int


@dataclass
class Memory:
    index: int
    origin: str                # "imported" | "defined"
    import_module: str | None
    import_name: str | None
    initial: int
    maximum: int | None
    shared: bool
    memory64: bool
    page_size_log2: int | None
    offset: int
    end_offset: int
    exported_as: list[str] = field(default_factory=list)

    @property
    def page_size(self) -> int:
        log2 = DEFAULT_PAGE_SIZE_LOG2 if self.page_size_log2 is None else self.page_size_log2
        return 1 << log2


@dataclass
class Table:
    index: int
    origin: str
    import_module: str | None
    import_name: str | None
    element_type: str          # "funcref", "externref", "(ref null 3)", ...
    initial: int
    maximum: int | None
    table64: bool
    offset: int                # the limits flags byte
    exported_as: list[str] = field(default_factory=list)


@dataclass
class CustomSection:
    name: str
    offset: int          # the section id byte
    payload_offset: int  # first byte after the custom section's name
    payload_size: int    # bytes after the name


@dataclass
class Dylink:
    mem_size: int = 0
    mem_align: int = 0
    table_size: int = 0
    table_align: int = 0
    needed: list[str] = field(default_factory=list)


@dataclass
class WasmModule:
    version: int
    is_component: bool
    size: int
    sections: list[Section] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    memories: list[Memory] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    globals_count: int = 0             # imported + defined
    exports: list[Export] = field(default_factory=list)
    start: int | None = None
    func_count: int = 0                # imported + defined
    type_count: int = 0                # types defined (rec group members counted)
    tag_count: int = 0                 # imported + defined
    data_count: int = 0
    element_count: int = 0
    code_size: int = 0
    code_function_count: int = 0
    custom_sections: list[CustomSection] = field(default_factory=list)
    producers: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    target_features: list[tuple[str, str]] = field(default_factory=list)
    source_mapping_url: str | None = None
    dylink: Dylink | None = None
    name_section_size: int = 0
    has_dwarf: bool = False
    debug_sections_size: int = 0
    warnings: list[tuple[str, int]] = field(default_factory=list)

    def section(self, name: str) -> Section | None:
        """The first section of that kind, or None."""
        return next((s for s in self.sections if s.name == name), None)
