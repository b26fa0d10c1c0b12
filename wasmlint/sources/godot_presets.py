"""Godot's ``export_presets.cfg`` → a ``deployment`` on Godot's web export for each preset
with ``platform="Web"`` (``"HTML5"`` in Godot 3), with its ``variant/thread_support``
(Godot 4) or ``variant/export_type`` threads (Godot 3: 1 = threads).

The file is Godot's ConfigFile format: ``[section]`` headers (``[preset.0]``,
``[preset.0.options]``) and ``key=value`` lines whose values are Godot variants (``"Web"``,
``true``, ``2``, ``PackedStringArray()``), strings spanning lines where the editor writes a
remote-deploy script. It is read with ``grammars/godot_cfg.lark``, which keeps positions."""
from __future__ import annotations

import re
from functools import lru_cache

from ..deployment import Deployment
from . import SourceFile

WEB_PLATFORMS = ("Web", "HTML5")
RESERVED_MAXIMUM = 2 << 30     # the export templates' maximum memory (platform/web/detect.py)


@lru_cache(maxsize=1)
def _parser():
    from lark import Lark

    from ..resources import grammar_text
    return Lark(grammar_text("godot_cfg.lark"), parser="lalr", lexer="contextual")


MAX_DEPTH = 64      # Godot's editor writes variants a few levels deep
_NESTING = re.compile(r'"(?:\\.|[^"\\])*"|[\[\]{}()]')


def _too_deep(text: str) -> int | None:
    """The offset where arrays, dictionaries and calls nest past MAX_DEPTH, else None."""
    depth = 0
    for m in _NESTING.finditer(text):
        c = m.group()
        if c in "[{(":
            depth += 1
            if depth > MAX_DEPTH:
                return m.start()
        elif c in "]})":
            depth = max(0, depth - 1)
    return None


def _sections(text: str) -> dict[str, dict[str, tuple[str | None, int]]]:
    """section → key → (the value's text: a string unquoted, a number or name as written, None
    for an array, dictionary or constructor; the key's line)."""
    out: dict[str, dict[str, tuple[str | None, int]]] = {}
    current: dict[str, tuple[str | None, int]] = out.setdefault("", {})
    for item in _parser().parse(text).children:
        if item.data == "section":
            current = out.setdefault(str(item.children[0]).strip(), {})
            continue
        key, value = item.children
        plain = None
        if not hasattr(value, "data"):
            plain = _unquote(str(value)) if value.type == "STRING" else str(value)
        current[str(key).strip()] = (plain, key.line)
    return out


def _unquote(token: str) -> str:
    body = token.lstrip("&")[1:-1]
    return body.replace('\\"', '"').replace("\\\\", "\\")


def extract(src: SourceFile) -> list:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from lark.exceptions import UnexpectedInput

    from ..resources import unexpected
    deep = _too_deep(text)
    if deep is not None:
        line = text.count("\n", 0, deep) + 1
        return [src.error(f"values nested more than {MAX_DEPTH} deep; not analysed: over budget", line=line,
                          column=deep - text.rfind("\n", 0, deep))]
    try:
        sections = _sections(text)
    except UnexpectedInput as exc:
        return [src.error(f"not a Godot ConfigFile: unexpected {unexpected(exc)}", line=exc.line, column=exc.column)]
    lines = text.splitlines()
    out = []
    for section, keys in sections.items():
        platform = keys.get("platform", (None, 1))
        if section.count(".") != 1 or platform[0] not in WEB_PLATFORMS:
            continue
        options = sections.get(f"{section}.options", {})
        threads_text, threads_line = options.get("variant/thread_support", (None, 0))
        threads = threads_text == "true" or options.get("variant/export_type", (None, 0))[0] == "1"
        line = threads_line if threads_text is not None else platform[1]
        name = keys.get("name", (section, 0))[0] or section
        out.append(Deployment(src.span(line, 1, line, len(lines[line - 1]) + 1 if lines else 1),
                              platform="godot-web", via=f"web export preset \"{name}\" of export_presets.cfg",
                              threads=threads, memory_bytes=RESERVED_MAXIMUM if threads else None,
                              memory_setting="the export templates' 2 GiB maximum" if threads else None))
    return out

