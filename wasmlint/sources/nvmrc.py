"""``.nvmrc`` and ``.node-version`` → a ``node-version`` fact."""
from __future__ import annotations

from ..facts import Fact
from ..launch.version import NodeVersionFact, major_of
from ..textpos import LineIndex
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    idx = LineIndex(text, src.path)
    source = "node-version-file" if src.path.endswith(".node-version") else "nvmrc"
    for n in range(1, len(idx.starts) + 1):
        line = idx.line_text(n)
        spec = line.split("#", 1)[0].strip()
        if not spec:
            continue
        col = line.index(spec)
        start = idx.starts[n - 1] + col
        return [NodeVersionFact(idx.span(start, start + len(spec)), spec=spec, source=source,
                                major=major_of(spec))]
    return []
