"""Dockerfile instructions with positions: line continuations (the ``escape``
parser directive too), comment lines inside continuations, and ``<<EOF``
heredocs. Each instruction's arguments are a ``MappedText`` onto the file."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..textpos import LineIndex, MappedText, TextBuilder

_DIRECTIVE = re.compile(r"^#\s*escape\s*=\s*(\S)\s*$", re.I)
_HEREDOC = re.compile(r"<<-?\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?")


@dataclass
class Instr:
    keyword: str
    args: MappedText
    start: int                   # file offset of the keyword
    end: int                     # end of the instruction's last line (newline excluded)
    heredoc: MappedText | None = None

    def is_json(self) -> bool:
        return self.args.value.lstrip().startswith("[")


def instructions(idx: LineIndex) -> list[Instr]:
    text = idx.text
    lines = text.split("\n")
    escape = "\\"
    for line in lines:
        m = _DIRECTIVE.match(line)
        if m:
            escape = m.group(1)
            continue
        break
    out: list[Instr] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start = idx.starts[i] + (len(line) - len(line.lstrip()))
        kw = stripped.split(None, 1)[0]
        b = TextBuilder()
        pos = start + len(kw)
        seg = line[pos - idx.starts[i]:]
        while True:
            body = seg.rstrip()
            cont = body.endswith(escape)
            if cont:
                body = body[:-1]
            b.add(body, pos)
            end = idx.starts[i] + len(line.rstrip("\r"))
            i += 1
            if not cont:
                break
            while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
                i += 1
            if i >= len(lines):
                break
            line = lines[i]
            pos = idx.starts[i]
            seg = line
        args = b.build(start + len(kw), end)
        lead = len(args.value) - len(args.value.lstrip())
        args = args.slice(lead, len(args.value))
        ins = Instr(kw.upper(), args, start, end)
        m = _HEREDOC.search(args.value) if kw.upper() == "RUN" else None
        if m and not ins.is_json():
            hb = TextBuilder()
            body_start = idx.starts[i] if i < len(lines) else len(text)
            while i < len(lines) and lines[i].strip() != m.group(1):
                hb.add(lines[i] + "\n", idx.starts[i])
                i += 1
            ins.heredoc = hb.build(body_start, idx.starts[i] if i < len(lines) else len(text))
            if i < len(lines):
                ins.end = idx.starts[i] + len(lines[i])
                i += 1
        out.append(ins)
    return out
