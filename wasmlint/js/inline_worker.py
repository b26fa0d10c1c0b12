"""The function a Blob worker runs: ``new Worker(URL.createObjectURL(new Blob(["(",
fn.toString(), ")()"])))``, or the same Blob of ``"(" + fn + ")()"`` / `` `(${fn})()` ``.

A function's source text (``Function.prototype.toString``) put in a Blob is the
worker's whole script, so the code of ``fn`` in this file runs in that worker.
"""
from __future__ import annotations

from .parse import call_parts, name_of, path_of, unwrap

_FUNCTIONS = ("function_declaration", "function_expression", "function", "arrow_function",
              "generator_function_declaration")


def blob_function(scan, url):
    """The function node whose source the Blob behind the worker URL ``url`` is, else None."""
    node = _value(scan, url)
    if node is None or node.type != "call_expression":
        return None
    callee, args = call_parts(node)
    if path_of(unwrap(callee)) not in ("URL.createObjectURL", "window.URL.createObjectURL",
                                       "self.URL.createObjectURL", "webkitURL.createObjectURL") or not args:
        return None
    blob = _value(scan, args[0])
    if blob is None or blob.type != "new_expression" or name_of(unwrap(call_parts(blob)[0])) != "Blob":
        return None
    _c, parts = call_parts(blob)
    array = _value(scan, parts[0]) if parts else None
    if array is None or array.type != "array":
        return None
    for el in array.named_children:
        fn = _source_of(scan, el)
        if fn is not None:
            return fn
    return None


def _value(scan, node):
    """What ``node`` stands for: through names and ``a = b = value`` chains."""
    node = scan.ev.origin(node)
    for _ in range(4):
        if node is None or node.type != "assignment_expression":
            break
        node = scan.ev.origin(node.child_by_field_name("right"))
    return node


def _source_of(scan, node, depth: int = 0):
    """``fn.toString()``, ``fn`` in a ``+`` concatenation or a template: the function ``fn``."""
    node = unwrap(node)
    if node is None or depth > 4:
        return None
    if node.type == "call_expression":
        callee, args = call_parts(node)
        callee = unwrap(callee)
        if callee is not None and callee.type == "member_expression" and name_of(callee) == "toString" and not args:
            return _function(scan, callee.child_by_field_name("object"))
        return None
    if node.type == "binary_expression":
        for side in ("left", "right"):
            fn = _source_of(scan, node.child_by_field_name(side), depth + 1)
            if fn is not None:
                return fn
        return _function(scan, node.child_by_field_name("left")) or _function(scan, node.child_by_field_name("right"))
    if node.type == "template_string":
        for sub in node.named_children:
            if sub.type == "template_substitution" and sub.named_children:
                fn = _source_of(scan, sub.named_children[0], depth + 1) or _function(scan, sub.named_children[0])
                if fn is not None:
                    return fn
    return None


def _function(scan, node):
    """The function a name (or an inline function) is."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type in _FUNCTIONS:
        return node
    if node.type != "identifier":
        return None
    w = scan.ev.bindings.reaching_write(node)
    if w is None:
        return None
    if w.declares == "function":
        fn = w.node.parent
        return fn if fn is not None and fn.type in _FUNCTIONS else None
    value = unwrap(w.value) if w.value is not None else None
    return value if value is not None and value.type in _FUNCTIONS else None
