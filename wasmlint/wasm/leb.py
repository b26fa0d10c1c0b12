"""A bounds-checked cursor over a memoryview with strict LEB128 decoding.

Every read either consumes input or raises :class:`WasmParseError`; nothing is
allocated before the bytes that justify it have been checked to exist.
"""
from __future__ import annotations

import re


class WasmParseError(Exception):
    """The binary is malformed. ``offset`` is the byte where reading failed."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message, offset)  # args kept whole: the error pickles across processes
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} (at byte 0x{self.offset:x})"


# A vector of strict u32 LEBs: at most 5 bytes, the 5th with its unused bits zero.
U32_VECTOR_RE = re.compile(
    rb"(?:[\x00-\x7f]|[\x80-\xff][\x00-\x7f]|[\x80-\xff]{2}[\x00-\x7f]"
    rb"|[\x80-\xff]{3}[\x00-\x7f]|[\x80-\xff]{4}[\x00-\x0f])*"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))


def count_u32_vector(data: memoryview) -> int | None:
    """Count the u32 LEBs that exactly fill ``data``; None if it is not such a run."""
    if U32_VECTOR_RE.fullmatch(data) is None:
        return None
    return len(bytes(data).translate(None, _HIGH_BYTES))


class Cursor:
    """Reads ``mv[pos:end]``; ``where`` names the region for error messages."""

    __slots__ = ("mv", "pos", "end", "where")

    def __init__(self, mv: memoryview, pos: int, end: int, where: str) -> None:
        self.mv = mv
        self.pos = pos
        self.end = end
        self.where = where

    # -- errors ---------------------------------------------------------
    def eof(self, what: str, at: int | None = None) -> WasmParseError:
        at = self.pos if at is None else at
        return WasmParseError(f"unexpected end of {self.where} while reading {what}", at)

    def fail(self, message: str, at: int | None = None) -> WasmParseError:
        return WasmParseError(f"{message} in {self.where}", self.pos if at is None else at)

    # -- primitives -----------------------------------------------------
    @property
    def remaining(self) -> int:
        return self.end - self.pos

    def u8(self, what: str = "a byte") -> int:
        if self.pos >= self.end:
            raise self.eof(what)
        b = self.mv[self.pos]
        self.pos += 1
        return b

    def skip(self, n: int, what: str) -> None:
        if n > self.end - self.pos:
            raise self.eof(what)
        self.pos += n

    def take(self, n: int, what: str) -> memoryview:
        if n > self.end - self.pos:
            raise self.eof(what)
        start = self.pos
        self.pos += n
        return self.mv[start:self.pos]

    def _uleb(self, bits: int, what: str) -> int:
        mv, pos, end = self.mv, self.pos, self.end
        if pos < end and mv[pos] < 0x80:  # fast path: one byte
            self.pos = pos + 1
            return mv[pos]
        return self._leb(bits, what, signed=False)

    def u32(self, what: str = "a u32") -> int:
        return self._uleb(32, what)

    def u64(self, what: str = "a u64") -> int:
        return self._uleb(64, what)

    def sleb(self, bits: int, what: str) -> int:
        return self._leb(bits, what, signed=True)

    def _leb(self, bits: int, what: str, signed: bool) -> int:
        """Strict LEB128: at most ceil(bits/7) bytes, unused bits of the last byte zero
        (or, signed, all equal to the sign bit)."""
        mv, pos, end = self.mv, self.pos, self.end
        start = pos
        max_bytes = (bits + 6) // 7
        result = shift = 0
        for i in range(max_bytes):
            if pos >= end:
                raise self.eof(what, pos)
            b = mv[pos]
            pos += 1
            if i == max_bytes - 1:
                if b & 0x80:
                    raise self.fail(f"LEB128 {what} longer than {max_bytes} bytes", start)
                used = bits - 7 * i  # value bits in this byte (signed: the top one is the sign)
                if signed:
                    ext = 0x7F & ~((1 << (used - 1)) - 1)
                    bad = b & ext not in (0, ext)
                else:
                    bad = bool(b & (0x7F & ~((1 << used) - 1)))
                if bad:
                    raise self.fail(f"LEB128 {what} overflows {'s' if signed else 'u'}{bits}", start)
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                if signed and b & 0x40:
                    result -= 1 << shift
                break
        self.pos = pos
        return result

    def count(self, what: str, min_size: int = 1) -> int:
        """A vector length, checked against the bytes left (``min_size`` per entry)."""
        at = self.pos
        n = self.u32(f"{what} count")
        if n * min_size > self.end - self.pos:
            raise WasmParseError(
                f"{self.where} claims {n} {what} entries but has "
                f"{self.end - self.pos} bytes left", at)
        return n

    def name(self, what: str) -> str:
        at = self.pos
        n = self.u32(f"{what} length")
        if n > self.end - self.pos:
            raise WasmParseError(
                f"{what} in {self.where} claims {n} bytes but has {self.end - self.pos} bytes left",
                at)
        raw = self.take(n, what)
        try:
            return str(raw, "utf-8")
        except UnicodeDecodeError:
            raise WasmParseError(f"{what} in {self.where} is not valid UTF-8", at) from None


def encode_uleb(n: int) -> bytes:
    """Unsigned LEB128 of ``n`` (to build modules in tests and benchmarks)."""
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)
