"""Tests of ``if``/``case`` that can be decided before the script runs (a mixin of
``bash._Eval``, beside ``bashforks.Forks``): when every word a test compares is known
(``[ "$1" = release ]`` in a script run as ``build.sh release``, ``case "$MODE" in``
after ``MODE=web``), bash runs exactly one branch — or none — and the others never run.

Decided here: ``[ … ]``, ``[[ … ]]`` and ``test …`` with one string comparison
(``=``, ``==``, ``!=``) or ``-z``/``-n``, joined by ``&&``/``||``/``!``; ``case`` whose
patterns before the match are words of known text. A pattern of ``[[ … ]]`` or ``case``
is matched as bash globs it (``fnmatchcase``; bash's extended globs are left undecided).
Anything else — an unknown word, another operator, a command's exit status — leaves the
statement to ``Forks.alternatives``."""
from __future__ import annotations

from fnmatch import fnmatchcase

from .bashwords import known

_EQUAL = ("=", "==")
_WORD_NODES = ("word", "string", "raw_string", "simple_expansion", "expansion", "concatenation",
               "number", "ansi_c_string")
_EXTGLOB = ("?(", "*(", "+(", "@(", "!(")


class Tests:
    def decided_branch(self, node, tests: list[list]) -> int | None:
        """The index (in ``bashtree.branches``' bodies; ``tests``: its tests of each clause)
        of the branch bash runs, -1 when it runs none (an ``if`` without ``else`` whose
        tests all fail), None when not known."""
        if node.type == "case_statement":
            return self._case(node)
        for k, clause in enumerate(tests):
            if not clause and k == len(tests) - 1 and any(c.type == "else_clause" for c in node.named_children):
                return k                                  # every test before failed: the else
            test = [c for c in clause if c.type != "comment"]
            verdict = self._truth(test[0]) if len(test) == 1 else None
            if verdict is None:
                return None
            if verdict:
                return k
        return -1

    def _truth(self, node) -> bool | None:
        t = node.type
        if t == "test_command":
            kids = [c for c in node.named_children if c.type != "comment"]
            return self._expression(kids[0], node.children[0].type == "[[") if len(kids) == 1 else None
        if t == "list" and len(node.named_children) == 2:
            op = next((c.type for c in node.children if not c.is_named), "")
            left = self._truth(node.named_children[0])
            if left is None or op not in ("&&", "||"):
                return None
            if (op == "&&" and not left) or (op == "||" and left):
                return left
            return self._truth(node.named_children[1])
        if t == "negated_command" and len(node.named_children) == 1:
            inner = self._truth(node.named_children[0])
            return None if inner is None else not inner
        if t == "command":
            return self._test_builtin(node)
        return None

    def _expression(self, node, double: bool) -> bool | None:
        t = node.type
        if t == "parenthesized_expression" and len(node.named_children) == 1:
            return self._expression(node.named_children[0], double)
        if t == "unary_expression" and len(node.named_children) == 2:
            op = node.named_children[0]
            value = self._text(node.named_children[1], double)
            return _unary(op.text.decode(errors="replace"), value)
        if t == "binary_expression" and len(node.named_children) == 2:
            op = next((c.type for c in node.children if not c.is_named), "")
            left, right = node.named_children
            if op in ("&&", "||") and double:
                a = self._expression(left, double)
                if a is None or (op == "&&" and not a) or (op == "||" and a):
                    return a
                return self._expression(right, double)
            if op not in (*_EQUAL, "!="):
                return None
            a = self._text(left, double)
            if double and right.type not in ("string", "raw_string"):   # unquoted: a pattern
                b = self._text(right, double, pattern=True)
                same = None if a is None or b is None else fnmatchcase(a, b)
            else:
                b = self._text(right, double)
                same = None if a is None or b is None else a == b
            return None if same is None else same == (op in _EQUAL)
        return None

    def _test_builtin(self, node) -> bool | None:
        """``test A = B``, ``test -n A``: the words after the command name."""
        name = node.child_by_field_name("name")
        if name is None or name.text != b"test":
            return None
        args = [self._text(c, False) for c in node.named_children if c.type != "command_name"]
        if None in args:
            return None
        if len(args) == 3 and args[1] in (*_EQUAL, "!="):
            return (args[0] == args[2]) == (args[1] in _EQUAL)
        if len(args) == 2:
            return _unary(args[0], args[1])
        return None

    def _case(self, node) -> int | None:
        value_node = node.child_by_field_name("value")
        value = None if value_node is None else self._text(value_node, True)
        if value is None:
            return None
        k = 0
        for item in node.named_children:
            if item.type != "case_item":
                continue
            for f, c in enumerate(item.children):
                if item.field_name_for_child(f) != "value":
                    continue
                pattern = self._text(c, True, pattern=True)
                if pattern is None:
                    return None
                quoted = c.type in ("string", "raw_string")
                if (value == pattern) if quoted else fnmatchcase(value, pattern):
                    return k
            k += 1
        return -1                # no pattern matches: bash runs no branch

    def _text(self, node, double: bool, pattern: bool = False) -> str | None:
        """A test word's known text (None when any of it is unknown, or when ``[ … ]`` would
        split it into several words or a pattern holds bash's extended globs)."""
        if pattern and node.type in ("extglob_pattern", "regex"):   # a pattern's literal text
            text = node.text.decode(errors="replace")
            if "$" in text or "`" in text:
                return None
        elif node.type not in _WORD_NODES:
            return None
        else:
            saved, self.reading = self.reading, set()
            value = self.joined(node)
            unsure = self.read_since(saved)    # a value one branch or default chose (bashforks)
            if unsure or not known(value):
                return None
            text = value.text
        if not double and node.type not in ("string", "raw_string") and any(c in text for c in " \t\n*?["):
            return None      # unquoted in `[ … ]`: split into several words, or globbed against files
        if pattern and (any(e in text for e in _EXTGLOB) or "\\" in text):
            return None
        return text


def _unary(op: str, value: str | None) -> bool | None:
    if value is None:
        return None
    if op == "-z":
        return value == ""
    if op == "-n":
        return value != ""
    return None
