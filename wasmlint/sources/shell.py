"""Shell scripts → ``node-launch`` and ``node-options`` facts (tree-sitter-bash),
and the emcc / cargo build facts of ``wasmlint.toolchain``.

Commands are followed in order: ``export NODE_OPTIONS=…`` and variables set
earlier reach later commands, ``ulimit -v``/``-d`` limits later launches, and
``exec``/``env -S``/``sh -c`` wrappers are looked through.
"""
from __future__ import annotations

from ..facts import Fact
from ..launch.build import Unit, is_production
from ..textpos import LineIndex, MappedText
from ..toolchain.shell_argv import extract_build_facts
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    idx = LineIndex(text, src.path)
    unit = Unit(idx, "shell", name=src.path.rsplit("/", 1)[-1], production=is_production(src.path))
    parsed = unit.run_script(MappedText.verbatim(text, 0))
    facts: list[Fact] = list(unit.facts) + extract_build_facts(src)
    # tree-sitter-bash rejects some valid shell (``for arg do``, ``${@:i:1}``): what parsed is
    # still read, and only a script that is mostly errors (not shell at all) is reported
    if parsed.error is not None and parsed.error_share > 0.5:
        msg, off = parsed.error
        line, col = idx.line_col(off)
        facts.append(src.error(msg, line=line, column=col))
    return facts
