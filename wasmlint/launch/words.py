"""Shell-like words of files that no shell reads: Dockerfile ``ENV``/``ARG``/
``FROM`` and exec-less instructions, systemd ``ExecStart=``/``Environment=``.

Words split on unquoted whitespace; double and single quotes group; a backslash
takes the next character (inside single quotes too in systemd, never in
Docker's); ``$VAR``/``${VAR}``/``${VAR:-default}`` expand from ``variables``
when known, else the word is dynamic. Every character stays mapped to the file.
"""
from __future__ import annotations

import re

from ..shellparse import Word
from ..textpos import MappedText, TextBuilder

# A run of characters each copied as it is, in each quoting state (it ends where a quote,
# a backslash, a ``$`` or, unquoted, a blank may change how the word reads).
_PLAIN = {None: re.compile(r"[^ \t\n\r\"'\\$]+"), '"': re.compile(r'[^"\\$]+'), "'": re.compile(r"[^'\\$]+")}
_VAR = re.compile(r"\$(?:\{(?P<b>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?P<d>[^}]*))?\}|(?P<n>[A-Za-z_][A-Za-z0-9_]*))")


def lex(text: MappedText, variables: dict[str, MappedText | None] | None = None,
        escape_in_single: bool = False, expand: bool = True) -> list[Word]:
    variables = variables or {}
    v = text.value
    out: list[Word] = []
    i, n = 0, len(v)
    while i < n:
        while i < n and v[i] in " \t\n\r":
            i += 1
        if i >= n:
            break
        plain = _PLAIN[None].match(v, i)     # most words: one run of plain text, itself
        if plain and (plain.end() == n or v[plain.end()] in " \t\n\r"):
            j = plain.end()
            s, e = text.source_range(i, j)
            out.append(Word(text.slice(i, j), s, e, False, placed=text.is_exact(i, j)))
            i = j
            continue
        b, start, quote, dyn = TextBuilder(), i, None, False
        while i < n and (quote or v[i] not in " \t\n\r"):
            c = v[i]
            if quote is None and c in "\"'":
                quote = c
                i += 1
                continue
            if c == quote:
                quote = None
                i += 1
                continue
            if c == "\\" and i + 1 < n and (quote != "'" or escape_in_single):
                s, _ = text.source_range(i, i + 1)
                b.add(v[i + 1], s, text.source_range(i + 1, i + 2)[1])
                i += 2
                continue
            m = _VAR.match(v, i) if c == "$" and quote != "'" and expand else None
            if m:
                name = m.group("b") or m.group("n")
                val = variables.get(name)
                if val is None and m.group("d") is not None:
                    val = text.slice(m.start("d"), m.end("d"))
                if val is not None:
                    b.add_mapped(val)
                else:
                    s, e = text.source_range(m.start(), m.end())
                    b.add(m.group(0), s, e)
                    dyn = True
                i = m.end()
                continue
            run = _PLAIN[quote].match(v, i)
            j = run.end() if run else i + 1
            b.add_mapped(text.slice(i, j))
            i = j
        s, e = text.source_range(start, i)
        out.append(Word(b.build(s, e, text.escape), s, e, dyn, placed=text.is_exact(start, i)))
    return out
