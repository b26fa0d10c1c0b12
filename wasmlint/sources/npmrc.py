"""``.npmrc`` → a ``node-options`` fact for ``node-options=…`` (npm sets
NODE_OPTIONS from it for every lifecycle script)."""
from __future__ import annotations

from ..facts import Fact
from ..launch.build import Unit
from ..shellparse import Assign
from ..textpos import LineIndex, MappedText
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    idx = LineIndex(text, src.path)
    unit = Unit(idx, "npmrc", name=".npmrc")
    for n, start in enumerate(idx.starts, 1):
        line = idx.line_text(n)
        key, sep, value = line.partition("=")
        if not sep or key.strip().lower() != "node-options" or line.lstrip().startswith(("#", ";")):
            continue
        vstart = start + len(key) + 1
        lead = len(value) - len(value.lstrip())
        raw = value.strip()
        vstart += lead
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
            raw, vstart = raw[1:-1], vstart + 1
        unit.node_options(Assign("NODE_OPTIONS", MappedText.verbatim(raw, vstart), start, start + len(line)),
                          variable="node-options")
    return unit.facts
