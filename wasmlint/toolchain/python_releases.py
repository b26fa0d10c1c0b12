"""Python of another release than the interpreter wasmlint runs on. ``ast`` reads the
grammar of its own release only, so a script for Python 3.12 (PEP 701 f-strings that reuse their
quotes or hold a backslash or a comment, PEP 695 ``type`` statements and type parameters)
raises a SyntaxError under 3.11 although it is valid Python. tree-sitter-python reads the
newer grammar: when it reads the whole file without an error and the interpreter's error
stands in one of those constructs, the file is valid Python of a newer release, not broken."""
from __future__ import annotations

import sys
from functools import lru_cache

# node type → what it is, for the construct holding the interpreter's error
_NEWER = {"type_alias_statement": "a `type` statement (PEP 695, Python 3.12)",
          "type_parameter": "type parameters (PEP 695, Python 3.12)"}
_FSTRING = "an f-string that reuses its quotes or holds a backslash or comment (PEP 701, Python 3.12)"
NEWEST_SYNTAX = (3, 12)       # the release that brought the constructs above


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter_python
    from tree_sitter import Language, Parser
    return Parser(Language(tree_sitter_python.language()))


def other_release_construct(text: str, line: int, column: int) -> str | None:
    """What newer construct holds the interpreter's syntax error at ``line``/``column``
    (1-based, characters), or None: the error is the file's own, or the interpreter
    already reads every construct named here."""
    if sys.version_info >= NEWEST_SYNTAX:
        return None
    data = text.encode("utf-8", "surrogatepass")
    root = _parser().parse(data).root_node
    if root.has_error:
        return None
    lines = text.splitlines(keepends=True)
    if not 1 <= line <= len(lines):
        return None
    # the interpreter places an unclosed f-string's error just after its last character
    for at in (column - 1, column - 2):
        byte_column = len(lines[line - 1][:max(at, 0)].encode("utf-8", "surrogatepass"))
        node = root.descendant_for_point_range((line - 1, byte_column), (line - 1, byte_column))
        while node is not None:
            if node.type in _NEWER:
                return _NEWER[node.type]
            if node.type == "string" and node.child_count and _is_fstring(node.children[0].text or b""):
                return _FSTRING
            node = node.parent
    return None


def _is_fstring(start: bytes) -> bool:
    """A string's opening (``f'``, ``rf\"\"\"``, ``Fr'``) has the f prefix."""
    return b"f" in start.lower().rstrip(b"'\"")
