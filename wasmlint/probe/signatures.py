"""Types of a module's imports and exported functions, for the probe.

The structural reader (``wasmlint.wasm.reader``) frames every section but does
not keep function signatures. Stub imports must return zero values of the right
types and ``--call`` must pass BigInts to i64 parameters, and the JS API cannot
tell either without ``--experimental-wasm-type-reflection`` (a flag that would
change the flag sets being measured). So this module walks the type, import and
function sections again, with the reader's cursor and type decoders.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..wasm import types as T
from ..wasm.leb import Cursor, WasmParseError
from ..wasm.reader import parse_module

__all__ = ["FuncType", "ImportSpec", "ModuleTypes", "read_types", "WasmParseError"]


@dataclass(frozen=True)
class FuncType:
    params: tuple[str, ...]
    results: tuple[str, ...]

    def __str__(self) -> str:
        return f"({', '.join(self.params)}) -> ({', '.join(self.results)})"


@dataclass
class ImportSpec:
    """One import with what a stub needs; ``to_json`` is the harness's plan entry."""

    module: str
    name: str
    kind: str
    func: FuncType | None = None        # func, tag
    type: str | None = None             # global value type
    mutable: bool = False
    element: str | None = None          # table element type
    initial: int = 0
    maximum: int | None = None
    shared: bool = False
    is64: bool = False

    def to_json(self) -> dict:
        out: dict = {"module": self.module, "name": self.name, "kind": self.kind}
        if self.kind == "func":
            out.update(params=list(self.func.params), results=list(self.func.results))
        elif self.kind == "tag":
            out["params"] = list(self.func.params)
        elif self.kind == "global":
            out.update(type=self.type, mutable=self.mutable)
        else:
            out.update(initial=self.initial, maximum=self.maximum)
            if self.kind == "memory":
                out.update(shared=self.shared, memory64=self.is64)
            else:
                out.update(element=self.element, table64=self.is64)
        return out


@dataclass
class ModuleTypes:
    imports: list[ImportSpec] = field(default_factory=list)
    exports: dict[str, FuncType | str] = field(default_factory=dict)  # func type, or the kind
    memories_shared: bool = False
    memory_maximum: int | None = None    # pages of memory 0's declared maximum (wasm32), if any


def _sub_type(c: Cursor, out: list[FuncType | None]) -> None:
    if c.remaining and c.mv[c.pos] in (0x50, 0x4F):  # sub / sub final
        c.pos += 1
        for _ in range(c.count("supertype")):
            c.u32("supertype index")
    at = c.pos
    if c.remaining and c.mv[c.pos] == T.SHARED:
        c.pos += 1
    if c.remaining and c.mv[c.pos] == 0x60:
        c.pos += 1
        params = tuple(T.val_type(c) for _ in range(c.count("parameter")))
        results = tuple(T.val_type(c) for _ in range(c.count("result")))
        out.append(FuncType(params, results))
        return
    c.pos = at
    T._composite_type(c)  # struct, array, cont: skipped by the reader's own decoder
    out.append(None)


def _types(c: Cursor) -> list[FuncType | None]:
    out: list[FuncType | None] = []
    for _ in range(c.count("type")):
        if c.remaining and c.mv[c.pos] == 0x4E:  # rec group
            c.pos += 1
            for _ in range(c.count("rec group member")):
                _sub_type(c, out)
        else:
            _sub_type(c, out)
    return out


def _func_type(types: list[FuncType | None], index: int, c: Cursor, at: int) -> FuncType:
    if index >= len(types) or types[index] is None:
        raise c.fail(f"type index {index} is not a function type", at)
    return types[index]  # type: ignore[return-value]


def _imports(c: Cursor, types: list[FuncType | None]) -> tuple[list[ImportSpec], list[FuncType]]:
    specs, funcs = [], []
    for _ in range(c.count("import", 4)):
        module, name = c.name("import module name"), c.name("import field name")
        kind = c.u8("import kind")
        spec = ImportSpec(module, name, "func")
        if kind == 0:
            at = c.pos
            spec.func = _func_type(types, c.u32("function type index"), c, at)
            funcs.append(spec.func)
        elif kind == 1:
            spec.kind = "table"
            spec.element, lim = T.table_type(c)
            spec.initial, spec.maximum, spec.is64 = lim.initial, lim.maximum, lim.is64
        elif kind == 2:
            spec.kind = "memory"
            lim = T.limits(c, memory=True)
            spec.initial, spec.maximum, spec.shared, spec.is64 = lim.initial, lim.maximum, lim.shared, lim.is64
        elif kind == 3:
            spec.kind, spec.type = "global", T.val_type(c)
            spec.mutable = bool(c.u8("global mutability") & 1)
        elif kind == 4:
            spec.kind = "tag"
            c.u8("tag attribute")
            at = c.pos
            spec.func = _func_type(types, c.u32("tag type index"), c, at)
        else:
            raise c.fail(f"unknown import kind 0x{kind:02x}")
        specs.append(spec)
    return specs, funcs


def read_types(data) -> ModuleTypes:
    """Import specs and export signatures of a core module. Raises WasmParseError."""
    mod = parse_module(data)
    if mod.is_component:
        raise WasmParseError("a component, not a core module: node cannot compile it", 0)
    mv = memoryview(data)
    try:
        def cursor(name: str) -> Cursor | None:
            s = mod.section(name)
            return None if s is None else Cursor(mv, s.payload_offset, s.payload_offset + s.payload_size, name)

        c = cursor("type")
        types = _types(c) if c else []
        c = cursor("import")
        imports, funcs = _imports(c, types) if c else ([], [])
        c = cursor("function")
        if c:
            for _ in range(c.count("function")):
                at = c.pos
                funcs.append(_func_type(types, c.u32("function type index"), c, at))
    finally:
        mv.release()
    out = ModuleTypes(imports=imports, memories_shared=any(m.shared for m in mod.memories),
                      memory_maximum=next((m.maximum for m in mod.memories[:1] if not m.memory64), None))
    for e in mod.exports:
        out.exports[e.name] = funcs[e.index] if e.kind == "func" and e.index < len(funcs) else e.kind
    return out
