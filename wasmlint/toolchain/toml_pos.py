"""Where keys and string values sit in a TOML file (tomllib keeps no positions).

``tomllib`` decides validity and values; this locator walks the same text once
and records, for every ``key = value`` (full dotted path, with ``[table]`` and
``[[array]]`` headers applied), the key's offset and the value's string pieces
with per-character positions (``PStr``): a basic string, a literal string,
multi-line forms, or each string element of an array. Quoted keys and dotted
keys are handled; inline tables are skipped (their keys get no positions).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .pstr import PStr

_ESC = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Located:
    key_at: int                                     # offset of the key
    end: int                                        # end of the value
    strings: list[PStr] = field(default_factory=list)   # string value, or string elements of an array


class TomlLocator:
    def __init__(self, text: str):
        self.t, self.n = text, len(text)
        self.keys: dict[tuple[str, ...], Located] = {}
        self.tables: dict[tuple[str, ...], int] = {}
        self._walk()

    def get(self, *path: str) -> Located | None:
        return self.keys.get(tuple(path))

    def _ws(self, i: int, newlines: bool = False) -> int:
        while i < self.n:
            c = self.t[i]
            if c in " \t" or (newlines and c in "\r\n"):
                i += 1
            elif c == "#":
                while i < self.n and self.t[i] != "\n":
                    i += 1
            else:
                break
        return i

    def _key(self, i: int) -> tuple[list[str], int]:
        parts: list[str] = []
        while i < self.n:
            i = self._ws(i)
            if i < self.n and self.t[i] in "\"'":
                s, i = self._string(i)
                parts.append(s.text)
            else:
                j = i
                while j < self.n and (self.t[j].isalnum() or self.t[j] in "-_"):
                    j += 1
                parts.append(self.t[i:j])
                i = j
            i = self._ws(i)
            if i < self.n and self.t[i] == ".":
                i += 1
                continue
            return parts, i
        return parts, i

    def _walk(self) -> None:
        table: tuple[str, ...] = ()
        i = 0
        while i < self.n:
            i = self._ws(i, newlines=True)
            if i >= self.n:
                break
            if self.t[i] == "[":
                double = self.t.startswith("[[", i)
                parts, i = self._key(i + (2 if double else 1))
                table = tuple(parts)
                self.tables.setdefault(table, i)
                i = self.t.find("\n", i)
                i = self.n if i < 0 else i
                continue
            start = i
            parts, i = self._key(i)
            if i >= self.n or self.t[i] != "=":
                i = self.t.find("\n", i)
                i = self.n if i < 0 else i + 1
                continue
            i = self._ws(i + 1)
            strings, i = self._value(i)
            self.keys[table + tuple(parts)] = Located(start, i, strings)

    def _value(self, i: int) -> tuple[list[PStr], int]:
        if i >= self.n:
            return [], i
        c = self.t[i]
        if c in "\"'":
            s, i = self._string(i)
            return [s], i
        if c == "[":
            out: list[PStr] = []
            i += 1
            while i < self.n:
                i = self._ws(i, newlines=True)
                if i < self.n and self.t[i] == "]":
                    return out, i + 1
                if i < self.n and self.t[i] == ",":
                    i += 1
                    continue
                got, i = self._value(i)
                out += got
            return out, i
        if c == "{":
            depth = 0
            while i < self.n:
                if self.t[i] in "\"'":
                    _s, i = self._string(i)
                    continue
                depth += {"{": 1, "}": -1}.get(self.t[i], 0)
                i += 1
                if depth == 0:
                    break
            return [], i
        while i < self.n and self.t[i] not in ",]}\n#":
            i += 1
        return [], i

    def _string(self, i: int) -> tuple[PStr, int]:
        q = self.t[i]
        multi = self.t.startswith(q * 3, i)
        delim = q * 3 if multi else q
        i += len(delim)
        if multi and self.t.startswith("\n", i):
            i += 1
        parts: list[PStr] = []
        while i < self.n and not self.t.startswith(delim, i):
            c = self.t[i]
            if q == '"' and c == "\\" and i + 1 < self.n:
                e = self.t[i + 1]
                if e in _ESC:
                    parts.append(PStr.spread(_ESC[e], i, i + 2))
                    i += 2
                elif e in "uU":
                    width = 4 if e == "u" else 8
                    try:
                        parts.append(PStr.spread(chr(int(self.t[i + 2:i + 2 + width], 16)), i, i + 2 + width))
                    except ValueError:
                        pass
                    i += 2 + width
                elif multi and e in " \t\r\n":
                    i += 1
                    while i < self.n and self.t[i] in " \t\r\n":
                        i += 1
                else:
                    i += 2
                continue
            if c == "\n" and not multi:
                break
            parts.append(PStr.source(c, i))
            i += 1
        return (PStr.join(parts) if parts else PStr.synth("")), i + len(delim)
