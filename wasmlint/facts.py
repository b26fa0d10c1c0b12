"""Facts: small typed records of what a source found in one file.

Every fact has a ``kind`` (its JSON name) and a ``span`` (where it came from).
Values are normalised (pages and bytes, flags as lists). Sub-spans a fix may
need to edit are kept as extra ``Span`` fields. Derived attributes that rules
read are plain properties; ones that need the run's context (targets, policy,
node version, the project graph) are methods taking a ``Context``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Span:
    """A region of a file. Lines and columns are 1-based; end is exclusive.

    ``offset``/``end_offset`` are byte offsets in the file (binaries always have
    them; text sources set them when cheap, for fixes).
    """

    path: str
    line: int = 1
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    offset: int | None = None
    end_offset: int | None = None

    def __init__(self, path: str, line: int = 1, column: int = 1, end_line: int | None = None,
                 end_column: int | None = None, offset: int | None = None, end_offset: int | None = None):
        # the fields written straight into the instance: a frozen dataclass's own __init__
        # sets each through object.__setattr__, which made a span cost more than finding
        # its line and column (every word of every launch and link has four spans)
        d = self.__dict__
        d["path"], d["line"], d["column"], d["end_line"] = path, line, column, end_line
        d["end_column"], d["offset"], d["end_offset"] = end_column, offset, end_offset

    def __hash__(self) -> int:
        # worked out once: spans key the link's edges, the findings' root-cause groups and
        # the scopes' maps, each asking again (a frozen dataclass's hash is a new tuple's)
        d = self.__dict__
        h = d.get("_hash")
        if h is None:
            h = d["_hash"] = hash((self.path, self.line, self.column, self.end_line, self.end_column,
                                   self.offset, self.end_offset))
        return h

    def __getstate__(self) -> dict:
        # a string's hash differs between processes: a span sent to another is hashed again there
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line if self.end_line is not None else self.line,
            "end_column": self.end_column if self.end_column is not None else self.column,
            "offset": self.offset,
            "end_offset": self.end_offset,
        }

    @classmethod
    def from_json(cls, d: dict) -> "Span":
        return cls(d["path"], d["line"], d["column"], d.get("end_line"), d.get("end_column"),
                   d.get("offset"), d.get("end_offset"))


@dataclass
class Fact:
    """Base of every fact. Subclasses set ``kind`` as a ClassVar."""

    kind: ClassVar[str] = "fact"
    span: Span

    def to_json(self) -> dict:
        out: dict[str, Any] = {"kind": self.kind}
        for f in dataclasses.fields(self):
            if f.name.startswith("_") or f.metadata.get("internal"):
                continue
            out[f.name] = _jsonable(getattr(self, f.name))
        return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, Span):
        return v.to_json()
    if isinstance(v, Fact):
        return v.to_json()
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return {f.name: _jsonable(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (bytes, bytearray)):
        return v.hex()
    if isinstance(v, (set, frozenset)):         # a set of options (cargo's ``--lib``…), in one order
        return sorted((_jsonable(x) for x in v), key=repr)
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)       # any other value is shown as its text, never a serialisation error


def internal(default: Any = None, **kw: Any) -> Any:
    """A dataclass field that is kept for rules/fixes but not shown in JSON."""
    if "default_factory" in kw:
        return field(metadata={"internal": True}, **kw)
    return field(default=default, metadata={"internal": True}, **kw)
