"""Godot's ``export_presets.cfg`` → a ``deployment`` on Godot's web export for each preset
with ``platform="Web"`` (``"HTML5"`` in Godot 3), with its ``variant/thread_support``
(Godot 4) or ``variant/export_type`` threads (Godot 3: 1 = threads).

The file is Godot's ConfigFile format: INI sections (``[preset.0]``, ``[preset.0.options]``)
of ``key=value`` lines whose values are Godot variants (``"Web"``, ``true``, ``2``); it is
read with ``configparser`` (no interpolation)."""
from __future__ import annotations

import configparser

from ..deployment import Deployment
from . import SourceFile

WEB_PLATFORMS = ("Web", "HTML5")
RESERVED_MAXIMUM = 2 << 30     # the export templates' maximum memory (platform/web/detect.py)


def _value(text: str | None) -> str | None:
    return None if text is None else text.strip().strip('"')


def extract(src: SourceFile) -> list:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    parser = configparser.RawConfigParser(strict=False, delimiters=("=",), comment_prefixes=(";",),
                                          inline_comment_prefixes=None, empty_lines_in_values=False)
    parser.optionxform = str
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        return [src.error(f"not a Godot ConfigFile: {str(exc).splitlines()[0]}")]
    lines = text.splitlines()
    out = []
    for section in parser.sections():
        if section.count(".") != 1 or _value(parser.get(section, "platform", fallback=None)) not in WEB_PLATFORMS:
            continue
        options = f"{section}.options"
        threads_text = _value(parser.get(options, "variant/thread_support", fallback=None))
        threads = threads_text == "true" or _value(parser.get(options, "variant/export_type", fallback=None)) == "1"
        key = "variant/thread_support" if threads_text is not None else "platform"
        where = options if threads_text is not None else section
        line = _line_of(lines, where, key)
        name = _value(parser.get(section, "name", fallback=section))
        out.append(Deployment(src.span(line, 1, line, len(lines[line - 1]) + 1 if lines else 1),
                              platform="godot-web", via=f"web export preset \"{name}\" of export_presets.cfg",
                              threads=threads, memory_bytes=RESERVED_MAXIMUM if threads else None,
                              memory_setting="the export templates' 2 GiB maximum" if threads else None))
    return out


def _line_of(lines: list[str], section: str, key: str) -> int:
    """The line of ``key=`` in ``[section]`` (configparser keeps no positions)."""
    current = None
    for n, line in enumerate(lines, 1):
        s = line.strip()
        if s.startswith("["):
            current = s.strip("[]")
        elif current == section and s.split("=", 1)[0].strip() == key:
            return n
    return 1
