"""A ``new WebAssembly.Memory`` made only to learn what the engine supports.

Capability checks (memory64: ``address: 'i64'``; threads: ``shared: true``)
create a memory and look at what happens: the constructor throws, or its
``buffer`` is or is not a ``SharedArrayBuffer``. Such a memory is a feature test,
not a deployment, when its value never leaves the test: it is dropped, or only
tested (``instanceof``, ``typeof``, ``!``, a comparison, through member reads
such as ``.buffer instanceof SharedArrayBuffer``), bound to a name local to a
function whose every use is such a test — and, inside a ``try`` whose ``catch``
swallows the error or a detector function (``is…``, ``has…``, ``supports…``,
``detect…``, ``…Supported``) that returns a boolean, also cloned with
``postMessage`` to see that it transfers. A memory that is returned, exported,
stored outside the test, put in an import object, viewed with a typed array or
grown is deployed.
"""
from __future__ import annotations

import re

from .parse import (FUNCTIONS, ancestors, call_parts, enclosing_function, function_name, name_of, operator,
                    path_of, returns_of, unwrap, up)

_DETECTOR = re.compile(r"^(is|has|can|supports?|detect|check)([A-Z0-9_]|$)|(Supported|Support|Available)$")
_TESTS = {"instanceof", "===", "!==", "==", "!=", "<", "<=", ">", ">=", "in"}
_BOOLEAN_CALLS = {"WebAssembly.validate", "Boolean", "Array.isArray", "ArrayBuffer.isView"}


def is_feature_test(scan, new) -> bool:
    clone_ok = _in_swallowing_try(scan, new) or _in_detector(scan, new)
    return _only_tested(scan, new, clone_ok)


def _only_tested(scan, expr, clone_ok: bool, depth: int = 0) -> bool:
    """Every use of the value of ``expr`` tests it and lets it go."""
    node = expr
    while up(node) is not None and up(node).type == "member_expression" and \
            unwrap(up(node).child_by_field_name("object")).id == unwrap(node).id:
        node = up(node)                       # mem.buffer, mem.buffer.constructor.name
        if _called(node):
            return False                      # mem.grow(1), mem.buffer.slice(): used, not tested
    parent = up(node)
    if parent is None:
        return False
    t = parent.type
    if t == "expression_statement":
        return True
    if t == "sequence_expression":
        return parent.named_children[-1].id != _outer(node).id
    if t == "binary_expression":
        return operator(parent) in _TESTS
    if t == "unary_expression":
        return operator(parent) in ("!", "typeof", "void")
    if t in ("if_statement", "while_statement", "ternary_expression"):
        cond = parent.child_by_field_name("condition")
        return cond is not None and cond.id == _outer(node).id
    if t == "arguments" and node.id == unwrap(expr).id:
        call = parent.parent
        return clone_ok and name_of(call_parts(call)[0]) == "postMessage"
    if t == "variable_declarator" and node.id == unwrap(expr).id and depth == 0:
        return _local_uses_tested(scan, parent, clone_ok)
    return False


def _local_uses_tested(scan, declarator, clone_ok: bool) -> bool:
    name_node = declarator.child_by_field_name("name")
    if name_node is None or name_node.type != "identifier":
        return False
    fn = enclosing_function(declarator)
    if fn is None:
        return False                          # module scope: other code may read it
    name = name_node.text.decode("utf-8", "replace")
    for use in scan.doc.words(name, ("identifier", "shorthand_property_identifier")):
        if use.id == name_node.id or not (fn.start_byte <= use.start_byte < fn.end_byte):
            continue
        if use.type == "shorthand_property_identifier":
            return False                      # { memory }: handed on
        write = scan.ev.bindings.reaching_write(use)
        if write is not None and write.node.id != name_node.id:
            continue                          # another binding of the same name
        if write is None or not _only_tested(scan, use, clone_ok, depth=1):
            return False
    return True


def _called(member) -> bool:
    parent = up(member)
    return parent is not None and parent.type == "call_expression" and \
        unwrap(call_parts(parent)[0]).id == member.id


def _outer(node):
    while node.parent is not None and node.parent.type == "parenthesized_expression":
        node = node.parent
    return node


def _in_swallowing_try(scan, node) -> bool:
    """In the body of a ``try`` whose ``catch`` does not rethrow."""
    child = node
    for a in ancestors(node):
        if a.type in FUNCTIONS:
            return False
        if a.type == "try_statement":
            body, handler = a.child_by_field_name("body"), a.child_by_field_name("handler")
            if body is not None and body.id == child.id and handler is not None and not _throws(scan, handler):
                return True
        child = a
    return False


def _throws(scan, handler) -> bool:
    scan.doc.reveal(handler)
    stack = list(handler.named_children)
    while stack:
        n = stack.pop()
        if n.type == "throw_statement":
            return True
        if n.type not in FUNCTIONS:
            stack.extend(n.named_children)
    return False


def _in_detector(scan, node) -> bool:
    """In a function named like a detector whose every ``return`` gives a boolean."""
    fn = enclosing_function(node)
    if fn is None or not _DETECTOR.search(function_name(fn) or ""):
        return False
    body = fn.child_by_field_name("body")
    if body is None:
        return False
    scan.doc.reveal(body)
    if body.type != "statement_block":
        return _boolean(scan, body)
    returns = returns_of(body)
    return bool(returns) and all(r.named_children and _boolean(scan, r.named_children[0]) for r in returns)


def _boolean(scan, expr, depth: int = 0) -> bool:
    expr = unwrap(expr)
    if expr is None or depth > 6:
        return False
    t = expr.type
    if t in ("true", "false"):
        return True
    if t == "unary_expression":
        return operator(expr) == "!"
    if t == "binary_expression":
        op = operator(expr)
        if op in _TESTS:
            return True
        return op in ("&&", "||") and all(_boolean(scan, expr.child_by_field_name(s), depth + 1)
                                          for s in ("left", "right"))
    if t == "sequence_expression":
        return _boolean(scan, expr.named_children[-1], depth + 1)
    if t == "ternary_expression":
        return all(_boolean(scan, expr.child_by_field_name(s), depth + 1) for s in ("consequence", "alternative"))
    if t == "call_expression":
        return path_of(call_parts(expr)[0]) in _BOOLEAN_CALLS
    if t == "identifier":
        origin = scan.ev.origin(expr)
        return origin is not None and origin.id != expr.id and _boolean(scan, origin, depth + 1)
    return False
