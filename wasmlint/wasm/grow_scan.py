"""Whether a module's code holds a ``memory.grow`` (opcode 0x40): the only way its own
code can grow a memory. Function bodies are decoded instruction by instruction (a 0x40
byte inside an immediate is not the instruction), with the immediates of the MVP,
sign-extension, bulk memory, reference types, tail calls, exceptions, SIMD and threads.
An opcode outside those (GC's 0xfb prefix …) or a malformed body answers None: not known.
Only small code is decoded (``SCAN_LIMIT``): the reader never decodes bodies otherwise."""
from __future__ import annotations

import re

from .leb import Cursor, WasmParseError

SCAN_LIMIT = 512 * 1024       # bytes of code section decoded at most

_NONE = frozenset((0x00, 0x01, 0x05, 0x0a, 0x0b, 0x0f, 0x19, 0x1a, 0x1b, 0xd1, 0xd3, 0xd4,
                   *range(0x45, 0xc5)))
_ONE_INDEX = frozenset((0x07, 0x08, 0x09, 0x0c, 0x0d, 0x10, 0x12, 0x14, 0x15, 0x18, 0x20, 0x21, 0x22, 0x23,
                        0x24, 0x25, 0x26, 0x3f, 0xd2, 0xd5, 0xd6))
_TWO_INDEXES = frozenset((0x11, 0x13))
_BLOCKS = frozenset((0x02, 0x03, 0x04, 0x06))
_MEMARG = frozenset(range(0x28, 0x3f))
# 0xfc prefix: how many index immediates each sub-opcode takes
_FC = {**{k: 0 for k in range(8)}, 8: 2, 9: 1, 10: 2, 11: 1, 12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1}
_FD_LANE = frozenset(range(21, 35))
_FD_MEMARG_LANE = frozenset(range(84, 92))
_FD_MEMARG = frozenset((*range(0, 12), 92, 93))




def _set(codes) -> str:
    return "[" + "".join(f"\\x{c:02x}" for c in sorted(codes)) + "]"


# A run of instructions with plain immediates (most of any body: local.get 3, call 1234,
# i32.add, i32.load offset=8, block with no result …), matched at C speed; the decoder
# below takes the instruction after the run. 0x40 is none of these opcodes, and each
# immediate is matched whole, so a run never holds a memory.grow nor ends inside an instruction.
_LEB = "[\\x80-\\xff]*[\\x00-\\x7f]"      # a LEB, as long as it runs (_skip_leb)
_SHORT_RUN = re.compile("(?:{})*".format("|".join((
    _set(_NONE),
    _set((*_ONE_INDEX, 0x41, 0x42, 0xd0)) + _LEB,
    _set(_TWO_INDEXES) + _LEB + _LEB,
    _set(_MEMARG) + "[\\x00-\\x3f]" + _LEB,                        # a one-byte align (no memory index), offset
    _set(_BLOCKS) + "[\\x40\\x6a-\\x7f]",                           # empty or one-byte block type
    "\\x43[\\x00-\\xff]{4}", "\\x44[\\x00-\\xff]{8}"))).encode("ascii"))


class _Unknown(Exception):
    pass


def grows_memory(data, offset: int, size: int) -> bool | None:
    """``data[offset:offset+size]`` is a code section's payload: True when a body holds
    ``memory.grow``, False when none does, None when that is not known."""
    if size > SCAN_LIMIT:
        return None
    mv = bytes(data[offset:offset + size])
    try:
        pos, count = _leb(mv, 0)
        for _ in range(count):
            pos, body_size = _leb(mv, pos)
            end = pos + body_size
            if end > len(mv):
                return None
            if _body_grows(mv, pos, end):
                return True
            pos = end
    except (_Unknown, IndexError, WasmParseError):
        return None
    return False


def _leb(mv: bytes, pos: int) -> tuple[int, int]:
    """(position after, value) of the unsigned LEB at ``pos``."""
    cursor = Cursor(memoryview(mv), pos, len(mv), "code section")
    value = cursor.u32("an immediate")
    return cursor.pos, value


def _skip_leb(mv: bytes, pos: int) -> int:
    while mv[pos] & 0x80:
        pos += 1
    return pos + 1


def _skip_valtype(mv: bytes, pos: int) -> int:
    b = mv[pos]
    return _skip_leb(mv, pos + 1) if b in (0x63, 0x64) else pos + 1


def _skip_blocktype(mv: bytes, pos: int) -> int:
    b = mv[pos]
    if b == 0x40 or 0x6a <= b <= 0x7f or b in (0x63, 0x64):
        return _skip_valtype(mv, pos)
    return _skip_leb(mv, pos)       # a type index (s33)


def _skip_memarg(mv: bytes, pos: int) -> int:
    pos, align = _leb(mv, pos)
    if align & 0x40:                # multi-memory: a memory index follows
        pos = _skip_leb(mv, pos)
    return _skip_leb(mv, pos)


def _body_grows(mv: bytes, pos: int, end: int) -> bool:
    pos, groups = _leb(mv, pos)
    for _ in range(groups):
        pos = _skip_valtype(mv, _skip_leb(mv, pos))
    short_run = _SHORT_RUN.match
    while pos < end:
        pos = short_run(mv, pos, end).end()
        if pos >= end:
            break
        op = mv[pos]
        pos += 1
        if op in _NONE:
            continue
        if op == 0x40:
            return True
        if op in _ONE_INDEX:
            pos = _skip_leb(mv, pos)
        elif op in _MEMARG:
            pos = _skip_memarg(mv, pos)
        elif op in _BLOCKS:
            pos = _skip_blocktype(mv, pos)
        elif op in _TWO_INDEXES:
            pos = _skip_leb(mv, _skip_leb(mv, pos))
        elif op in (0x41, 0x42, 0xd0):
            pos = _skip_leb(mv, pos)
        elif op == 0x43:
            pos += 4
        elif op == 0x44:
            pos += 8
        elif op == 0x0e:
            pos, n = _leb(mv, pos)
            for _ in range(n + 1):
                pos = _skip_leb(mv, pos)
        elif op == 0x1c:
            pos, n = _leb(mv, pos)
            for _ in range(n):
                pos = _skip_valtype(mv, pos)
        elif op == 0x1f:            # try_table: block type, then catch clauses
            pos, n = _leb(mv, _skip_blocktype(mv, pos))
            for _ in range(n):
                kind = mv[pos]
                pos += 1
                if kind in (0, 1):
                    pos = _skip_leb(mv, pos)
                pos = _skip_leb(mv, pos)
        elif op == 0xfc:
            pos, sub = _leb(mv, pos)
            if sub not in _FC:
                raise _Unknown
            for _ in range(_FC[sub]):
                pos = _skip_leb(mv, pos)
        elif op == 0xfd:
            pos, sub = _leb(mv, pos)
            if sub in _FD_MEMARG:
                pos = _skip_memarg(mv, pos)
            elif sub in _FD_MEMARG_LANE:
                pos = _skip_memarg(mv, pos) + 1
            elif sub in (12, 13):
                pos += 16
            elif sub in _FD_LANE:
                pos += 1
        elif op == 0xfe:
            pos, sub = _leb(mv, pos)
            pos = pos + 1 if sub == 0x03 else _skip_memarg(mv, pos)
        else:
            raise _Unknown
    return False
