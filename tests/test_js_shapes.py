"""The shapes of searched words (wasmlint/js/shapes.py): a shape may say no only where
a whole parse has no node of the kind its builder reads. Every combination of the
tokens before and after a word below is parsed by tree-sitter (JavaScript and
TypeScript); wherever the tree has the node a shape stands for, the shape must fit."""
from __future__ import annotations

import itertools

import pytest

from wasmlint.js import parse, shapes
from wasmlint.js.parse import call_parts, name_of, unwrap, up

W = "fn"
BEFORE = ["", "a.", "a?.", "a\n  .", "a./* c */", "(", "((", "var ", "let ", "const ", "let a, ", "var a = 1,\n",
          "var /* c */ ", "x = ", "f(", "new X(", "new X(a, ", "new X(a.", "f(a, b.", "new X((a.\n", "case ", "return ", "typeof ", "!", "a ? ", "[",
          "{ a: ", "a,", "for (var ", "for (const ", "new Uint8Array(a.", "new Uint8Array(a.b?.", "Uint8Array(a.",
          "new globalThis.DataView(\n a.", "new Uint8Array((a.", "new Int8Array(b, a.", "new Uint8Array(...a.",
          "new Uint8Array(await a.", "new Uint8Array(/* c */ a.", "new Uint8Array<T>(a.", "new Int32Array(a[0].",
          "new Float64Array(f().", "_free(a.", "if (a.", "new Uint8Array(a /* c */ ."]
AFTER = ["(1)", "`t`", "?.(1)", "<T>(1)", ")(1)", "))(1)", " /* c */ (1)", "\n(1)", "// c\n(1)", "!(1)", " as any)(1)",
         ".b(1)", "?.b(1)", " = 1", " => 1", " == 1", ", 2", ")", "))", ";", " in o) ;", " of o) ;", ": T = 1", " && b",
         "", "\n", "\nf()", ".buffer", " += 1", "!: T", "/* c */ = 1", " = 1, b = 2", ") = 1", " as T) = 1", ")"]
CLOSE = {"(": ")", "[": "]", "{": "}"}


