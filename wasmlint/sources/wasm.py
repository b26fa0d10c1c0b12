"""WebAssembly binaries → ``memory`` and ``wasm-module`` facts.

Reads sections through ``wasmlint.wasm.reader`` (never decodes code). Modules
embedded in JavaScript are read through ``facts_from_bytes`` with a virtual
path ``loader.js#wasm@OFFSET`` and an anchor span in the JS file.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import ClassVar

from ..facts import Fact, Span, internal
from ..memory import PAGE, MemoryLike
from . import ParseError, SourceFile

_TOOLCHAIN_HINTS = (
    ("emscripten", "emscripten"), ("wasm-bindgen", "wasm-bindgen"), ("rustc", "rust"),
    ("assemblyscript", "assemblyscript"), ("go", "go"), ("tinygo", "tinygo"),
    ("zig", "zig"), ("clang", "clang"),
)


@dataclass
class MemoryFact(MemoryLike, Fact):
    """A memory of a binary module: defined in it or imported by it."""

    kind: ClassVar[str] = "memory"
    index: int = 0
    origin: str = "defined"
    import_: dict | None = None
    initial_pages: int = 0
    maximum_pages: int | None = None
    shared: bool = False
    memory64: bool = False
    page_size: int | None = None
    exported_as: list[str] = field(default_factory=list)
    toolchain: str | None = internal()
    virtual_path: str | None = internal()
    grown_in_code: bool | None = internal()   # a memory.grow in the code (None: not decoded)

    def never_grown(self, ctx) -> bool:
        from ..memory_growth import never_grown
        return never_grown(self, ctx)

    def to_json(self) -> dict:
        out = super().to_json()
        out["import"] = out.pop("import_")
        return out

    @property
    def imported(self) -> bool:
        return self.origin == "imported"

    # WL305 on a binary: an Emscripten threaded build imports its shared memory, and emcc
    # declares its maximum = initial unless ALLOW_MEMORY_GROWTH is on (a shared memory must
    # declare a maximum): a maximum above the initial size is a threaded build with growth.
    # Only modules Emscripten may have written: no producers naming another toolchain (a
    # wasi-sdk or Rust threaded module grows by design), the memory imported from `env` or
    # from a minified name (`a.a`), never from wasm-bindgen's `wbg`.
    wasm_output: ClassVar[bool] = True
    growth_warning_silenced: ClassVar[bool] = False
    thread_flag: ClassVar[str] = "shared"

    @property
    def pthreads(self) -> bool:
        module = (self.import_ or {}).get("module", "")
        return self.shared and self.toolchain in (None, "emscripten") and (module == "env" or 0 < len(module) <= 2)

    @property
    def growth(self) -> bool:
        return self.growable

    @property
    def label(self) -> str:
        if self.import_:
            return f"imported memory `{self.import_['module']}.{self.import_['name']}`"
        return f"memory {self.index}"

    def fix_pin_memory(self, ctx) -> str:
        """How to rebuild this module with a fixed memory, in its toolchain's terms."""
        pages = self.pin_pages(ctx) or self.initial_pages
        size = pages * PAGE
        if self.toolchain == "emscripten":
            return f"link with `-sALLOW_MEMORY_GROWTH=0 -sINITIAL_MEMORY={size}` ({pages} pages)"
        if self.toolchain in ("rust", "wasm-bindgen", "clang", "zig"):
            return (f"link with `-C link-arg=--initial-memory={size} -C link-arg=--max-memory={size}` "
                    f"(wasm-ld; {pages} pages)")
        if self.toolchain == "assemblyscript":
            return f"compile with `--initialMemory {pages} --maximumMemory {pages}`"
        return f"declare maximum = initial = {pages} pages ({size} bytes) when building"


