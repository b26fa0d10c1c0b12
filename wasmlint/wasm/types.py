"""Type encodings: value/reference/heap types, the type section's entries
(incl. GC rec groups and subtypes), limits, and constant expressions.

Nothing here recurses on input: rec groups hold subtypes, which hold one
composite type; reference types hold one heap type.
"""
from __future__ import annotations

from .leb import Cursor
from .model import Limits

NUM_TYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128"}
PACKED_TYPES = {0x78: "i8", 0x77: "i16"}
ABSTRACT_HEAP_TYPES = {
    0x70: "func", 0x6F: "extern", 0x6E: "any", 0x6D: "eq", 0x6C: "i31",
    0x6B: "struct", 0x6A: "array", 0x71: "none", 0x72: "noextern", 0x73: "nofunc",
    0x69: "exn", 0x74: "noexn", 0x68: "cont", 0x75: "nocont",
}
REF_NULL, REF = 0x63, 0x64  # (ref null ht), (ref ht)
SHARED = 0x65


def heap_type(c: Cursor) -> str:
    """An s33 heap type: a type index, or an abstract type (optionally shared)."""
    at = c.pos
    if c.pos < c.end and c.mv[c.pos] == SHARED:
        c.pos += 1
        b = c.u8("shared heap type")
        if b not in ABSTRACT_HEAP_TYPES:
            raise c.fail(f"unknown shared heap type 0x{b:02x}", at)
        return f"(shared {ABSTRACT_HEAP_TYPES[b]})"
    v = c.sleb(33, "heap type")
    if v >= 0:
        return str(v)
    b = v & 0x7F
    if v < -64 or b not in ABSTRACT_HEAP_TYPES:
        raise c.fail(f"unknown heap type 0x{b:02x}", at)
    return ABSTRACT_HEAP_TYPES[b]


def ref_type_after(c: Cursor, b: int, at: int) -> str | None:
    """Finish a reference type whose first byte ``b`` was read; None if ``b`` is not one."""
    if b == REF_NULL or b == REF:
        ht = heap_type(c)
        return f"(ref null {ht})" if b == REF_NULL else f"(ref {ht})"
    if b in ABSTRACT_HEAP_TYPES:
        return ABSTRACT_HEAP_TYPES[b] + "ref"
    if b == SHARED:
        c.pos = at
        return f"(ref null {heap_type(c)})"
    return None


def ref_type(c: Cursor) -> str:
    at = c.pos
    b = c.u8("reference type")
    rt = ref_type_after(c, b, at)
    if rt is None:
        raise c.fail(f"unknown reference type 0x{b:02x}", at)
    return rt


def val_type(c: Cursor, packed: bool = False) -> str:
    at = c.pos
    b = c.u8("value type")
    if b in NUM_TYPES:
        return NUM_TYPES[b]
    if packed and b in PACKED_TYPES:
        return PACKED_TYPES[b]
    rt = ref_type_after(c, b, at)
    if rt is None:
        raise c.fail(f"unknown value type 0x{b:02x}", at)
    return rt


def _field_type(c: Cursor) -> None:
    val_type(c, packed=True)
    at = c.pos
    if c.u8("field mutability") > 1:
        raise c.fail("invalid field mutability", at)


def _composite_type(c: Cursor) -> None:
    at = c.pos
    form = c.u8("type form")
    if form == SHARED:
        at = c.pos
        form = c.u8("type form")
    if form == 0x60:  # func
        for _ in range(c.count("parameter")):
            val_type(c)
        for _ in range(c.count("result")):
            val_type(c)
    elif form == 0x5F:  # struct
        for _ in range(c.count("field", 2)):
            _field_type(c)
    elif form == 0x5E:  # array
        _field_type(c)
    elif form == 0x5D:  # cont (stack switching)
        c.u32("continuation type index")
    else:
        raise c.fail(f"unknown type form 0x{form:02x}", at)


def _sub_type(c: Cursor) -> None:
    b = c.mv[c.pos] if c.pos < c.end else None
    if b in (0x50, 0x4F):  # sub / sub final
        c.pos += 1
        for _ in range(c.count("supertype")):
            c.u32("supertype index")
    _composite_type(c)


def type_entry(c: Cursor) -> int:
    """Skip one entry of the type section; return how many types it defines."""
    if c.pos < c.end and c.mv[c.pos] == 0x4E:  # rec group
        c.pos += 1
        n = c.count("rec group member")
        for _ in range(n):
            _sub_type(c)
        return n
    _sub_type(c)
    return 1


def limits(c: Cursor, memory: bool) -> Limits:
    at = c.pos
    flags = c.u8("limits flags")
    allowed = 0x0F if memory else 0x07
    if flags & ~allowed:
        kind = "memory" if memory else "table"
        raise c.fail(f"invalid {kind} limits flags 0x{flags:02x}", at)
    is64 = bool(flags & 0x04)
    read = c.u64 if is64 else c.u32
    initial = read("initial size")
    maximum = read("maximum size") if flags & 0x01 else None
    page_log2 = c.u32("page size") if flags & 0x08 else None
    return Limits(initial, maximum, bool(flags & 0x02), is64, page_log2, at, c.pos)


def table_type(c: Cursor) -> tuple[str, Limits]:
    return ref_type(c), limits(c, memory=False)


def global_type(c: Cursor) -> None:
    val_type(c)
    at = c.pos
    if c.u8("global mutability") > 3:  # bit 0 mutable, bit 1 shared
        raise c.fail("invalid global mutability", at)


# Constant-expression opcodes: what follows each one.
_U32, _S32, _S64, _HEAP, _NONE = "u32", "s32", "s64", "heap", "none"
_CONST_OPS = {
    0x41: _S32, 0x42: _S64, 0x23: _U32, 0xD2: _U32, 0xD0: _HEAP,
    0x6A: _NONE, 0x6B: _NONE, 0x6C: _NONE, 0x7C: _NONE, 0x7D: _NONE, 0x7E: _NONE,
}
# 0xfb-prefixed GC instructions allowed in constant expressions.
_GC_CONST_OPS = {0: 1, 1: 1, 6: 1, 7: 1, 8: 2, 0x1A: 0, 0x1B: 0, 0x1C: 0}


def const_expr(c: Cursor) -> None:
    """Skip a constant expression up to and including its ``end``."""
    while True:  # every iteration consumes at least the opcode byte
        at = c.pos
        op = c.u8("constant expression")
        if op == 0x0B:
            return
        arg = _CONST_OPS.get(op)
        if arg == _S32:
            c.sleb(32, "i32.const immediate")
        elif arg == _S64:
            c.sleb(64, "i64.const immediate")
        elif arg == _U32:
            c.u32("index immediate")
        elif arg == _HEAP:
            heap_type(c)
        elif op == 0x43:
            c.skip(4, "f32.const immediate")
        elif op == 0x44:
            c.skip(8, "f64.const immediate")
        elif op == 0xFD:
            sub = c.u32("SIMD opcode")
            if sub != 12:
                raise c.fail(f"opcode 0xfd {sub} is not allowed in a constant expression", at)
            c.skip(16, "v128.const immediate")
        elif op == 0xFB:
            sub = c.u32("GC opcode")
            if sub not in _GC_CONST_OPS:
                raise c.fail(f"opcode 0xfb {sub} is not allowed in a constant expression", at)
            for _ in range(_GC_CONST_OPS[sub]):
                c.u32("GC immediate")
        elif arg is None:
            raise c.fail(f"opcode 0x{op:02x} is not allowed in a constant expression", at)
