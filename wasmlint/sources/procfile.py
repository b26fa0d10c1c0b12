"""Procfiles (``type: command`` per line, run by a shell) → launch facts."""
from __future__ import annotations

from ..facts import Fact
from ..launch.build import Unit
from ..scopes.conventions import named_role
from ..shellfiles import project_reader
from ..textpos import LineIndex, MappedText
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    idx = LineIndex(text, src.path)
    facts: list[Fact] = []
    for n, start in enumerate(idx.starts, 1):
        line = idx.line_text(n)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, command = line.partition(":")
        if not sep or not name.strip() or " " in name.strip():
            facts.append(src.error("Procfile line is not `type: command`", line=n, column=1))
            continue
        cstart = start + len(name) + 1
        unit = Unit(idx, "procfile", name=f"process {name.strip()}",
                    role=named_role(f"Procfile process `{name.strip()}`", name.strip()), reader=project_reader(src))
        unit.run_script(MappedText.verbatim(command, cstart))
        facts.extend(unit.facts)
    return facts