@dataclass
class WasmModuleFact(Fact):
    """One binary module: its size, sections and producers."""

    kind: ClassVar[str] = "wasm-module"
    size: int = 0
    version: int = 1
    component: bool = False
    code_size: int = 0
    function_count: int = 0
    imports: int = 0
    exports: list[str] = field(default_factory=list)
    custom_sections: list[str] = field(default_factory=list)
    debug_sections_size: int = 0
    name_section_size: int = 0
    has_dwarf: bool = False
    source_mapping_url: str | None = None
    producers: dict = field(default_factory=dict)
    target_features: list[str] = field(default_factory=list)
    toolchain: str | None = None
    embedded_in: str | None = None
    virtual_path: str | None = internal()
    digest: str | None = internal()    # SHA-256 of an embedded module's bytes (a file's is its content's)

    def size_overruns(self, ctx) -> list[dict]:
        """Platform targets whose size limit this module exceeds by itself (WL601)."""
        from ..platform_checks import module_overruns
        return module_overruns(self, ctx)

    def graph_refs(self) -> list:
        from ..graph import Ref
        return [Ref("embeds", self.virtual_path, self.span)] if self.virtual_path else []

    @property
    def shared_memory(self) -> bool:
        return "shared-mem" in self.target_features


def _toolchain(producers: dict) -> str | None:
    names = " ".join(n.lower() for pairs in producers.values() for n, _ in pairs)
    for needle, name in _TOOLCHAIN_HINTS:
        if needle in names.split() or needle in names:
            return name
    return None


def extract(src: SourceFile) -> list[Fact]:
    return facts_from_bytes(src.data, src.path)


def facts_from_bytes(data, path: str, anchor: Span | None = None) -> list[Fact]:
    """Facts of one module. With ``anchor`` (an embedded module), spans point at
    the JS literal and keep the byte offset inside the module."""
    from ..wasm.reader import WasmParseError, parse_module

    def at(offset: int | None, end: int | None = None) -> Span:
        if anchor is not None:
            return Span(anchor.path, anchor.line, anchor.column, anchor.end_line, anchor.end_column,
                        offset, end)
        return Span(path, 1, 1, 1, 1, offset, end)

    digest = hashlib.sha256(data).hexdigest() if anchor is not None else None
    try:
        mod = parse_module(data)
    except WasmParseError as exc:
        return [ParseError(at(exc.offset), message=f"malformed WebAssembly module: {exc.message} "
                                                      f"(at byte 0x{exc.offset:x})")]
    if mod.is_component:
        return [WasmModuleFact(at(0, mod.size), size=mod.size, version=mod.version, component=True,
                               embedded_in=anchor.path if anchor else None,
                               virtual_path=path if anchor else None, digest=digest)]
    producers = {k: list(v) for k, v in (mod.producers or {}).items()}
    toolchain = _toolchain(producers)
    facts: list[Fact] = [WasmModuleFact(
        at(0, mod.size), size=mod.size, version=mod.version, component=mod.is_component,
        code_size=mod.code_size, function_count=mod.func_count, imports=len(mod.imports),
        exports=[e.name for e in mod.exports],
        custom_sections=[c.name for c in mod.custom_sections],
        debug_sections_size=mod.debug_sections_size, name_section_size=mod.name_section_size,
        has_dwarf=mod.has_dwarf, source_mapping_url=mod.source_mapping_url,
        producers=producers, target_features=[f"{p}{n}" for p, n in mod.target_features],
        toolchain=toolchain, embedded_in=anchor.path if anchor else None,
        virtual_path=path if anchor else None, digest=digest)]
    grows: list[bool | None] = []        # decoded once, for the first defined memory that may grow
    for m in mod.memories:
        imp = {"module": m.import_module, "name": m.import_name} if m.origin == "imported" else None
        if not grows and imp is None and toolchain != "emscripten" and (m.maximum is None or m.maximum > m.initial):
            grows.append(_grows(data, mod))
        facts.append(MemoryFact(
            at(m.offset, m.end_offset), index=m.index, origin=m.origin, import_=imp,
            initial_pages=m.initial, maximum_pages=m.maximum, shared=m.shared, memory64=m.memory64,
            page_size=None if m.page_size_log2 is None else 1 << m.page_size_log2,
            exported_as=list(m.exported_as), toolchain=toolchain,
            virtual_path=path if anchor else None, grown_in_code=grows[0] if grows and imp is None else None))
    return facts


def _grows(data, mod) -> bool | None:
    from ..wasm.grow_scan import grows_memory
    code = next((s for s in mod.sections if s.name == "code"), None)
    # a module with no code declares only (a stub): its limits say what it is
    return None if code is None else grows_memory(data, code.payload_offset, code.payload_size)
