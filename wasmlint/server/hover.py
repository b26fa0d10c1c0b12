"""Hover: the rule page (as ``wasmlint explain`` prints it) of the findings under the
cursor, or of a ``WLnnn`` code under it (a suppression comment, a configuration)."""
from __future__ import annotations

import re

from lsprotocol import types

from ..diagnostics import Diagnostic
from ..ruledocs import to_markdown
from ..ruleset import find_rule
from .positions import LineMap

_CODE = re.compile(r"\bWL\d{3}\b")


def rule_page(rule) -> str:
    page = to_markdown(rule)
    return f"{page.rstrip()}\n\n{rule.url}\n" if rule.url else page


def hover(lines: LineMap, pos: types.Position, diags: list[tuple[Diagnostic, types.Range]],
          rules: list) -> types.Hover | None:
    under = [(d, r) for d, r in diags if _inside(pos, r)]
    codes = list(dict.fromkeys(d.code for d, _ in under))
    where = under[0][1] if under else None
    if not codes:
        line, column = lines.line_column(pos)
        text = lines.line_text(line - 1)
        for m in _CODE.finditer(text):
            if m.start() <= column - 1 <= m.end():
                codes = [m.group(0)]
                where = types.Range(lines.position(line, m.start() + 1), lines.position(line, m.end() + 1))
                break
    pages = [rule_page(rule) for rule in (find_rule(c, rules) for c in codes) if rule is not None]
    if not pages:
        return None
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, "\n---\n\n".join(pages)), where)


def _inside(pos: types.Position, r: types.Range) -> bool:
    p = (pos.line, pos.character)
    return (r.start.line, r.start.character) <= p <= (r.end.line, r.end.character)
