"""The Emscripten release a JS build script requires: a variable named for it whose value is
a release (stockfish.js's ``var expectedEmscripten = "3.1.7"``, which ``build.js`` compares
with ``emcc --version`` before it builds anything; ``const EMSDK_VERSION = '3.1.61'``).

A build script (one that starts emcc, ``js.builds``) that names the release it builds with
says what every link it makes runs on: one of the project's build environments, as the
shell's ``EMSDK_VERSION=…`` is (``toolchain.shell_argv.VERSION_VARS``)."""
from __future__ import annotations

import re

from ..facts import Fact
from ..toolchain.emver import EmscriptenVersion, parse_version
from .parse import string_value

# an identifier naming Emscripten or emsdk (any case), then `=` and a quoted X.Y.Z
_PINNED = re.compile(rb"\b([A-Za-z_$][\w$]*(?:[Ee]mscripten|EMSCRIPTEN|[Ee]msdk|EMSDK)[\w$]*)\s*=\s*[\"'`]\d+\.\d+\.\d+")
_NAME_BYTE = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$")
NAMES = (b"Emscripten", b"emscripten", b"EMSCRIPTEN", b"Emsdk", b"emsdk", b"EMSDK")   # in sites.vocabulary()
_REST = re.compile(rb"[\w$]*\s*=\s*[\"'`]\d+\.\d+\.\d+")    # of a match, from the end of a name it holds


def _pinned(data: bytes, sites=None):
    """``_PINNED.finditer(data)``'s matches. Each holds a name of ``NAMES`` and ends where
    ``_REST`` matched from that name's end does, so ``_PINNED`` is searched for only from
    where the name's run of name bytes starts (or the last match ends) to there. The names
    are where the file's one scan (``sites``) found them, else searched for: an expression
    that starts with a class, as ``_PINNED`` does, tries every word of the file (34 MB/s)."""
    found = []
    for name in NAMES:
        hits = sites.offsets(name) if sites is not None else None
        if hits is None:
            hits = [m.start() for m in re.finditer(re.escape(name), data)]
        found.extend((at, at + len(name)) for at in hits)
    pos = 0
    for at, name_end in sorted(found):
        rest = _REST.match(data, name_end)
        if at < pos or rest is None:
            continue
        start = at
        while start > 0 and data[start - 1] in _NAME_BYTE:
            start -= 1
        m = _PINNED.search(data, max(pos, start), rest.end())
        if m is not None:
            pos = m.end()
            yield m


def pinned_releases(doc) -> list[Fact]:
    """``emscripten-version`` facts of the file's declarations ``NAME = "X.Y.Z"`` whose name
    mentions Emscripten or emsdk (``var``/``let``/``const``)."""
    out: list[Fact] = []
    for m in _pinned(doc.data, doc.sites):
        word = doc.root.descendant_for_byte_range(m.start(1), m.end(1))
        decl = word.parent if word is not None and word.type == "identifier" else None
        if decl is None or decl.type != "variable_declarator" or decl.child_by_field_name("name") != word:
            continue
        value = decl.child_by_field_name("value")
        release = string_value(value) if value is not None else None
        if release and parse_version(release) and release.count(".") == 2:
            out.append(EmscriptenVersion(doc.span(value), version=release.strip(), source=m.group(1).decode()))
    return out
