"""Reading WebAssembly binaries: see :func:`wasmlint.wasm.reader.parse_module`."""
from .reader import (
    CustomSection, Dylink, Export, Import, Limits, Memory, Section, Table, WasmModule,
    WasmParseError, parse_module,
)

__all__ = [
    "parse_module", "WasmParseError", "WasmModule", "Section", "Import", "Export",
    "Memory", "Table", "Limits", "CustomSection", "Dylink",
]