def _closed(text: str) -> str:
    """``text`` with the brackets it opens closed, so that most combinations parse."""
    stack = []
    for ch in text:
        if ch in CLOSE:
            stack.append(CLOSE[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
    return text + "".join(reversed(stack))


def _called(target) -> bool:
    holder = up(target)
    return holder is not None and holder.type == "call_expression" and \
        unwrap(holder.child_by_field_name("function")).id == target.id


def _target(node):
    return node if node.type == "identifier" else node.parent


# what each shape stands for, read off a whole parse's node of the word
READS = {
    "CALLEE": lambda n: n.type in ("identifier", "property_identifier") and _called(_target(n)),
    "CALLEE_OR_OBJECT": lambda n: READS["CALLEE"](n) or (
        n.type == "identifier" and (h := up(n)) is not None and h.type == "member_expression" and
        unwrap(h.child_by_field_name("object")).id == n.id and _called(h)),
    "CALLED_MEMBER": lambda n: n.type == "property_identifier" and n.parent.type == "member_expression" and
    _called(n.parent),
    "MEMBER_ARGUMENT": lambda n: n.type == "property_identifier" and n.parent.type == "member_expression" and
    (a := up(n.parent)) is not None and a.type == "arguments",
    "VIEW_ARGUMENT": lambda n: READS["MEMBER_ARGUMENT"](n) and (a := up(n.parent)).parent.type == "new_expression" and
    name_of(call_parts(a.parent)[0]) in shapes.VIEW_TYPES and unwrap(call_parts(a.parent)[1][0]).id == n.parent.id,
    "ASSIGNED": lambda n: n.type in ("identifier", "property_identifier") and
    (w := up(_target(n))) is not None and w.type == "assignment_expression" and
    unwrap(w.child_by_field_name("left")).id == _target(n).id,
    "DECLARED": lambda n: n.type == "identifier" and n.parent.type == "variable_declarator" and
    n.parent.child_by_field_name("name").id == n.id,
}


def _nodes(dialect: str, text: str):
    tree = parse.parser(dialect).parse(text.encode())
    if tree.root_node.has_error:
        return None
    out, stack = [], [tree.root_node]
    while stack:
        n = stack.pop()
        if n.text == W.encode() and n.type in ("identifier", "property_identifier"):
            out.append(n)
        stack.extend(n.children)
    return out


@pytest.mark.parametrize("name", sorted(READS))
def test_a_shape_fits_every_node_of_its_kind(name):
    shape, reads = getattr(shapes, name), READS[name]
    seen = rejected = 0
    for before, after, dialect in itertools.product(BEFORE, AFTER, ("javascript", "typescript")):
        text = _closed(before + W + after)
        nodes = _nodes(dialect, text)
        for n in nodes or ():
            fits = shape.fits(text.encode(), n.start_byte, len(W))
            if reads(n):
                seen += 1
                assert fits, (name, dialect, text)
            rejected += not fits
    assert seen >= 10 and rejected >= 10, (seen, rejected)     # both sides were tried


@pytest.mark.parametrize("name, text, fits", [
    ("DECLARED", "var ENVIRONMENT_IS_NODE = true", True),
    ("DECLARED", "var a = 1, ENVIRONMENT_IS_NODE", True),
    ("DECLARED", "warn(e), ENVIRONMENT_IS_NODE && (e = 'warning: ' + e)", False),
    ("DECLARED", "if (ENVIRONMENT_IS_NODE) {}", False),
    ("CALLED_MEMBER", "case ENVIRONMENT_IS_NODE.Type.Binary:", False),
    ("CALLEE_OR_OBJECT", "ENVIRONMENT_IS_NODE.execSync(cmd)", True),
    ("CALLEE", "/(a|ENVIRONMENT_IS_NODE)){5}/", False),
    ("CALLEE", "(ENVIRONMENT_IS_NODE)(x)", True),
    ("MEMBER_ARGUMENT", "HEAP8 = new Int8Array(ENVIRONMENT_IS_NODE)", False),
    ("MEMBER_ARGUMENT", "new Int8Array(m.ENVIRONMENT_IS_NODE)", True),
    ("VIEW_ARGUMENT", "_free(info.ENVIRONMENT_IS_NODE);", False),               # emscripten's library_pthread
    ("VIEW_ARGUMENT", "w.queue.writeBuffer(s.gpuData.ENVIRONMENT_IS_NODE, 0)", False),  # onnxruntime-web
    ("VIEW_ARGUMENT", "new Float32Array(t.ENVIRONMENT_IS_NODE, t.byteOffset)", True),
    ("VIEW_ARGUMENT", "new Uint8Array(buf, m.ENVIRONMENT_IS_NODE)", False),
    ("VIEW_ARGUMENT", "new Uint8Array((a || b).ENVIRONMENT_IS_NODE)", True),
    ("ASSIGNED", "globalThis.ENVIRONMENT_IS_NODE = async e => {}", True),
    ("ASSIGNED", "if (self.ENVIRONMENT_IS_NODE === f) {}", False),
])
def test_shapes_of_real_glue_lines(name, text, fits):
    data = text.encode()
    i = data.index(b"ENVIRONMENT_IS_NODE")
    assert getattr(shapes, name).fits(data, i, len(b"ENVIRONMENT_IS_NODE")) is fits


def test_a_written_name_is_declared_or_given_a_value():
    assert shapes.WRITTEN.fits(b"var Module = 1", 4, 6) and shapes.WRITTEN.fits(b"x; Module = 2", 3, 6)
    assert shapes.WRITTEN.fits(b"var moduleRtn,Module=moduleArg", 14, 6)
    assert not shapes.WRITTEN.fits(b"f(Module, e)", 2, 6) and not shapes.WRITTEN.fits(b"Module == 1", 0, 6)
