"""The byte-level reading of a name's occurrence (wasmlint/js/occurrences.py): where it
says "surely a read", a whole parse has no write of the name there. Every combination of
the tokens before and after a name below is parsed by tree-sitter (JavaScript and
TypeScript); wherever ``surely_read`` says yes, the tree's identifier is no write
(``bindings._classify``)."""
from __future__ import annotations

import itertools

import pytest

from wasmlint import budget
from wasmlint.js import bindings, parse
from wasmlint.js.occurrences import surely_read
from wasmlint.js.parents import register

N = "x"
BEFORE = ["if(", "if (", "while(", "switch(", "do {} while(", "a.if(", "f(", "({ if(", "({ while(", "({ switch(",
          "class A { if(", "class A { while(", "class A { static if(", "do f(); while(", "if (a) {} else if(", "async if(",
          "({ async while(", "({ *if(", "({ get if(", "({ set if(", "class A { private if(", "(a, ", "for ("]
AFTER = [")return 1", ") return x", ") {}", "){ x = 1 }", ");", ") /*c*/ {}", "): void {}", ")\n{}", ") x = 2",
         ")=>1", ") => {}", ") f()", ")\n  f()", ") // c\n{}", ")\t;", ") case", ")x++", ")!a", ") (a)", ")[0]",
         ") in o;", ") of o;", ")?.b", ") = 1", ") }", ")}", ") \\u0061"]
CLOSE = {"(": ")", "[": "]", "{": "}"}


def _closed(text: str) -> str:
    stack = []
    for ch in text:
        if ch in CLOSE:
            stack.append(CLOSE[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
    return text + "".join(reversed(stack))


@pytest.mark.parametrize("dialect", ["javascript", "typescript"])
def test_a_name_surely_read_is_no_write_in_the_tree(dialect):
    reads = parsed = 0
    for before, after in itertools.product(BEFORE, AFTER):
        text = _closed(before + N + after)
        data, i = text.encode(), len(before)
        with budget.for_file(len(data)):
            root = budget.parse(parse.parser(dialect), data).root_node
        if root.has_error:
            continue
        parsed += 1
        register(root, data)
        node = root.descendant_for_byte_range(i, i + 1)
        if surely_read(data, i, 1):
            reads += 1
            assert node.type != "identifier" or bindings._classify(node) is None, (dialect, text)
    assert parsed > 150 and reads > 40, (parsed, reads)


def test_the_whole_condition_of_an_if_is_a_read():
    assert surely_read(b"function f(e){if(ENVIRONMENT_IS_PTHREAD)return g(e)}", 17, 22)
    assert surely_read(b"while (x) f()", 7, 1)
    assert not surely_read(b"({ if(x) { return x } })", 6, 1)    # a method named if: x is its parameter
    assert not surely_read(b"class A { while(x); }", 16, 1)       # an overload's signature
    assert not surely_read(b"if (x) /* c */ {}", 4, 1)
    assert not surely_read(b"if (x)\n  f()", 4, 1)
