"""Sources: one module per input kind turns one file into facts.

A source module ``wasmlint.sources.<kind>`` defines
``extract(src: SourceFile) -> list[Fact]``. It must be a pure function of the
file's bytes (results are cached by content). Unreadable input becomes a
``ParseError`` fact (rule WL001), never an exception.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from ..facts import Fact, Span


@dataclass
class ParseError(Fact):
    """A file of a known kind could not be read or parsed (WL001)."""

    kind: ClassVar[str] = "parse-error"
    message: str = ""

    def build_input(self, ctx) -> str | None:
        """The file is JavaScript an emcc link pastes into its glue (``--pre-js`` …), a
        fragment that need not parse alone: how it is used, else None."""
        project = getattr(ctx, "project", None)
        return project.emcc_js_input(self.span.path) if project is not None else None


@dataclass
class ToolMissing(Fact):
    """A check needs an external tool that was not found (WL003)."""

    kind: ClassVar[str] = "tool-missing"
    tool: str = ""
    needed_for: str = ""
    install: str = ""


@dataclass
class SourceFile:
    path: str                    # display path
    kind: str
    data: Any                    # bytes, or an mmap for binaries
    abspath: str = ""
    root: str = ""               # the folder the run was given (response files stay inside it)
    read_others: bool = False    # facts depend on other files (response files): not cacheable
    others: dict = field(default_factory=dict)   # display path → (abspath, SHA-256) of other files read

    @cached_property
    def text(self) -> str:
        """The file as text (UTF-8, BOM dropped). Raises UnicodeDecodeError."""
        raw = bytes(self.data)
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        return raw.decode("utf-8")

    @cached_property
    def text_as_read(self) -> str:
        """The text as a shell reads it: bytes that are not UTF-8 (a Latin-1 comment) are
        characters like any other, here U+FFFD, never an error."""
        raw = bytes(self.data)
        return (raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw).decode("utf-8", "replace")

    def span(self, line: int = 1, column: int = 1, end_line: int | None = None,
             end_column: int | None = None, offset: int | None = None,
             end_offset: int | None = None) -> Span:
        return Span(self.path, line, column, end_line, end_column, offset, end_offset)

    def error(self, message: str, **where: Any) -> ParseError:
        return ParseError(self.span(**where), message=message)

    def text_if(self, wanted) -> tuple[str | None, list[Fact]]:
        """``decode_or_error()`` of a file whose bytes ``wanted`` accepts (a prefilter such as
        "it names ``linkopts``"), else (None, []): the file is not read."""
        return self.decode_or_error() if wanted(bytes(self.data)) else (None, [])

    def decode_or_error(self) -> tuple[str | None, list[Fact]]:
        """The text, or a WL001 fact pointing at the first undecodable byte."""
        try:
            return self.text, []
        except UnicodeDecodeError as exc:
            raw = bytes(self.data)
            line = raw.count(b"\n", 0, exc.start) + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            return None, [self.error(f"not valid UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                                     line=line, column=col, offset=exc.start)]


def load_json(src: "SourceFile", comments: bool = False):
    """(LineIndex, root JNode) of a JSON file with positions, or (None, [WL001 fact]).
    ``comments``: JSON with comments and trailing commas (``.jsonc``)."""
    from .. import jsonpos
    from ..textpos import LineIndex
    text, errors = src.decode_or_error()
    if text is None:
        return None, errors
    idx = LineIndex(text, src.path)
    try:
        return idx, jsonpos.parse(jsonpos.blank_jsonc(text) if comments else text)
    except jsonpos.JsonPosError as exc:
        line, col = idx.line_col(exc.offset)
        return None, [src.error(exc.message, line=line, column=col)]


TEMPLATE_MARKS = ("{{", "{%")     # Liquid, Jinja, cargo-generate, Tera


def load_toml(src: "SourceFile", templated_ok: bool = False):
    """(text, data) of a TOML file, or (None, [WL001 fact]) at tomllib's position.
    ``templated_ok``: a file that does not parse and holds template tags (a cargo-generate
    or create-cloudflare template's ``wrangler.toml``) is a template, not a broken
    file: (None, []) without a finding."""
    from ..tomlsafe import TomlError, loads
    text, errors = src.decode_or_error()
    if text is None:
        return None, errors
    try:
        return text, loads(text)
    except TomlError as exc:
        if templated_ok and any(m in text for m in TEMPLATE_MARKS):
            return None, []
        where = {"line": exc.line, "column": exc.column} if exc.line else {}
        return None, [src.error(f"invalid TOML: {exc}", **where)]


@dataclass
class ExtractResult:
    facts: list[Fact] = field(default_factory=list)


def module_name(kind: str) -> str:
    return "wasmlint.sources." + kind.replace("-", "_")


def load_extractor(kind: str):
    """The ``extract`` function for a kind, or None when no source reads that kind yet."""
    try:
        mod = importlib.import_module(module_name(kind))
    except ModuleNotFoundError as exc:
        if exc.name == module_name(kind):
            return None
        raise
    return getattr(mod, "extract", None)
