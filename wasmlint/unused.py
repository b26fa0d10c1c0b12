"""WL004 unused-suppression: directives and ``per-file-ignores`` entries that
suppressed nothing in this run.

Only selectors of rules selected in this run are judged (a directive for a
rule that did not run may well be needed); ``ALL`` is judged only when every
default rule ran; a selector naming no rule at all is always reported. A
selector of WL004 itself is never judged.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .diagnostics import Diagnostic, Edit, Proposal
from .facts import Fact, Span, internal
from .pathmatch import match_any
from .ruleset import Rule
from .suppress import Directive, Usage, selects, suppress_all
from .paths import real

CODE, NAME = "WL004", "unused-suppression"


@dataclass
class UnusedSuppression(Fact):
    """A suppression (inline directive or per-file-ignores entry) that suppressed nothing."""

    kind: ClassVar[str] = "unused-suppression"
    where: str = ""                       # "`wasmlint: disable`" or "per-file-ignores `glob`"
    unused: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    matches_no_file: bool = False
    directive: Directive | None = internal()
    keep: list[str] = internal(default_factory=list)   # selectors to keep in the directive

    @property
    def detail(self) -> str:
        d = self.directive
        if d is not None and d.misplaced:
            return ("a `#` after a Dockerfile instruction is part of its arguments, not a comment, so it "
                    f"suppresses nothing; write it on the line before as `{self.moved_text}`")
        parts = []
        if self.matches_no_file:
            parts.append("matches no file")
        if self.unused:
            names = ", ".join(f"`{s}`" for s in self.unused)
            parts.append(f"{names} suppressed nothing")
        if self.unknown:
            names = ", ".join(f"`{s}`" for s in self.unknown)
            parts.append(f"{names} {'is not a rule' if len(self.unknown) == 1 else 'are not rules'}")
        return "; ".join(parts)

    @property
    def moved_text(self) -> str:
        d = self.directive
        action = "disable-file" if d.action == "disable-file" else "disable-next-line"
        return f"# wasmlint: {action}={','.join(d.selectors)}"

    def fix_remove(self, ctx) -> list[Edit] | Proposal | None:
        """Remove the directive (its whole comment, or its line, when nothing else
        is there), or drop the unused selectors from its list; a misplaced one moves
        to a comment line of its own, before its line."""
        d = self.directive
        if d is None:
            return None
        if d.misplaced:
            start = d.space_column if d.alone else d.column
            end = d.comment_end_column if d.alone else d.end_column
            return Proposal(f"Move it to the line before: `{self.moved_text}`", (
                Edit(Span(d.path, d.line, 1, d.line, 1), self.moved_text + "\n"),
                Edit(Span(d.path, d.line, start, d.line, end), "")))
        if self.keep:
            return [Edit(Span(d.path, d.line, d.selectors_column, d.line, d.end_column), ",".join(self.keep))]
        if d.alone and d.own_line:
            return [Edit(Span(d.path, d.line, 1, d.line + 1, 1), "")]
        if d.alone:
            start, end = d.space_column, d.comment_end_column
        else:
            start, end = d.column, d.end_column
        return [Edit(Span(d.path, d.line, start, d.line, end), "")]


def _judged(selector: str, selected: set[str], catalog: list[Rule], every_default_ran: bool) -> str:
    """``judge`` | ``skip`` | ``unknown`` for one selector."""
    if selector.upper() == "ALL":
        return "judge" if every_default_ran else "skip"
    rule = next((r for r in catalog if selects(selector, r.code, r.name)), None)
    if rule is None:
        return "unknown"
    if rule.code == CODE or rule.code not in selected:
        return "skip"
    return "judge"


def _directive_facts(directives, usage: Usage, selected, catalog, every_default_ran) -> list[Fact]:
    out: list[Fact] = []
    for path in sorted(directives):
        for d in directives[path]:
            if d.misplaced:      # never applied, whatever ran
                out.append(UnusedSuppression(Span(d.path, d.line, d.column, d.line, d.end_column),
                                             where=f"`wasmlint: {d.action}`", unused=list(d.selectors),
                                             directive=d))
                continue
            unused, unknown, keep = [], [], []
            for s in d.selectors:
                verdict = _judged(s, selected, catalog, every_default_ran)
                if verdict == "unknown":
                    unknown.append(s)
                elif verdict == "judge" and (d, s) not in usage.selectors:
                    unused.append(s)
                else:
                    keep.append(s)
            if unused or unknown:
                out.append(UnusedSuppression(
                    Span(d.path, d.line, d.column, d.line, d.end_column),
                    where=f"`wasmlint: {d.action}`", unused=unused, unknown=unknown,
                    directive=d, keep=keep))
    return out


def _config_span(config_path: str | None, pattern: str) -> Span | None:
    if not config_path:
        return None
    shown = _display(config_path)
    try:
        lines = Path(config_path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Span(shown)
    for quoted in (f'"{pattern}"', f"'{pattern}'", pattern):
        for n, text in enumerate(lines, 1):
            i = text.find(quoted)
            if i != -1:
                return Span(shown, n, i + 1, n, i + 1 + len(quoted))
    return Span(shown)


def _display(path: str) -> str:
    p = os.path.abspath(path)
    rel = os.path.relpath(p)
    return Path(p if rel.startswith("..") else rel).as_posix()


def _ignore_facts(config, usage: Usage, selected, catalog, every_default_ran, paths: list[str],
                  run_paths: list[str]) -> list[Fact]:
    out: list[Fact] = []
    covers_root = _covers(run_paths, config.root)
    for pattern, sels in config.per_file_ignores.items():
        matched = any(match_any(p, [pattern]) for p in paths)
        unused, unknown = [], []
        for s in sels:
            verdict = _judged(s, selected, catalog, every_default_ran)
            if verdict == "unknown":
                unknown.append(s)
            elif verdict == "judge" and matched and (pattern, s) not in usage.ignores:
                unused.append(s)
        no_file = not matched and covers_root
        if unused or unknown or no_file:
            span = _config_span(config.path, pattern)
            if span is None:
                continue
            out.append(UnusedSuppression(span, where=f"per-file-ignores `{pattern}`",
                                         unused=unused, unknown=unknown, matches_no_file=no_file))
    return out


def _covers(run_paths: list[str], root: Path) -> bool:
    """The run read the whole configured project (so a glob matching nothing is stale)."""
    root = real(root)
    return any(real(p) == root or real(p) in root.parents for p in run_paths)


def unused_suppressions(rules: list[Rule], catalog: list[Rule], directives: dict[str, list[Directive]],
                        usage: Usage, config, ctx, paths: list[str], run_paths: list[str]) -> list[Diagnostic]:
    """WL004 diagnostics (themselves subject to inline directives and per-file-ignores).

    ``paths``: the display paths of the files read; ``run_paths``: the paths given."""
    rule = next((r for r in rules if r.code == CODE), None)
    if rule is None:
        return []
    from .evaluate import evaluate
    selected = {r.code for r in rules}
    every_default_ran = all(r.code in selected for r in catalog if r.default_enabled)
    facts = _directive_facts(directives, usage, selected, catalog, every_default_ran)
    facts += _ignore_facts(config, usage, selected, catalog, every_default_ran, paths, run_paths)
    diags = evaluate([rule], facts, ctx)
    kept, _ = suppress_all(diags, directives, config.per_file_ignores)
    return kept
