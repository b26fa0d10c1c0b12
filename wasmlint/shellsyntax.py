"""Whether bash rejects a script (what ``bash -n`` says), decided without running a shell.

tree-sitter-bash also flags valid shell it does not know (``for arg do``, ``${@:i:1}``,
``${TAG//'/'/%2F}``, an assignment with a redirect at the end of a file, a here-document
closed by the end of the file), so its errors alone are no verdict; a script whose errors
go when the inside of every ``${…}`` is blanked has none bash would report, nor has one
whose errors go when printf verbs with an argument index (``__%[1]s_debug()``, a Go
format template of a completion script) are blanked. Three kinds agree
with bash on real scripts (tests/test_shell_syntax.py compares them with ``bash -n``): a compound command,
quote or parenthesis that never closes (tree-sitter's MISSING ``fi``, ``done``, ``esac``,
``then``, ``do``, the ``}`` of a group, the ``)`` of an array or substitution, the ``"``
of a string), a reserved word that cannot start a command written where one starts
(``&&`` then ``then`` on the next line), and a file that is mostly not shell at all. The script is read as bash
reads it: a carriage return is an ordinary character, so in a CRLF file ``fi\\r`` is a
word, not ``fi``; errors that only the carriage returns cause are bash's too.
"""
from __future__ import annotations

import re

from .bash import VALUE_LIMIT
from .bashplain import plain_words
from .bashtree import parse_bytes

_KEYWORDS = frozenset(("fi", "done", "esac", "then", "do"))
_CLOSES = {"}": ("compound_statement",), '"': ("string",),
           ")": ("array", "subshell", "command_substitution", "process_substitution")}
MOSTLY_ERRORS = 0.5


def syntax_error(text: str) -> tuple[str, int] | None:
    """``(message, character offset)`` of a syntax error bash would report, or None."""
    if plain_words(text, VALUE_LIMIT) is not None:
        return None        # lines of plain commands (``bashplain``): valid shell, nothing to parse
    data = text.replace("\r", "_").encode("utf-8")
    root = parse_bytes(data).root_node
    if not root.has_error:
        return None
    unclosed = _first_unclosed(root)
    at, word = (unclosed[1], None) if unclosed else _first_error(root)
    relaxed = _expansions_blanked(data)
    if not parse_bytes(relaxed).root_node.has_error:
        return None        # a `${…}` form tree-sitter does not know (`${TAG//'/'/%2F}`), valid to bash
    if _INDEXED_VERB.search(relaxed) and not parse_bytes(_INDEXED_VERB.sub(_blank, relaxed)).root_node.has_error:
        return None        # `__%[1]s_debug()`: a format template's verbs, plain word characters to bash
    as_commands = _test_brackets_as_commands(relaxed)
    if as_commands is not None:
        repaired = parse_bytes(as_commands).root_node
        if not repaired.has_error:
            return None    # `[ '(' "$a" -gt 1 ')' ]`: `[` is a command to bash, its arguments plain words
        # the errors left are the script's own: read them where every `[` is a command
        root, unclosed = repaired, _first_unclosed(repaired)
        at, word = (unclosed[1], None) if unclosed else _first_error(repaired)
    if "\r" in text and (unclosed or not parse_bytes(text.replace("\r", "").encode("utf-8")).root_node.has_error):
        # the errors come from the carriage returns: bash reads them as part of a word
        return ("shell syntax error: CRLF line endings: bash reads the carriage return as part of the "
                "last word of each line, so `then`, `do`, `fi` and `done` there are no keywords", _char(data, at))
    if unclosed is not None:
        return f"shell syntax error: missing `{unclosed[0]}`", _char(data, at)
    if word is not None:
        return f"shell syntax error: unexpected `{word}` where a command starts", _char(data, at)
    if error_bytes(root) / max(1, len(data.strip())) > MOSTLY_ERRORS:
        return "shell syntax error: unexpected text", _char(data, at)
    return None


