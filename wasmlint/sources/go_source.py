"""A Go source file → the WebAssembly a Go process runs itself: the files a
``//go:embed`` directive puts into the binary, in a file that imports a Go
WebAssembly runtime (wazero, extism's Go SDK, which runs on wazero, or
wasmtime-go). Those modules run in that runtime, inside a server or CLI process,
never in a browser: a ``deployment`` on the runtime's platform, so they are judged
against its limits, not a phone's (wasilibs/go-re2's ``libcre2.wasm``).

A ``//go:embed`` of ``.wasm`` files in a package that imports no runtime counts when
its Go module requires one directly (``go.mod``): a package of the module sets the
bytes another instantiates. Otherwise (a web server embedding the frontend it serves)
it says nothing about where the module runs. Read as the Go toolchain reads
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


# a go.mod requirement: `require path v1.2.3`, or `path v1.2.3` inside `require ( … )`; an
# `// indirect` one is a dependency's, not this module's
_REQUIREMENT = re.compile(r"(?P<path>[\w.~/-]+)[ \t]+v\S+[ \t]*(?P<note>//.*)?$")


def direct_requirements(go_mod: str) -> list[str]:
    """The module paths a go.mod requires directly (``replace``/``exclude`` blocks are not requirements)."""
    found, block = [], None
    for raw in go_mod.splitlines():
        line = raw.strip()
        if block is not None:
            if line.startswith(")"):
                block = None
                continue
            body = line if block == "require" else ""
        else:
            verb, _, rest = line.replace("\t", " ").partition(" ")
            if rest.strip() == "(":
                block = verb
                continue
            body = rest.strip() if verb == "require" else ""
        m = _REQUIREMENT.match(body)
        if m and "indirect" not in (m.group("note") or ""):
            found.append(m.group("path"))
    return found


def module_runtime(src: SourceFile) -> tuple[str, str] | None:
    """The runtime the Go module of ``src`` requires (its nearest ``go.mod`` above)."""
    import posixpath
    from ..toolchain.project_files import ProjectFiles
    files = ProjectFiles(src)
    folder = files.rel_dir
    for _ in range(32):
        text = files.read(posixpath.join(folder, "go.mod") if folder != "." else "go.mod")
        if text is not None:
            return runtime_of(direct_requirements(text))
        if folder == ".":
            return None
        folder = posixpath.dirname(folder) or "."
    return None


def extract(src: SourceFile) -> list[Fact]:
    """A ``deployment`` on the runtime's platform for each ``//go:embed``: in a file that
    imports a runtime, of what it embeds; else of the ``.wasm`` files it names, when its Go
    module requires a runtime directly (ncruces/go-sqlite3's ``embed`` package sets the
    bytes its wazero-running package instantiates)."""
    data = bytes(src.data)
    if b"//go:embed" not in data or b".wasm" not in data and not any(p.encode() in data for p, _, _ in RUNTIMES):
        return []
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    embeds = embed_patterns(text)
    runtime = runtime_of(imports(text))
    where = "a Go file that runs it with {}"
    if runtime is None:
        embeds = [(at, wasm) for at, pats in embeds if (wasm := [p for p in pats if p.endswith(".wasm")])]
        runtime = module_runtime(src) if embeds else None
        where = "a Go module that requires {} (go.mod)"
    if runtime is None:
        return []
    from ..deployment import Deployment
    from ..textpos import LineIndex
    idx = LineIndex(text, src.path)
    platform, name = runtime
    return [Deployment(idx.span(at, at + len("//go:embed")), platform=platform,
                       via=f"`//go:embed` of {where.format(name)}", entries=pats, bundle=False)
            for at, pats in embeds]
