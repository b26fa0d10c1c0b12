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
from functools import lru_cache

from .. import budget
from ..facts import Fact
from .emcc import build_facts
from .pstr import UNKNOWN_TEXT, CharOffsets, LineIndex, PStr, Tok, shell_split

_OTHER_PLATFORM = re.compile(r"(?i)\bnot\b|windows|win32|win64|linux|macosx|android|\bios\b|xbox|vs20|mingw|x64")
_DEBUG = re.compile(r"(?i)debug")
_DECIDED = re.compile(r"(?i)emscripten|asmjs|wasm|release|^configurations?:|^system:")
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}
_LINK_OPTIONS = frozenset(("linkoptions", "buildoptions_link"))


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter
    import tree_sitter_lua
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_lua.language()))


def wanted(data: bytes) -> bool:
    return b"linkoptions" in data and (b"emscripten" in data or b"emcc" in data or b"asmjs" in data)


def premake_facts(text: str, path: str) -> list[Fact]:
    data = text.encode("utf-8", "surrogateescape")
    if not wanted(data):
        return []
    return _Reader(text, path, data).facts()


class _Reader:
    """The premake API calls of a script in source order (tree-sitter-lua); a call in
    another call's arguments (a callback, a table of calls) is not read."""

    def __init__(self, text: str, path: str, data: bytes):
        self.index, self.char, self.data = LineIndex(text, path), CharOffsets(text), data
        self.root = budget.parse(_parser(), data).root_node
        self.workspace: list[PStr] = []
        self.workspace_at: int | None = None
        self.projects: list[tuple[int, list[PStr]]] = []   # (offset of its first linkoptions, words)
        self.current: list[PStr] | None = None
        self.first_at: int | None = None
        self.scope = "decided"
        self.hints: list[Fact] = []

    def facts(self) -> list[Fact]:
        self.visit(self.root)
        if self.current is not None and self.first_at is not None:
            self.projects.append((self.first_at, self.current))
        if not self.projects and self.workspace_at is not None:   # flags a function adds to the projects that call it
            self.projects.append((self.workspace_at, self.workspace))
        out: list[Fact] = []
        for at, words in self.projects:
            out += build_facts([Tok(w, self.index) for w in words], self.index.span(at), flag_set=True,
                               complete=False)
        return out + self.hints if out else out

    def visit(self, node) -> None:
        stack = [node]
        while stack:
            n = stack.pop()
            kind = n.type
            if kind == "function_call":
                self.call(n)
                continue                     # its arguments hold no API call of the script's own
            if kind == "function_declaration":
                self.function_hint(n)
            stack.extend(reversed(n.children))

    def call(self, node) -> None:
        name = node.child_by_field_name("name")
        if name is None or name.type != "identifier":
            return
        word = self.text(name)
        if word == "project":
            if self.current is not None and self.first_at is not None:
                self.projects.append((self.first_at, self.current))
            self.current, self.first_at, self.scope = list(self.workspace), None, "decided"
            return
        if word not in ("filter", "configuration") and word not in _LINK_OPTIONS:
            return
        args = self.strings(node.child_by_field_name("arguments"))
        if word in ("filter", "configuration"):
            self.scope = _scope([s.text for s in args])
            return
        if self.scope == "skip":
            return
        at = self.char(node.start_byte)
        words = [w for s in args for w in shell_split(s)] if self.scope == "decided" else [UNKNOWN_TEXT]
        if self.current is None:
            self.workspace += words
            self.workspace_at = at if self.workspace_at is None else self.workspace_at
        else:
            self.current += words
            self.first_at = at if self.first_at is None else self.first_at

    def strings(self, node) -> list[PStr]:
        """Every string literal in a call's arguments, in order."""
        out: list[PStr] = []
        stack = [node] if node is not None else []
        while stack:
            n = stack.pop()
            if n.type == "string":
                out.append(self.string(n))
            else:
                stack.extend(reversed(n.children))
        return out

    def string(self, node) -> PStr:
        content = node.child_by_field_name("content")
        if content is None:                           # "" or [[]]
            return PStr.source("", self.char(node.start_byte) + 1)
        if self.data[node.start_byte:node.start_byte + 1] == b"[":      # a long string: no escapes
            return PStr.source(self.text(content), self.char(content.start_byte))
        parts, run = [], content.start_byte
        for esc in content.children:
            if esc.type != "escape_sequence":
                continue
            parts.append(PStr.source(self.slice(run, esc.start_byte), self.char(run)))
            code = self.text(esc)[1:2]
            parts.append(PStr.spread(_ESCAPES.get(code, code), self.char(esc.start_byte),
                                     self.char(esc.start_byte) + 2))
            run = esc.start_byte + 2
        parts.append(PStr.source(self.slice(run, content.end_byte), self.char(run)))
        return PStr.join(parts)

    def function_hint(self, node) -> None:
        """A Lua function named for examples, tests or benchmarks (GENie's
        ``exampleProjectDefaults()``, which only the examples' projects call) configures that
        material: its body is a ``scope-hint`` of that scope (as a make target so named)."""
        from ..scopes import QUIET
        from ..scopes.conventions import artifact_name_scope
        from ..scopes.hint import ScopeHint
        name = node.child_by_field_name("name")
        if name is None:
            return
        short = self.text(name).replace(":", ".").rsplit(".", 1)[-1]
        said = artifact_name_scope(short)
        if said is not None and said.scope in QUIET:
            self.hints.append(ScopeHint(self.span(node), scope=said.scope, reason=f"in Lua function `{short}`"))

    def span(self, node):
        return self.index.span(self.char(node.start_byte), self.char(node.end_byte))

    def text(self, node) -> str:
        return self.slice(node.start_byte, node.end_byte)

    def slice(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "surrogateescape")


def _scope(terms: list[str]) -> str:
    """"decided" (the emscripten release build applies it), "unknown" or "skip"."""
    if not terms:
        return "decided"
    if any(_OTHER_PLATFORM.search(t) or _DEBUG.search(t) for t in terms):
        return "skip"
    return "decided" if all(_DECIDED.search(t) for t in terms) else "unknown"
