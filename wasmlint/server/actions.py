"""Code actions: a finding's own fix (as ``--fix`` applies it; unsafe ones say so),
every safe fix of a file (``source.fixAll.wasmlint``), and suppressing a rule on a
line or in a file, written in the file kind's own directive syntax (``suppress.py``)."""
from __future__ import annotations

import re
from typing import Callable

from lsprotocol import types

from ..diagnostics import Diagnostic
from ..edits import EditError, apply_fix
from ..fix import applicable
from ..suppress import comment_opener, scan
from .positions import text_edit

FIX_ALL = "source.fixAll.wasmlint"
# lines a directive goes after at the top of a file: a shebang, Dockerfile parser directives
_HEAD = re.compile(r"#!|#\s*(syntax|escape|check)\s*=", re.IGNORECASE)


def workspace_edit(old_new: dict[str, tuple[str, str]], uri: Callable[[str], str]) -> types.WorkspaceEdit | None:
    """abspath -> (old text, new text) as one WorkspaceEdit (None: nothing changes)."""
    changes = {}
    for path, (old, new) in old_new.items():
        edit = text_edit(old, new)
        if edit is not None:
            changes[uri(path)] = [edit]
    return types.WorkspaceEdit(changes=changes) if changes else None


def fix_action(d: Diagnostic, lsp: types.Diagnostic, abspath: Callable[[str], str | None],
               text: Callable[[str], str | None], uri: Callable[[str], str]) -> types.CodeAction | None:
    """The finding's fix, when ``--fix`` (or ``--unsafe-fixes``) would apply it."""
    if not applicable(d, unsafe=True):
        return None
    by_file: dict[str, list] = {}
    for e in d.fix.edits:
        path = abspath(e.span.path) if "#" not in e.span.path else None
        if path is None:
            return None           # a module embedded in JS, or a file the run did not read
        by_file.setdefault(path, []).append(e)
    old_new = {}
    for path, edits in by_file.items():
        old = text(path)
        if old is None:
            return None
        try:
            old_new[path] = (old, apply_fix(old, edits))
        except EditError:
            return None
    edit = workspace_edit(old_new, uri)
    if edit is None:
        return None
    safe = d.fix.applicability == "safe"
    return types.CodeAction(title=f"{d.fix.description}{'' if safe else ' (unsafe)'}",
                            kind=types.CodeActionKind.QuickFix, diagnostics=[lsp],
                            is_preferred=safe, edit=edit)


def suppress_actions(d: Diagnostic, lsp: types.Diagnostic, kind: str, path: str, text: str,
                     uri: str) -> list[types.CodeAction]:
    """Suppress ``d``'s rule on its line and in its file, in the file kind's syntax;
    each edit is kept only when the scanner reads the directive it writes as one
    that covers the finding."""
    opener, end_of_line = comment_opener(kind, path)
    if opener is None:
        return []
    out = []
    for title, new in ((f"Suppress {d.code} on this line", _on_line(d, kind, path, text, opener, end_of_line)),
                       (f"Suppress {d.code} in this file", _in_file(d, text, opener))):
        if new is not None and _covers(text, new, d, kind, path):
            out.append(types.CodeAction(title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[lsp],
                                        edit=types.WorkspaceEdit(changes={uri: [text_edit(text, new)]})))
    return out


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _continued(line: str) -> bool:
    """The line goes on on the next (a shell, Make or Dockerfile continuation)."""
    return line.rstrip("\r").rstrip().endswith("\\")


def _on_line(d: Diagnostic, kind: str, path: str, text: str, opener: str, end_of_line: bool) -> str | None:
    lines = _lines(text)
    i = d.span.line - 1
    if not 0 <= i < len(lines):
        return None
    line = lines[i]
    existing = {x.line: x for x in scan(path, kind, text) if not x.misplaced and x.action != "disable-file"}
    own = existing.get(i + 1) if end_of_line else None
    before = existing.get(i)
    for x in (own if own and own.action == "disable" else None,
              before if before and before.action == "disable-next-line" else None):
        if x is not None:    # add the code to the directive already there
            row = lines[x.line - 1]
            lines[x.line - 1] = row[:x.end_column - 1] + f",{d.code}" + row[x.end_column - 1:]
            return "\n".join(lines)
    if end_of_line and not _continued(line):
        body = line.rstrip("\r")
        lines[i] = f"{body.rstrip()}  {opener} wasmlint: disable={d.code}{line[len(body):]}"
        return "\n".join(lines)
    if i > 0 and _continued(lines[i - 1]):
        return None           # a comment line would end the command the line continues
    indent = line[:len(line) - len(line.lstrip())]
    cr = "\r" if line.endswith("\r") else ""
    lines.insert(i, f"{indent}{opener} wasmlint: disable-next-line={d.code}{cr}")
    return "\n".join(lines)


def _in_file(d: Diagnostic, text: str, opener: str) -> str | None:
    lines = _lines(text)
    at = 0
    while at < len(lines) - 1 and _HEAD.match(lines[at]):
        at += 1
    cr = "\r" if lines[at].endswith("\r") else ""
    lines.insert(at, f"{opener} wasmlint: disable-file={d.code}{cr}")
    return "\n".join(lines)


def _covers(old: str, new: str, d: Diagnostic, kind: str, path: str) -> bool:
    """Whether ``new`` holds a directive that suppresses ``d`` (its line moved down by
    a line inserted above it)."""
    line = d.span.line + new.count("\n") - old.count("\n")
    for x in scan(path, kind, new):
        if not x.misplaced and d.code in x.selectors and x.applies_to_line() in (None, line):
            return True
    return False


def fixable(diags: list[Diagnostic]) -> bool:
    return any(applicable(d, unsafe=False) for d in diags)
