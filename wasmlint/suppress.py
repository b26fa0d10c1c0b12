"""Inline suppressions and per-file ignores (pipeline stage 5).

``wasmlint: disable=WL101,growable-memory`` at the end of a line,
``wasmlint: disable-next-line=…`` on the line before, ``wasmlint: disable-file=…``
anywhere; always inside a comment of the file's own syntax:

- JS/TS (and PM2 ``.js`` files, ``build.rs``): ``//`` or ``/* … */``;
- shell, YAML, Procfile: ``#`` at the start of a line or after whitespace,
  outside quotes; Make, CMake, TOML, nginx: ``#`` anywhere outside quotes (Make
  knows no quotes, except in recipe lines, which are shell);
- Dockerfile: a whole-line ``#`` comment only (the line-before and file forms),
  as hadolint reads its own directives: Docker reads ``#`` as a comment only at
  the start of a line, and a ``#`` after an instruction is part of its
  arguments (a JSON ``CMD`` turns into a shell command, an ``ENV`` gets another
  value). Such a directive is kept as ``misplaced``: it suppresses nothing and
  WL004 says so, with a fix that moves it to the line before;
- systemd units and ``.npmrc``: ``#`` or ``;`` at the start of a line only (both
  formats read a later ``#`` as part of the value), so only the
  ``disable-next-line`` and ``disable-file`` forms work there;
- JSON (package.json, nodemon.json, …) and binaries have no comments: use
  ``per-file-ignores`` or the baseline.

Finding the directive is a per-line scan for the marker; the comment syntax
decides whether the marker is really inside a comment.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .diagnostics import Diagnostic
from .pathmatch import match_any

_DIRECTIVE = re.compile(
    r"wasmlint:\s*(disable-next-line|disable-file|disable)\s*=\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)")
_SLASH_KINDS = ("js", "build-rs", "xtask", "rust-source", "go-source")
_LINE_ONLY = {"npmrc": ("#", ";"), "systemd": ("#", ";"), "nvmrc": ("#",), "headers-file": ("#",)}
_SHELL_QUOTES = ("shell", "dockerfile", "procfile", "python")
# ``#`` after other text is an argument, not a comment: a directive there is reported, never applied
_WHOLE_LINE_ONLY = ("dockerfile",)
# ``#`` starts a comment even right after a word (YAML and shell need whitespace before it)
_HASH_ANYWHERE = ("makefile", "cmake", "cargo-toml", "cargo-config", "netlify", "rust-toolchain", "nginx", "python")
_NO_COMMENTS = ("package-json", "nodemon", "firebase", "vercel", "wasm")


@dataclass(frozen=True)
class Directive:
    path: str
    line: int            # the line the directive sits on
    column: int          # where ``wasmlint:`` starts
    action: str          # disable | disable-next-line | disable-file
    selectors: tuple[str, ...]
    end_column: int = 0            # just past the last selector
    selectors_column: int = 0      # where the first selector starts
    comment_column: int = 0        # where the comment holding it starts (its opener)
    space_column: int = 0          # where the whitespace before the comment starts
    comment_end_column: int = 0    # just past the comment (``*/`` included), or the line end
    alone: bool = False            # the comment holds nothing but the directive
    own_line: bool = False         # nothing but whitespace before the comment
    misplaced: bool = False        # where the file's syntax reads it as data (a Dockerfile's end of line)

    def applies_to_line(self) -> int | None:
        if self.action == "disable":
            return self.line
        if self.action == "disable-next-line":
            return self.line + 1
        return None


def _syntax(kind: str, path: str) -> str:
    if kind in _NO_COMMENTS or (kind == "pm2" and path.lower().endswith(".json")):
        return "none"
    if kind in _SLASH_KINDS or (kind == "pm2" and path.lower().endswith((".js", ".cjs", ".mjs"))):
        return "slash"
    if kind in _LINE_ONLY:
        return "line"
    return "hash"


def comment_opener(kind: str, path: str) -> tuple[str | None, bool]:
    """How a directive is written in this file kind: its comment opener (None: the
    format has no comments) and whether it may end a line of content (else it goes
    on a line of its own: the ``disable-next-line`` and ``disable-file`` forms)."""
    syntax = _syntax(kind, path)
    if syntax == "none":
        return None, False
    return ("//" if syntax == "slash" else "#"), syntax != "line" and kind not in _WHOLE_LINE_ONLY


def _balanced(before: str, quotes: str) -> bool:
    """No string left open in ``before`` (backslash escapes honoured)."""
    open_q, i = None, 0
    while i < len(before):
        ch = before[i]
        if ch == "\\" and open_q != "'":
            i += 2
            continue
        if open_q is None and ch in quotes:
            open_q = ch
        elif ch == open_q:
            open_q = None
        i += 1
    return open_q is None


def _comment_start(line: str, at: int, kind: str, syntax: str) -> tuple[int, str] | None:
    """Column (0-based) and opener of the comment that holds position ``at``."""
    before = line[:at]
    if syntax == "line":
        stripped = before.lstrip()
        opener = stripped[:1]
        if opener in _LINE_ONLY[kind] and stripped[1:].strip() == "":
            return len(before) - len(stripped), opener
        return None
    if syntax == "slash":
        for opener in ("//", "/*"):
            i = before.rfind(opener)
            while i != -1:
                if _balanced(before[:i], "\"'`"):
                    return i, opener
                i = before.rfind(opener, 0, i)
        stripped = before.lstrip()
        if stripped.startswith("*") and stripped[1:].strip() == "":   # inside a /* … */ block
            return len(before) - len(stripped), "*"
        return None
    recipe = kind == "makefile" and line.startswith("\t")    # a recipe line is shell
    anywhere = kind in _HASH_ANYWHERE and not recipe
    quotes = "\"'" if kind in _SHELL_QUOTES or recipe else "" if kind == "makefile" else '"'
    i = before.find("#")
    while i != -1:
        if ((anywhere and (i == 0 or before[i - 1] != "\\")) or i == 0 or before[i - 1] in " \t") \
                and _balanced(before[:i], quotes):
            return i, "#"
        i = before.find("#", i + 1)
    return None


def scan(path: str, kind: str, text: str) -> list[Directive]:
    syntax = _syntax(kind, path)
    if syntax == "none" or "wasmlint:" not in text:
        return []
    out = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if "wasmlint:" not in line:
            continue
        for m in _DIRECTIVE.finditer(line):
            found = _comment_start(line, m.start(), kind, syntax)
            if found is None:
                continue
            start, opener = found
            rest = line[m.end():]
            end = len(line)
            if opener == "/*" and "*/" in rest:
                end = m.end() + rest.index("*/") + 2
                rest = rest[:rest.index("*/")]
            alone = line[start + len(opener):m.start()].strip() == "" and rest.strip() == ""
            sels = tuple(s.strip() for s in m.group(2).split(","))
            own_line = line[:start].strip() == ""
            out.append(Directive(path, lineno, m.start() + 1, m.group(1), sels,
                                 end_column=m.end() + 1, selectors_column=m.start(2) + 1,
                                 comment_column=start + 1, comment_end_column=end + 1,
                                 space_column=len(line[:start].rstrip()) + 1,
                                 alone=alone, own_line=own_line,
                                 misplaced=kind in _WHOLE_LINE_ONLY and not own_line))
    return out


def selects(selector: str, code: str, name: str) -> bool:
    s = selector.strip()
    return s.upper() == "ALL" or s.upper() == code or s.lower() == name


@dataclass
class Usage:
    """What suppressed something: directives, (directive, selector) pairs,
    (pattern, selector) pairs of per-file-ignores, and the patterns that matched
    at least one file with findings."""

    directives: set = field(default_factory=set)
    selectors: set = field(default_factory=set)
    ignores: set = field(default_factory=set)


def suppress_all(diags: list[Diagnostic], directives: dict[str, list[Directive]],
                 per_file_ignores: dict[str, list[str]]) -> tuple[list[Diagnostic], Usage]:
    """Drop suppressed diagnostics; return the kept ones and what was used."""
    kept, usage = [], Usage()
    for d in diags:
        path = d.span.path.split("#", 1)[0]
        suppressed = False
        for directive in directives.get(path, ()):
            if directive.misplaced:
                continue
            line = directive.applies_to_line()
            if line is not None and line != d.span.line:
                continue
            for s in directive.selectors:
                if selects(s, d.code, d.name):
                    usage.directives.add(directive)
                    usage.selectors.add((directive, s))
                    suppressed = True
        if not suppressed:
            for pattern, sels in per_file_ignores.items():
                hit = [s for s in sels if selects(s, d.code, d.name)]
                if hit and match_any(path, [pattern]):
                    usage.ignores.update((pattern, s) for s in hit)
                    suppressed = True
                    break
        if not suppressed:
            kept.append(d)
    return kept, usage

