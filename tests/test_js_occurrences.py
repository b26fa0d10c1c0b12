"""The byte-level reading of a name's occurrence (wasmlint/js/occurrences.py): where it
says "surely a read", a whole parse has no write of the name there. Every combination of
the tokens before and after a name below is parsed by tree-sitter (JavaScript and
TypeScript); wherever ``surely_read`` says yes, the tree's identifier is no write
(``bindings._classify``)."""
from __future__ import annotations

import itertools

import pytest

from tests.test_js_shapes import _closed
from wasmlint import budget
from wasmlint.js import bindings, parse
from wasmlint.js.occurrences import surely_read
from wasmlint.js.parents import register

N = "x"
BEFORE = ["if(", "if (", "while(", "switch(", "do {} while(", "a.if(", "f(", "({ if(", "({ while(", "({ switch(",
          "class A { if(", "class A { while(", "class A { static if(", "do f(); while(", "if (a) {} else if(", "async if(",
          "({ async while(", "({ *if(", "({ get if(", "({ set if(", "class A { private if(", "(a, ", "for (",
          "a.b(", "a?.b(", "a.b (", "a.\nb(", "a. b\n(", "new a.b(", "[...b(", "f(...b(", "class A { b(", "({ b(",
          "function b(", "a.b(c, ", "a.b((", "a.b(async (", "a.function(", "1..b(", "a.b<T>(", "@a.b(",
          "(f(", "y = f(", "a, f(", "({ a, f(", "class A { f(", "interface I { f(", "declare function f(",
          "async function f(", "function* f(", "({ *f(", "async (", "async(", "try {} catch(", "new f(", "f (",
          "abstract class A { abstract f(", "({ get f(", "class A { static f(", "type T = { f("]
AFTER = [")return 1", ") return x", ") {}", "){ x = 1 }", ");", ") /*c*/ {}", "): void {}", ")\n{}", ") x = 2",
         ")=>1", ") => {}", ") f()", ")\n  f()", ") // c\n{}", ")\t;", ") case", ")x++", ")!a", ") (a)", ")[0]",
         ") in o;", ") of o;", ")?.b", ") = 1", ") }", ")}", ") \\u0061",
         ", e)", ", e) => 1", ", e) {}", ") => 1", ", ...e) => {}", ", e = 1) => 1", ", e)\n{}",
         ", e), 1", "), 1", ", e)\n  g()", ", 1) + 2", "), y", ", e) || 1", ", e): T {}", ", e): T;", ",e)=>1"]
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


def test_a_whole_argument_of_a_member_call_is_a_read():
    assert surely_read(b"_f=(e,r)=>RUNTIME.readFile(Module,e,r)", 27, 6)
    assert surely_read(b"a.b (x)", 5, 1)
    assert not surely_read(b"({ b(x, e) {} })", 5, 1)      # a method's parameter
    assert not surely_read(b"a.b((x, e) => 1)", 5, 1)     # an arrow's
    assert not surely_read(b"({ a(){}, f(x, e) {} })", 12, 1)
