"""Whether a file is the code a worker runs, read from its syntax.

A node worker reads ``parentPort`` or ``workerData`` of ``worker_threads``
(imported, destructured from ``require``, or read off the module object); a web
worker calls ``importScripts()`` or sets the message handler of its global scope
(``onmessage = …``, ``self.onmessage = …``). The same words in the thread that
starts workers do not count: an option key (``new Worker(f, { workerData })``),
or the source text of an inline worker (``new Worker(`…parentPort…`, { eval: true })``,
a ``Blob`` of ``"onmessage = …"``) — strings and keys are not names.
"""
from __future__ import annotations

from .parse import ancestors, call_parts, name_of, path_of, string_value, unwrap, up
from .shapes import ASSIGNED, CALLEE

_NODE_MARKS = ("parentPort", "workerData")
_MODULES = ("worker_threads", "node:worker_threads", "piscina")   # piscina re-exports workerData
_GLOBAL_HANDLERS = ("onmessage", "self.onmessage", "globalThis.onmessage")


def is_worker_file(scan) -> bool:
    doc = scan.doc
    for word in _NODE_MARKS:
        for node in doc.words(word, ("identifier", "property_identifier", "shorthand_property_identifier_pattern")):
            if _reads_worker_threads(scan, node):
                return True
    for node in doc.words("importScripts", ("identifier", "property_identifier"), CALLEE):
        target = node if node.type == "identifier" else node.parent
        call = up(target)
        if call is not None and call.type == "call_expression" and unwrap(call_parts(call)[0]).id == target.id:
            return True
    for node in doc.words("onmessage", ("identifier", "property_identifier"), ASSIGNED):
        target = node if node.type == "identifier" else node.parent
        write = up(target)
        if write is not None and write.type == "assignment_expression" and \
                unwrap(write.child_by_field_name("left")).id == target.id and path_of(target) in _GLOBAL_HANDLERS:
            return True
    return False


def _reads_worker_threads(scan, node) -> bool:
    """``parentPort`` / ``x.parentPort`` / ``{ parentPort: p } = …`` here is worker_threads' own."""
    parent = node.parent
    if node.type == "property_identifier" and parent.type == "member_expression":
        return _is_module(scan, parent.child_by_field_name("object"))
    if node.type != "identifier":           # a key of a destructuring pattern, minified or not
        if parent.type not in ("pair_pattern", "object_pattern"):
            return False
        declarator = next((a for a in ancestors(node) if a.type == "variable_declarator"), None)
        return declarator is not None and _is_module(scan, declarator.child_by_field_name("value"))
    write = scan.ev.bindings.reaching_write(node)
    if write is None:
        return False
    if write.declares == "import":
        return _imported(write)
    if write.value is not None:                  # const parentPort = require('worker_threads').parentPort
        value = unwrap(write.value)
        return value is not None and value.type == "member_expression" and \
            name_of(value) == node.text.decode("utf-8", "replace") and _is_module(scan, value.child_by_field_name("object"))
    declarator = next((a for a in ancestors(write.node) if a.type == "variable_declarator"), None)
    return declarator is not None and _is_module(scan, declarator.child_by_field_name("value"))


def _imported(write) -> bool:
    stmt = next((a for a in ancestors(write.node) if a.type == "import_statement"), None)
    return stmt is not None and string_value(stmt.child_by_field_name("source")) in _MODULES


def _is_module(scan, node, depth: int = 0) -> bool:
    """``require('worker_threads')``, ``await import('node:worker_threads')``, or a name bound to one."""
    node = unwrap(node)
    if node is None or depth > 4:
        return False
    if node.type == "await_expression":
        return _is_module(scan, node.named_children[0] if node.named_children else None, depth + 1)
    if node.type == "call_expression":
        callee, args = call_parts(node)
        callee = unwrap(callee)
        return callee is not None and callee.type in ("identifier", "import") and \
            callee.text in (b"require", b"import") and bool(args) and string_value(args[0]) in _MODULES
    if node.type == "identifier":
        write = scan.ev.bindings.reaching_write(node)
        if write is None:
            return False
        if write.declares == "import":
            return _imported(write)
        return write.value is not None and _is_module(scan, write.value, depth + 1)
    return False

