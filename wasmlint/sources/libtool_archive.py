"""A libtool archive (``libpng16.la``) → a ``libtool-library`` fact.

``make install`` of a libtool project writes, beside each library, this shell
fragment that libtool sources when a later link names the library: the file names
of the shared library (``library_names``), its static archive (``old_library``),
whether it is installed, and ``shouldnotlink`` — ``yes`` for a ``-module`` built to be
``dlopen``ed at run time, ``no`` for a library meant for links to read (``-lpng16``).
It is read with the shell parser; a file that sets no ``library_names`` says nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..bashtree import parse_bytes
from ..facts import Fact
from ..textpos import LineIndex
from . import SourceFile


@dataclass
class LibtoolLibrary(Fact):
    """What a libtool archive says about the library beside it."""

    kind: ClassVar[str] = "libtool-library"
    library_names: list = field(default_factory=list)   # shared library files, in its folder
    old_library: str | None = None                      # the static archive
    linkable: bool = True                               # shouldnotlink=no: links read it
    installed: bool = False


def extract(src: SourceFile) -> list[Fact]:
    try:
        text = src.text
    except UnicodeDecodeError:
        return []           # not a libtool archive: nothing to read, nothing to report
    raw = text.encode("utf-8")
    values: dict[str, tuple[str, int, int]] = {}
    for node in parse_bytes(raw).root_node.named_children:
        if node.type != "variable_assignment" or node.has_error:
            continue
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        if name is None:
            continue
        values[name.text.decode(errors="replace")] = (_literal(value), node.start_byte, node.end_byte)
    if "library_names" not in values:
        return []
    idx = LineIndex(text, src.path)
    names, start, end = values["library_names"]
    span = idx.span(len(raw[:start].decode()), len(raw[:end].decode()))
    old = values.get("old_library", ("",))[0]
    return [LibtoolLibrary(span, library_names=names.split(), old_library=old or None,
                           linkable=values.get("shouldnotlink", ("no",))[0] != "yes",
                           installed=values.get("installed", ("no",))[0] == "yes")]


def _literal(value) -> str:
    """A value as libtool writes it: a quoted or bare word without expansions."""
    if value is None:
        return ""
    text = value.text.decode(errors="replace")
    if value.type == "raw_string":
        return text[1:-1]
    if value.type == "string" and all(c.type == "string_content" for c in value.named_children):
        return text[1:-1]
    return text if value.type == "word" else ""
