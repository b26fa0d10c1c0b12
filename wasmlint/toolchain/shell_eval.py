"""The build view of shell text: what ``wasmlint.bash`` evaluates, as argument
lists (``Tok``) with spans for the emcc / cargo readers.

The text is a ``PStr``: a whole script, a Makefile recipe after Make expansion, a
package.json script; every argument keeps its position. The script is evaluated
once per ``${V:+…}`` variant (ffmpeg.wasm's ``FFMPEG_ST``/``FFMPEG_MT``); commands
inside ``$(…)`` build nothing and are left out. Nothing is ever run.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import bash
from ..facts import Span
from .pstr import LineIndex, PStr, Tok


@dataclass
class Command:
    argv: list[Tok]
    prefix: dict[str, PStr]           # VAR=value words before the command
    env: dict[str, PStr]              # exported variables at this point
    span: Span
    variant: str | None = None


@dataclass
class Assignment:
    name: str
    value: PStr | list[PStr]
    span: Span
    exported: bool
    variant: str | None = None


@dataclass
class ShellResult:
    commands: list[Command] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    error_at: int | None = None       # char offset (in the source PStr) of the first syntax error


def evaluate(source: PStr, index: LineIndex, env: dict[str, PStr] | None = None) -> ShellResult:
    """Every variant of ``source``: commands and assignments, in order."""
    given = {k: bash.Binding(k, v, exported=True) for k, v in (env or {}).items()}
    run = bash.evaluate(source, given, variants=True)

    def span(rng: tuple[int, int]) -> Span:
        r = source[rng[0]:rng[1]].source_range()
        return index.span(*r) if r else Span(index.path)

    out = ShellResult(error_at=run.error[0] if run.error else None)
    for c in run.commands:
        if c.in_substitution:
            continue
        env_now = {k: bash.join(b.value) for k, b in c.env.items() if b.value is not None}
        out.commands.append(Command([Tok(f, index) for f in c.argv], {b.name: bash.join(b.value) for b in c.prefix},
                                    env_now, span(c.rng), c.variant))
    out.assignments = [Assignment(b.name, b.value, span(b.rng), b.exported, b.variant)
                       for b in run.bindings if not b.declared and not b.in_substitution]
    return out
