"""Python of another release than the interpreter wasmlint runs on. ``ast`` reads the
grammar of its own release only, so a script for Python 3.12 (PEP 701 f-strings that reuse their
quotes or hold a backslash or a comment, PEP 695 ``type`` statements and type parameters)
raises a SyntaxError under 3.11 although it is valid Python. So does a Python 2 script
(``print "x"``, ``exec code``, ``except E, e:``, ``raise E, "m"``, ``0777``), still found in
build folders of older projects and run by their ``python2``. tree-sitter-python reads both
grammars: when it reads the whole file without an error and the interpreter's error stands
in one of those constructs, the file is valid Python of another release, not broken."""
from __future__ import annotations

import sys
from functools import lru_cache

# node type → what it is, for the construct holding the interpreter's error
_NEWER = {"type_alias_statement": "a `type` statement (PEP 695, Python 3.12)",
          "type_parameter": "type parameters (PEP 695, Python 3.12)"}
_FSTRING = "an f-string that reuses its quotes or holds a backslash or comment (PEP 701, Python 3.12)"
NEWEST_SYNTAX = (3, 12)       # the release that brought the constructs above
# Python 2 statements tree-sitter-python keeps (Python 3 made them functions or dropped them)
_PYTHON2 = {"print_statement": "a Python 2 `print` statement",
            "exec_statement": "a Python 2 `exec` statement"}
_PYTHON2_SEPARATED = {"except_clause": "a Python 2 `except E, name:` clause",
                      "raise_statement": "a Python 2 `raise E, message` statement"}


@lru_cache(maxsize=1)
def _parser():
    import tree_sitter_python
    from tree_sitter import Language, Parser
    return Parser(Language(tree_sitter_python.language()))


def other_release_construct(text: str, line: int, column: int) -> str | None:
    """What construct of another Python release holds the interpreter's syntax error at
    ``line``/``column`` (1-based, characters), or None: the error is the file's own, or
    the interpreter already reads the construct."""
    data = text.encode("utf-8", "surrogatepass")
    root = _parser().parse(data).root_node
    if root.has_error:
        return None
    lines = text.splitlines(keepends=True)
    if not 1 <= line <= len(lines):
        return None
    # the interpreter places an unclosed f-string's error just after its last character, and
    # a triple-quoted one's at the token after it (the `)` closing the call it is passed to)
    for at in (column - 1, column - 2):
        byte_column = len(lines[line - 1][:max(at, 0)].encode("utf-8", "surrogatepass"))
        node = root.descendant_for_point_range((line - 1, byte_column), (line - 1, byte_column))
        if node is not None and node.type == "integer" and _is_python2_octal(node.text or b""):
            return "a Python 2 octal literal (`0777`)"
        before = node.prev_sibling if node is not None else None
        while node is not None:
            found = _construct(node)
            if found:
                return found
            node = node.parent
        if before is not None and before.type == "string" and _construct(before) == _FSTRING:
            return _FSTRING
    return None


def _construct(node) -> str | None:
    if node.type in _PYTHON2:
        return _PYTHON2[node.type]
    if node.type in _PYTHON2_SEPARATED and any(c.type in (",", "expression_list") for c in node.children):
        return _PYTHON2_SEPARATED[node.type]
    if sys.version_info >= NEWEST_SYNTAX:
        return None
    if node.type in _NEWER:
        return _NEWER[node.type]
    if node.type == "string" and node.child_count and _is_fstring(node.children[0].text or b""):
        return _FSTRING
    return None


def _is_python2_octal(text: bytes) -> bool:
    return len(text) > 1 and text[:1] == b"0" and text.isdigit() and text.strip(b"0") != b""


def _is_fstring(start: bytes) -> bool:
    """A string's opening (``f'``, ``rf\"\"\"``, ``Fr'``) has the f prefix."""
    return b"f" in start.lower().rstrip(b"'\"")
