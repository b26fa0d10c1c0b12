"""premake / GENie build scripts (``premake5.lua``, ``genie.lua``) → the emcc link flags
of their projects.

A premake script is Lua calling premake's API: ``project "name"`` opens a project,
``filter {…}`` (premake 5) or ``configuration {…}`` (premake 4, GENie) scopes what
follows to the builds its terms select (``filter {}`` ends it), and ``linkoptions {…}``
adds flags to the link. ``premake5 gmake`` writes them verbatim into the generated
Makefile's ``LDFLAGS`` and ``emmake make`` links through a shell, so each string is a
shell fragment (``"-s 'EXPORTED_RUNTIME_METHODS=[\\"FS\\"]'"``).

Read for the emscripten build of a script that names emscripten: a filter of another
platform (``system:windows``, ``not emscripten``) or of a debug configuration is not
that build and is left out; one of its release configuration or of emscripten is;
one on a user option (``options:profiling``) may or may not apply, an unknown word.
Each project's flags (the workspace's before it, then its own) reach the link the
generated Makefile makes: a flag set; a script that declares no project (GENie's
``exampleProjectDefaults()`` helper that each example's project calls) gives its own.
"""
from __future__ import annotations

import re

from ..facts import Fact
from .emcc import build_facts
from .pstr import UNKNOWN_TEXT, LineIndex, PStr, Tok, shell_split

_TOKEN = re.compile(r"""--\[(=*)\[.*?\]\1\]|--[^\n]*|\[(=*)\[(.*?)\]\2\]|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'"""
                    r"""|[A-Za-z_][A-Za-z_0-9.]*|[{}()]|\S""", re.S)
_OTHER_PLATFORM = re.compile(r"(?i)\bnot\b|windows|win32|win64|linux|macosx|android|\bios\b|xbox|vs20|mingw|x64")
_DEBUG = re.compile(r"(?i)debug")
_DECIDED = re.compile(r"(?i)emscripten|asmjs|wasm|release|^configurations?:|^system:")
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}


def wanted(data: bytes) -> bool:
    return b"linkoptions" in data and (b"emscripten" in data or b"emcc" in data or b"asmjs" in data)


def premake_facts(text: str, path: str) -> list[Fact]:
    if not wanted(text.encode("utf-8", "surrogateescape")):
        return []
    index = LineIndex(text, path)
    tokens = [(m.group(0), m.start()) for m in _TOKEN.finditer(text) if not m.group(0).startswith("--")]
    workspace: list[PStr] = []
    workspace_at: int | None = None
    projects: list[tuple[int, list[PStr]]] = []      # (offset of its first linkoptions, words)
    current: list[PStr] | None = None
    first_at: int | None = None
    scope = "decided"
    i = 0
    while i < len(tokens):
        word, at = tokens[i]
        args, i = _arguments(tokens, i + 1)
        if word == "project":
            if current is not None and first_at is not None:
                projects.append((first_at, current))
            current, first_at, scope = list(workspace), None, "decided"
        elif word in ("filter", "configuration"):
            scope = _scope([s.text for s in args])
        elif word in ("linkoptions", "buildoptions_link") and args is not None:
            if scope == "skip":
                continue
            words = [w for s in args for w in shell_split(s)] if scope == "decided" else [UNKNOWN_TEXT]
            if current is None:
                workspace += words
                workspace_at = at if workspace_at is None else workspace_at
            else:
                current += words
                first_at = at if first_at is None else first_at
    if current is not None and first_at is not None:
        projects.append((first_at, current))
    if not projects and workspace_at is not None:     # flags a function adds to the projects that call it
        projects.append((workspace_at, workspace))
    out: list[Fact] = []
    for at, words in projects:
        out += build_facts([Tok(w, index) for w in words], index.span(at), flag_set=True, complete=False)
    return out + _function_hints(tokens, index) if out else out


_OPENS, _CLOSES = frozenset(("function", "if", "do", "repeat")), frozenset(("end", "until"))


def _function_hints(tokens, index: LineIndex) -> list[Fact]:
    """A Lua function named for examples, tests or benchmarks (GENie's
    ``exampleProjectDefaults()``, which only the examples' projects call) configures that
    material: its body is a ``scope-hint`` of that scope (as a make target so named)."""
    from ..scopes import QUIET
    from ..scopes.conventions import artifact_name_scope
    from ..scopes.hint import ScopeHint
    out: list[Fact] = []
    for k, (word, at) in enumerate(tokens):
        if word != "function" or k + 1 >= len(tokens):
            continue
        name = tokens[k + 1][0].rsplit(".", 1)[-1]
        said = artifact_name_scope(name)
        if said is None or said.scope not in QUIET:
            continue
        depth = 0
        for word2, at2 in tokens[k:]:
            depth += (word2 in _OPENS) - (word2 in _CLOSES)
            if depth == 0:
                out.append(ScopeHint(index.span(at, at2 + len(word2)), scope=said.scope,
                                     reason=f"in Lua function `{name}`"))
                break
    return out


def _scope(terms: list[str]) -> str:
    """"decided" (the emscripten release build applies it), "unknown" or "skip"."""
    if not terms:
        return "decided"
    if any(_OTHER_PLATFORM.search(t) or _DEBUG.search(t) for t in terms):
        return "skip"
    return "decided" if all(_DECIDED.search(t) for t in terms) else "unknown"


def _arguments(tokens, i: int) -> tuple[list[PStr], int]:
    """The strings of a call's argument (``f "s"``, ``f {…}``, ``f({…})``, ``f("a", "b")``)
    and where the tokens after it start."""
    if i >= len(tokens):
        return [], i
    opener = tokens[i][0]
    if opener[:1] in ("'", '"', "["):
        return _strings([tokens[i]]), i + 1
    if opener not in ("{", "("):
        return [], i
    depth, j = 0, i
    while j < len(tokens):
        t = tokens[j][0]
        depth += t in ("{", "(")
        depth -= t in ("}", ")")
        j += 1
        if depth == 0:
            break
    return _strings(tokens[i:j]), j


def _strings(tokens) -> list[PStr]:
    out = []
    for text, at in tokens:
        if text[:1] in ("'", '"'):
            out.append(_decode(text[1:-1], at + 1))
        elif text.startswith("[") and len(text) > 1 and text[1] in "[=":
            open_len = text.index("[", 1) + 1
            out.append(PStr.source(text[open_len:len(text) - open_len], at + open_len))
    return out


def _decode(body: str, start: int) -> PStr:
    parts, i, run = [], 0, 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            parts.append(PStr.source(body[run:i], start + run))
            parts.append(PStr.spread(_ESCAPES.get(body[i + 1], body[i + 1]), start + i, start + i + 2))
            i = run = i + 2
        else:
            i += 1
    parts.append(PStr.source(body[run:], start + run))
    return PStr.join(parts)
