"""Shebang lines of JavaScript files: ``#!/usr/bin/env -S node --flag`` is a
node launch of the file itself (``env -S`` splits the rest; without ``-S``
Linux passes ``node --flag`` as one word and the launch fails, so no launch is
read). The JavaScript source calls ``shebang_facts`` for its files."""
from __future__ import annotations

from ..facts import Fact
from ..shellparse import split_words
from ..textpos import LineIndex, MappedText
from .build import Unit


def shebang_facts(text: str, path: str, idx: LineIndex | None = None) -> list[Fact]:
    if not text.startswith("#!"):
        return []
    idx = idx or LineIndex(text, path)
    line = idx.line_text(1)
    words = split_words(MappedText.verbatim(line[2:], 2))
    if len(words) < 2 or len(words) == 2 and words[0].value.endswith("/env"):
        return []
    unit = Unit(idx, "shebang", name=path.rsplit("/", 1)[-1])
    toks = unit.toks(words)
    name = path.rsplit("/", 1)[-1]
    unit.launch(toks, None, (0, len(line)), script_override=name)
    return unit.facts
