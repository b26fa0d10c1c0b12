"""``--fix``, ``--unsafe-fixes`` and ``--diff``: apply the fixes of findings,
re-lint, repeat until nothing more applies (bounded), then write or show.

Every round lints the current contents (edited text is handed to the
pipeline in memory, so nothing is written until the end): the fixes of the
reported findings are taken in output order, a fix overlapping one already
taken is left for the next round (edits.py), and the files' new texts feed the
next round. At the end each changed file is written atomically, unless it
changed on disk since it was read (fileio.py). Binaries, modules embedded in
JS and files the run did not read are never edited; a fix touching one is
skipped whole. A fix still offered when the loop ends is never dropped
silently: ``unapplied`` says which and why, and the command prints it.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable

from .diagnostics import Diagnostic
from .edits import EditError, Piece, Positions, Selection, TextFile, one_fix
from .fileio import StaleFile, sha256, write_atomic

MAX_ROUNDS = 10


@dataclass
class Change:
    path: str          # display path
    abspath: str
    original: bytes
    text: TextFile     # current contents

    @property
    def data(self) -> bytes:
        return self.text.encode()


@dataclass
class FixRun:
    result: object                     # the CheckResult of the final contents
    reported: list[Diagnostic]
    changes: dict[str, Change] = field(default_factory=dict)   # abspath -> change
    applied: int = 0
    rounds: int = 0
    stable: bool = True
    notes: list[str] = field(default_factory=list)
    unapplied: list[tuple[Diagnostic, str]] = field(default_factory=list)   # offered, not applied: why
    hidden: int = 0                    # unsafe fixes of what remains, without --unsafe-fixes
    contents: dict[str, bytes] = field(default_factory=dict)   # abspath -> unsaved text standing for the file

    @property
    def changed(self) -> list[Change]:
        return sorted((c for c in self.changes.values() if c.data != c.original), key=lambda c: c.path)


def applicable(d: Diagnostic, unsafe: bool) -> bool:
    f = d.fix
    return bool(f and f.edits and (f.applicability == "safe" or (unsafe and f.applicability == "unsafe")))


class _Round:
    def __init__(self, run: FixRun, result, refused: set[str]):
        self.run, self.refused = run, refused
        self.entries = {e.path: e for e in result.files}
        self.digests = result.digests
        self.selections: dict[str, Selection] = {}
        self.positions: dict[str, Positions] = {}

    def _change(self, path: str) -> Change | None:
        entry = self.entries.get(path)
        if entry is None or entry.problem or entry.kind == "wasm" or entry.abspath in self.refused:
            return None
        ch = self.run.changes.get(entry.abspath)
        if ch is None:
            try:
                data = self.run.contents.get(entry.abspath)
                if data is None:
                    with open(entry.abspath, "rb") as fh:
                        data = fh.read()
                if sha256(data) != self.digests.get(path):
                    raise StaleFile(f"{path}: changed on disk while wasmlint read it; not fixed")
                ch = Change(path, entry.abspath, data, TextFile.decode(data))
            except (OSError, UnicodeDecodeError, StaleFile) as exc:
                if isinstance(exc, StaleFile):
                    self.run.notes.append(str(exc))
                self.refused.add(entry.abspath)
                return None
            self.run.changes[entry.abspath] = ch
        return ch

    def take(self, d: Diagnostic) -> str | None:
        """Choose ``d``'s fix; else say why not: it touches a file it may not, or
        overlaps an edit chosen in this round (then it waits for the next)."""
        resolved: dict[str, list[Piece]] = {}
        for e in d.fix.edits:
            if "#" in e.span.path:
                return f"it edits a module embedded in {e.span.path.split('#', 1)[0]}"
            ch = self._change(e.span.path)
            if ch is None:
                return f"{e.span.path} cannot be edited (a binary, or a file the run did not read)"
            pos = self.positions.setdefault(ch.abspath, Positions(ch.text.text))
            try:
                resolved.setdefault(ch.abspath, []).append(Piece(*pos.range(e), e.content, e.merge))
            except EditError as exc:
                return f"{e.span.path}: {exc}"
        resolved = {ap: one_fix(pieces, self.run.changes[ap].text.text) for ap, pieces in resolved.items()}
        sels = {ap: self.selections.setdefault(ap, Selection()) for ap in resolved}
        if any(sels[ap].conflicts(edits) for ap, edits in resolved.items()):
            return "its edits overlap those of another fix applied before it"
        for ap, edits in resolved.items():
            sels[ap].add(edits)
        return None

    def apply(self) -> bool:
        changed = False
        for ap, sel in self.selections.items():
            ch = self.run.changes[ap]
            new = sel.apply(ch.text.text)
            if new != ch.text.text:
                ch.text = TextFile(new, ch.text.bom)
                changed = True
        return changed


def run_fixes(check: Callable[[dict[str, bytes]], object],
              keep: Callable[[object, dict[str, bytes]], list[Diagnostic]],
              unsafe: bool = False, max_rounds: int = MAX_ROUNDS,
              contents: dict[str, bytes] | None = None) -> FixRun:
    """``check(overlay)`` lints with the given contents (absolute path -> bytes);
    ``keep(result, overlay)`` picks the findings to report. A fix still offered at
    the end is listed in ``unapplied`` with the reason. ``contents`` (an editor's
    unsaved buffers) stand for their files from the first round on."""
    refused: set[str] = set()
    run = FixRun(None, [], contents=dict(contents or {}))
    why: dict[tuple, str] = {}
    for _ in range(max_rounds):
        overlay = {**run.contents, **{ap: ch.data for ap, ch in run.changes.items() if ch.data != ch.original}}
        result = check(overlay)
        run.result, run.reported = result, keep(result, overlay)
        rnd = _Round(run, result, refused)
        taken = 0
        for d in run.reported:
            if applicable(d, unsafe):
                reason = rnd.take(d)
                taken += reason is None
                why[_key(d)] = reason or "applying it left the text as it was"
        if not taken or not rnd.apply():
            break
        run.applied += taken
        run.rounds += 1
    else:
        overlay = {**run.contents, **{ap: ch.data for ap, ch in run.changes.items() if ch.data != ch.original}}
        run.result = check(overlay)
        run.reported = keep(run.result, overlay)
        run.stable = not any(applicable(d, unsafe) for d in run.reported)
        if not run.stable:
            run.notes.append(f"fixes were still changing files after {max_rounds} rounds; stopped")
            why = {}
    run.unapplied = [(d, why.get(_key(d), f"fixes were still changing files after {max_rounds} rounds"))
                     for d in run.reported if applicable(d, unsafe)]
    run.hidden = 0 if unsafe else sum(1 for d in run.reported if applicable(d, True))
    return run


def _key(d: Diagnostic) -> tuple:
    return (d.code, d.span.path, d.span.line, d.span.column, d.target, d.message)


def write_changes(run: FixRun) -> list[str]:
    """Write every changed file; return the files refused (with the reason)."""
    refused = []
    for ch in run.changed:
        try:
            write_atomic(ch.abspath, ch.data, expect_sha256=sha256(ch.original))
        except (StaleFile, OSError) as exc:
            refused.append(str(exc) if isinstance(exc, StaleFile) else f"{ch.path}: cannot write: {exc}")
    return refused


def unified_diff(run: FixRun) -> str:
    out = []
    for ch in run.changed:
        old = TextFile.decode(ch.original).text.splitlines(keepends=True)
        new = ch.text.text.splitlines(keepends=True)
        for line in difflib.unified_diff(old, new, f"a/{ch.path}", f"b/{ch.path}"):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