# a printf verb with an explicit argument index (Go's fmt: `%[1]s`, `%-36[1]s`): a shell
# script kept as a format template (cobra's completion scripts) names functions with them;
# bash takes `%` and `[1]` as word characters, tree-sitter-bash reads `[1]` as a subscript
_INDEXED_VERB = re.compile(rb"%-?[0-9]*\[[0-9]+\]")


def _blank(m: re.Match) -> bytes:
    return b"_" * (m.end() - m.start())


def _expansions_blanked(data: bytes) -> bytes:
    """``data`` with the inside of each ``${…}`` replaced by ``x`` (same length): what is left
    is the script's structure without the parameter-expansion operators."""
    out = bytearray(data)
    k, n = 0, len(data)
    while k < n - 1:
        if data[k:k + 2] != b"${" or (k and data[k - 1:k] == b"\\"):
            k += 1
            continue
        depth, j = 1, k + 2
        while j < n and depth and data[j:j + 1] != b"\n":
            if data[j:j + 2] == b"${":
                depth, j = depth + 1, j + 2
                continue
            depth -= data[j:j + 1] == b"}"
            j += 1
        if depth:                      # not closed on its line: leave it to the parser
            k += 2
            continue
        out[k + 2:j - 1] = b"x" * (j - 1 - (k + 2))
        k = j
    return bytes(out)


# what may stand before a command word on its line: `if [`, `; [`, `&& [`, `! [`, `( [`
_BEFORE_COMMAND = frozenset(b" \t\n;&|(!{")


def _test_brackets_as_commands(data: bytes) -> bytes | None:
    """``data`` with each ``[`` that opens a test written as a command name of the same
    length, or None when there is none. bash parses ``[`` as an ordinary command (the
    ``test`` builtin), so its arguments are words whatever they are: ``'('``, ``\\(`` and
    ``')'`` group only when ``test`` runs. tree-sitter-bash parses a test expression there,
    stops at quoted or escaped parentheses (``[ '(' "$x" -gt 1 ')' -a … ]``, POSIX's
    grouping) and recovers so that later tests may sit in ERROR nodes too: the tree is read
    again after each round until no test is left."""
    out, found = bytearray(data), False
    while True:
        changed, stack = False, [parse_bytes(bytes(out)).root_node]
        while stack:
            n = stack.pop()
            if n.type == "[" and not n.is_missing and n.parent is not None and \
                    n.parent.type in ("test_command", "ERROR"):
                k = n.start_byte
                if (k == 0 or out[k - 1] in _BEFORE_COMMAND) and out[k + 1:k + 2] in (b" ", b"\t"):
                    out[k:k + 1], changed = b"t", True
            stack.extend(n.children)
        if not changed:
            return bytes(out) if found else None
        found = True


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


def _first_error(root) -> tuple[int, str | None]:
    """Where bash stops: at a reserved word written where a command starts, if the broken
    part has one, else where the first ERROR starts. bash reads ``then``, ``fi``, ``do``,
    ``done``, ``else``, ``elif``, ``esac`` and ``}`` as reserved words wherever a command
    may start, and none of them may start one (``if a &&`` / ``then``: "syntax error near
    unexpected token `then'"); tree-sitter-bash takes such a word for a command name and
    wraps the statements from the start of the file in one ERROR node."""
    stack, first = [root], None
    while stack:
        n = stack.pop()
        if first is None and (n.type == "ERROR" or n.is_missing):
            first = n.start_byte
        if n.type == "ERROR":
            word = _reserved_command(n)
            if word is not None:
                return word
        stack.extend(reversed(n.children))
    return first or 0, None


_NEVER_STARTS = frozenset((b"then", b"fi", b"do", b"done", b"else", b"elif", b"esac", b"}"))


def _reserved_command(error) -> tuple[int, str] | None:
    """The first unquoted reserved word that tree-sitter read as a command's name in ``error``."""
    stack = [error]
    while stack:
        n = stack.pop()
        if n.type == "command_name" and n.named_child_count == 1 and n.named_children[0].type == "word" \
                and n.text in _NEVER_STARTS:
            return n.start_byte, n.text.decode()
        stack.extend(reversed(n.children))
    return None


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
