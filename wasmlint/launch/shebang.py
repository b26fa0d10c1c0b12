"""Shebang lines of JavaScript files.

``#!/usr/bin/env -S node --flag`` is a node launch of the file itself: ``env -S``
splits the rest into words. Without ``-S`` the Linux kernel passes everything after
the interpreter as ONE word (macOS splits it, which is why such lines get written):
GNU env then looks for a program named ``node --flag`` and exits 127, or, when the
word holds ``=``, takes it for an assignment and runs the script itself again, which
loops forever (measured with coreutils 9.1). So no launch is read from such a line;
it is a ``shebang-unsplit`` fact (WL214). ``#!/usr/bin/node --a --b`` hands node the
one word ``--a --b`` ("bad option"). The JavaScript source calls ``shebang_facts``
for its files.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import ClassVar

from ..diagnostics import Edit
from ..facts import Fact, Span
from ..shellparse import split_words
from ..textpos import LineIndex, MappedText
from .build import Unit

RUNTIMES = frozenset(("node", "nodejs"))


@dataclass
class ShebangUnsplit(Fact):
    """A shebang whose options reach the program as one word: the script never starts."""

    kind: ClassVar[str] = "shebang-unsplit"
    word: str = ""              # the one word the kernel passes
    via_env: bool = True        # `#!/usr/bin/env node …` (else `#!/usr/bin/node --a --b`)
    env_span: Span | None = None   # where `-S ` goes

    def runs_itself(self, ctx) -> bool:
        """The kernel reads a shebang only when the file itself is executed: it has an execute
        bit, or npm installs it as a package's ``bin`` (npm makes bins executable). A script
        checked in without one (browserless's ``scripts/leak-check.js``, which CI runs as
        ``node --expose-gc scripts/leak-check.js``) is only ever run through node."""
        project = ctx.project
        if project is None or project.executable(self.span.path) is not False:
            return True
        return any(e.field == "bin" and posixpath.normpath(posixpath.join(
            posixpath.dirname(e.span.path), e.spec)) == self.span.path for e in project.of_kind("package-entry"))

    @property
    def outcome(self) -> str:
        if not self.via_env:
            return f"node receives `{self.word}` as one option and refuses to start (\"bad option\", exit code 9)"
        if "=" in self.word:
            return (f"GNU env reads `{self.word}` as an assignment (it holds `=`) and runs the script itself "
                    "again, which loops forever: it never starts")
        return f"env looks for a program named `{self.word}` and exits 127: it never starts"

    def fix_split(self, ctx) -> list[Edit] | str:
        if self.via_env and self.env_span is not None:
            return [Edit(self.env_span, "-S ")]
        return "start it through `#!/usr/bin/env -S node …`, which splits the options"


def shebang_facts(text: str, path: str, idx: LineIndex | None = None) -> list[Fact]:
    if not text.startswith("#!"):
        return []
    idx = idx or LineIndex(text, path)
    line = idx.line_text(1)
    words = split_words(MappedText.verbatim(line[2:], 2))
    if len(words) < 2 or len(words) == 2 and words[0].value.endswith("/env"):
        return []
    via_env = words[0].value.endswith("/env")
    program = words[1] if via_env else words[0]
    if via_env and not words[1].value.startswith("-") and program.value.rsplit("/", 1)[-1] in RUNTIMES:
        start, end = words[1].start, words[-1].end
        at = Span(idx.path, 1, start + 1, 1, start + 1)
        return [ShebangUnsplit(Span(idx.path, 1, start + 1, 1, end + 1), word=line[start:end], env_span=at)]
    if not via_env and program.value.rsplit("/", 1)[-1] in RUNTIMES and len(words) > 2:
        start, end = words[1].start, words[-1].end
        return [ShebangUnsplit(Span(idx.path, 1, start + 1, 1, end + 1), word=line[start:end], via_env=False)]
    unit = Unit(idx, "shebang", name=path.rsplit("/", 1)[-1])
    toks = unit.toks(words)
    name = path.rsplit("/", 1)[-1]
    unit.launch(toks, None, (0, len(line)), script_override=name)
    return unit.facts
