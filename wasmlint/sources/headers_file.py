"""Netlify / Cloudflare Pages ``_headers`` files → ``serving-config`` facts.

The format is line based: a path pattern at column 1, then indented
``Name: value`` lines (Cloudflare Pages: ``! Name`` detaches one); ``#`` starts a comment. The file sits in the folder
that is published, so that folder is ``served``.
"""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile
from .serving import ServingConfig


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    fact = ServingConfig(src.span(1, 1), server="_headers", served=["."])
    current = None
    for lineno, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace():
            current = stripped
            if fact.span.line == 1 and not fact.headers:
                fact.span = src.span(lineno, 1, lineno, len(line) + 1)
            continue
        if current is None:
            return [src.error("header line before any path pattern", line=lineno, column=1)]
        if stripped.startswith("!"):
            continue    # Cloudflare Pages' `! Name` detaches a header an earlier rule set: it sets none
        name, sep, value = stripped.partition(":")
        if not sep:
            return [src.error(f"expected `Name: value`, found {stripped[:40]!r}", line=lineno,
                              column=len(line) - len(line.lstrip()) + 1)]
        fact.add(name, value)
    return [fact]
