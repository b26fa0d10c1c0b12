"""A Go source file → the WebAssembly a Go process runs itself: the files a
``//go:embed`` directive puts into the binary, in a file that imports a Go
WebAssembly runtime (wazero, extism's Go SDK, which runs on wazero, or
wasmtime-go). Those modules run in that runtime, inside a server or CLI process,
never in a browser: a ``deployment`` on the runtime's platform, so they are judged
against its limits, not a phone's (wasilibs/go-re2's ``libcre2.wasm``).

A ``//go:embed`` beside no runtime import (a web server embedding the frontend it
serves) says nothing about where the module runs. Read as the Go toolchain reads
them: a directive is a ``//go:embed`` line comment at the start of a line, its
patterns separated by spaces, each bare or a Go string literal; import paths are
the string literals of the ``import`` declarations (grouped or not).
"""
from __future__ import annotations

import re

from ..facts import Fact
from . import SourceFile

# import path prefix → the platform profile (data/platforms) of the runtime it embeds
RUNTIMES: tuple[tuple[str, str, str], ...] = (
    ("github.com/tetratelabs/wazero", "wazero", "wazero"),
    ("github.com/extism/go-sdk", "wazero", "extism's Go SDK (wazero)"),
    ("github.com/bytecodealliance/wasmtime-go", "wasmtime", "wasmtime-go"),
)

_EMBED = re.compile(r"^//go:embed[ \t]+(?P<patterns>[^\r\n]*)$", re.M)
_PATTERN = re.compile(r'"((?:[^"\\\n]|\\.)*)"|`([^`]*)`|(\S+)')
# `import "path"`, `import alias "path"`, `import ( … )`: only what precedes the first
# declaration that is not an import is read (Go puts every import there)
_IMPORT_BLOCK = re.compile(r"^import[ \t]*\((?P<body>.*?)^\)", re.M | re.S)
_IMPORT_ONE = re.compile(r'^import[ \t]+(?:[\w.]+[ \t]+)?"(?P<path>[^"\n]+)"', re.M)
_QUOTED = re.compile(r'"([^"\n]+)"')


def imports(text: str) -> list[str]:
    """The import paths of a Go file."""
    found = [m.group("path") for m in _IMPORT_ONE.finditer(text)]
    for block in _IMPORT_BLOCK.finditer(text):
        body = "\n".join(line.split("//", 1)[0] for line in block.group("body").splitlines())
        found += _QUOTED.findall(body)
    return found


def runtime_of(paths: list[str]) -> tuple[str, str] | None:
    """(platform, runtime name) of the first Go WebAssembly runtime among import paths."""
    for path in paths:
        for prefix, platform, name in RUNTIMES:
            if path == prefix or path.startswith(prefix + "/"):
                return platform, name
    return None


def embed_patterns(text: str) -> list[tuple[int, list[str]]]:
    """(offset, patterns) of each ``//go:embed`` directive; an ``all:`` prefix (hidden files
    too) is not part of the path."""
    out = []
    for m in _EMBED.finditer(text):
        pats = [next(g for g in p.groups() if g is not None) for p in _PATTERN.finditer(m.group("patterns"))]
        pats = [p.removeprefix("all:") for p in pats if p and not p.startswith("//")]
        if pats:
            out.append((m.start(), pats))
    return out


def extract(src: SourceFile) -> list[Fact]:
    data = bytes(src.data)
    if b"//go:embed" not in data or not any(p.encode() in data for p, _, _ in RUNTIMES):
        return []
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    runtime = runtime_of(imports(text))
    if runtime is None:
        return []
    from ..deployment import Deployment
    from ..textpos import LineIndex
    idx = LineIndex(text, src.path)
    platform, name = runtime
    return [Deployment(idx.span(at, at + len("//go:embed")), platform=platform,
                       via=f"`//go:embed` of a Go file that runs it with {name}", entries=pats, bundle=False)
            for at, pats in embed_patterns(text)]
