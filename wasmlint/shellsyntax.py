"""Whether bash rejects a script (what ``bash -n`` says), decided without running a shell.

tree-sitter-bash also flags valid shell it does not know (``for arg do``, ``${@:i:1}``,
an assignment with a redirect at the end of a file, a here-document closed by the end
of the file), so its errors alone are no verdict. Two kinds agree with bash on real
scripts (tests/test_shell_syntax.py compares them with ``bash -n``): a compound command,
quote or parenthesis that never closes (tree-sitter's MISSING ``fi``, ``done``, ``esac``,
``then``, ``do``, the ``}`` of a group, the ``)`` of an array or substitution, the ``"``
of a string), and a file that is mostly not shell at all. The script is read as bash
reads it: a carriage return is an ordinary character, so in a CRLF file ``fi\\r`` is a
word, not ``fi``; errors that only the carriage returns cause are bash's too.
"""
from __future__ import annotations

from . import budget
from .bash import parser as _parser

_KEYWORDS = frozenset(("fi", "done", "esac", "then", "do"))
_CLOSES = {"}": ("compound_statement",), '"': ("string",),
           ")": ("array", "subshell", "command_substitution", "process_substitution")}
MOSTLY_ERRORS = 0.5


def syntax_error(text: str) -> tuple[str, int] | None:
    """``(message, character offset)`` of a syntax error bash would report, or None."""
    data = text.replace("\r", "_").encode("utf-8")
    root = budget.parse(_parser(), data).root_node
    if not root.has_error:
        return None
    unclosed = _first_unclosed(root)
    at = unclosed[1] if unclosed else _first_error(root)
    if "\r" in text and (unclosed or not budget.parse(_parser(), text.replace("\r", "").encode("utf-8"))
                          .root_node.has_error):
        # the errors come from the carriage returns: bash reads them as part of a word
        return ("shell syntax error: CRLF line endings: bash reads the carriage return as part of the "
                "last word of each line, so `then`, `do`, `fi` and `done` there are no keywords", _char(data, at))
    if unclosed is not None:
        return f"shell syntax error: missing `{unclosed[0]}`", _char(data, at)
    if error_bytes(root) / max(1, len(data.strip())) > MOSTLY_ERRORS:
        return "shell syntax error: unexpected text", _char(data, at)
    return None


def _first_unclosed(root) -> tuple[str, int] | None:
    stack = [root]
    while stack:
        n = stack.pop()
        if n.is_missing:
            parent = n.parent.type if n.parent is not None else ""
            if n.type in _KEYWORDS or parent in _CLOSES.get(n.type, ()):
                return n.type, n.start_byte
        elif n.has_error:
            stack.extend(reversed(n.children))
    return None


def _first_error(root) -> int:
    stack = [root]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            return n.start_byte
        stack.extend(reversed(n.children))
    return 0


def _char(data: bytes, byte: int) -> int:
    return len(data[:byte].decode("utf-8", "ignore"))


def error_bytes(root) -> int:
    """Bytes inside ERROR nodes (outermost ones only)."""
    total, stack = 0, [root]
    while stack:
        n = stack.pop()
        if n.type == "ERROR":
            total += n.end_byte - n.start_byte
        elif n.has_error:
            stack.extend(n.children)
    return total
