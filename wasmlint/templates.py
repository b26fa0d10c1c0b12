"""Template files: a file of a known kind written with Jinja, Liquid, Tera
(cargo-generate's ``{{project-name}}``, ``{% if … %}``) or Handlebars tags is the
source of a file, not the file itself, and is not analysed (``inspect`` shows why).

Go templates (Helm charts, ``docker inspect --format '{{.Id}}'``) are left to the
host file's reader: their actions name fields with a dot or variables with ``$``. A
Makefile's recipes are shell: a tag there is data for the command (pyodide's
``sed 's#{{ PYODIDE_BASE_URL }}#…#'``), so only the Makefile's own lines are looked at.

Configure templates are inputs too: autoconf's ``configure`` writes ``Makefile`` from
``Makefile.in`` (AC_CONFIG_FILES), CMake's ``configure_file()`` writes ``X`` from ``X.in``,
both replacing ``@VAR@`` placeholders. A file named ``*.in`` is such an input, and so is a
CMake file that CMake cannot parse because an ``@VAR@`` placeholder stands where a command
must (raylib's ``raylib-config.cmake`` starts with ``@PACKAGE_INIT@``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from .facts import Fact, Span

# kinds whose own syntax never holds these tags; JavaScript (JSX `style={{…}}`) and shell
# (`${#x}`, brace groups) do, and WebAssembly binaries are not text
CHECKED_KINDS = frozenset((
    "cargo-toml", "cargo-config", "rust-toolchain", "github-workflow", "compose", "k8s", "dockerfile",
    "procfile", "systemd", "package-json", "pm2", "nodemon", "npmrc", "nvmrc", "makefile", "cmake",
    "meson", "meson-cross", "netlify", "firebase", "vercel", "nginx", "headers-file",
))
# configure_file()'s and autoconf's substitution: `@` + a variable name + `@`
_PLACEHOLDER = re.compile(r"@[A-Za-z_][A-Za-z0-9_]*@")
_GO_WORDS = frozenset(("end", "else", "define", "template", "block", "range", "with", "include"))


@dataclass
class NotAnalysed(Fact):
    """A file of a known kind that wasmlint does not read, and why."""

    kind: ClassVar[str] = "not-analysed"
    reason: str = ""
    detail: str = ""


@lru_cache(maxsize=1)
def _lexer():
    from lark import Lark
    from .resources import grammar_text
    return Lark(grammar_text("template_tags.lark"), parser="lalr", lexer="basic")


def _go_action(tag: str) -> bool:
    words = tag.strip("{}-~ \t").split()
    return bool(words) and (words[0] in _GO_WORDS or any(w.startswith((".", "$")) for w in words))


def _has_tag_opener(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


def template_tag(text: str):
    """The first Jinja/Liquid/Tera/Handlebars tag of ``text`` (a lark token with line and
    column), or None — also None when the file holds Go template actions."""
    if not _has_tag_opener(text):
        return None
    first = None
    for tok in _lexer().lex(text):
        if tok.type == "EXPRESSION" and _go_action(tok.value):
            return None
        if first is None and tok.type in ("STATEMENT", "COMMENT", "EXPRESSION"):
            first = tok
    return first


def configure_input(path: str, kind: str) -> NotAnalysed | None:
    """The note for ``Makefile.in``, ``fooConfig.cmake.in``: the input of configure or
    configure_file(), not the file it writes."""
    name = path.rsplit("/", 1)[-1]
    if kind not in CHECKED_KINDS or not name.lower().endswith(".in") or len(name) <= 3:
        return None
    return NotAnalysed(Span(path), reason="template", detail=(
        f"configure template: `configure` or CMake's `configure_file()` writes `{name[:-3]}` from it"))


def infix_input(path: str) -> NotAnalysed | None:
    """The note for ``frontend.in.js``: ``.in`` before the extension marks a build's input,
    which a script turns into ``frontend.js`` (libav.js's ``@E6`` markers): read only when
    it parses as the language its extension names."""
    name = path.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.lower().endswith(".in") or len(stem) <= 3:
        return None
    return NotAnalysed(Span(path), reason="template", detail=(
        f"build input: `{stem[:-3]}.{ext}` is written from it, and it does not parse as it stands"))


def placeholder_note(token: str, path: str, line: int, column: int) -> NotAnalysed | None:
    """The note for a file whose parse stopped at an ``@VAR@`` placeholder: the input of
    configure_file(), readable only once the placeholders are replaced."""
    if not _PLACEHOLDER.fullmatch(token):
        return None
    return NotAnalysed(Span(path, line, column, line, column + len(token)), reason="template", detail=(
        f"configure placeholder `{token}`: the file is the input of `configure_file()`, not the file it writes"))


def _without_recipes(text: str) -> str:
    """A Makefile with its recipe lines blanked (lines and columns kept): a recipe is shell,
    where ``{{ BASE_URL }}`` is data (``sed 's#{{ BASE_URL }}#…#' page.html`` fills another
    file's tag), not a tag of the Makefile."""
    from .toolchain.makefile_lines import logical_lines
    lines = logical_lines(text)
    out, ends = [], [x.start for x in lines[1:]] + [len(text)]
    for line, end in zip(lines, ends):
        part = text[line.start:end]
        out.append("".join(c if c == "\n" else " " for c in part) if line.recipe else part)
    return "".join(out)


def not_analysed_template(path: str, kind: str, data) -> NotAnalysed | None:
    """The note for a template file of a checked kind, else None."""
    if kind not in CHECKED_KINDS:
        return None
    configured = configure_input(path, kind)
    if configured is not None:
        return configured
    try:
        raw = bytes(data)
        text = (raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if kind == "makefile" and _has_tag_opener(text):
        text = _without_recipes(text)
    tok = template_tag(text)
    if tok is None:
        return None
    span = Span(path, tok.line, tok.column, tok.end_line, tok.end_column)
    return NotAnalysed(span, reason="template", detail=f"template tag `{tok.value}`: the file is generated from it")
