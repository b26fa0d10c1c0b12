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

from .parse import FUNCTIONS, ancestors, call_parts, name_of, path_of, string_value, unwrap, up
from .shapes import ASSIGNED, CALLEE

_NODE_MARKS = ("parentPort", "workerData")
_MODULES = ("worker_threads", "node:worker_threads", "piscina")   # piscina re-exports workerData
_GLOBAL_HANDLERS = ("onmessage", "self.onmessage", "globalThis.onmessage")


def is_worker_file(scan) -> bool:
    return next(_marks(scan), None) is not None


def _marks(scan):
    """The reads and calls that make the file a worker's code, in order."""
    doc = scan.doc
    for word in _NODE_MARKS:
        for node in doc.words(word, ("identifier", "property_identifier", "shorthand_property_identifier_pattern")):
            if _reads_worker_threads(scan, node):
                yield node
    for node in doc.words("importScripts", ("identifier", "property_identifier"), CALLEE):
        target = node if node.type == "identifier" else node.parent
        call = up(target)
        if call is not None and call.type == "call_expression" and unwrap(call_parts(call)[0]).id == target.id:
            yield node
    for node in doc.words("onmessage", ("identifier", "property_identifier"), ASSIGNED):
        target = node if node.type == "identifier" else node.parent
        write = up(target)
        if write is not None and write.type == "assignment_expression" and \
                unwrap(write.child_by_field_name("left")).id == target.id and path_of(target) in _GLOBAL_HANDLERS:
            yield node


MAX_CALLERS = 8          # functions followed back through their callers to the worker's


def worker_functions(scan, starts: list) -> set | None:
    """The outermost functions that read the worker's marks (``parentPort``, ``workerData``,
    ``onmessage = …``; their ids), of a module that holds both sides: it reads them only
    inside functions (no module-level code of it is a worker's) and starts workers itself
    (``starts``: its ``new Worker`` sites) outside those functions. None when the file is not such a module (a
    worker's file: all of its code is the worker's)."""
    outer = set()
    for node in _marks(scan):
        if _declares(node):
            continue                    # `import { parentPort }`: a name bound, not read yet
        fn = outermost_function(node)
        if fn is None:
            return None                 # the module's own code reads them: a worker's file
        outer.add(fn.id)
    if not outer or all((f := outermost_function(s)) is not None and f.id in outer for s in starts):
        return None
    return outer


def worker_side(scan, node) -> bool:
    """``node`` of a worker file runs in the worker: all of a worker's file does; of a module
    holding both sides (``worker_functions``), a worker's function (``runs_in_worker``)."""
    sides = scan.worker_functions
    return True if sides is None else runs_in_worker(scan, node, sides)


def runs_in_worker(scan, node, outer: set, seen: set | None = None) -> bool:
    """Whether ``node`` of such a module (``worker_functions``) runs in a worker: it is in a
    function that reads the marks, or in one that such a function calls in the file. The
    module runs a function in a worker only when the worker calls it (JavaScriptKit's
    platforms/node.js: ``defaultNodeThreadSetup`` reads ``parentPort``; ``defaultNodeSetup``,
    which compiles the module and hands it to the workers it starts, is the main thread's)."""
    from .exports import in_file_calls
    fn = outermost_function(node)
    if fn is None or fn.id in outer:
        return fn is not None
    seen = set() if seen is None else seen
    if fn.id in seen or len(seen) >= MAX_CALLERS:
        return False
    seen.add(fn.id)
    return any(runs_in_worker(scan, call, outer, seen) for call in in_file_calls(scan, fn))


def _declares(node) -> bool:
    """``node`` is a name an import or a destructuring declaration binds."""
    parent = node.parent
    return parent is not None and (parent.type in ("import_specifier", "object_pattern", "pair_pattern")
                                   or node.type == "shorthand_property_identifier_pattern")


def outermost_function(node):
    """The function around ``node`` that no other function holds (a class's method is one)."""
    found = None
    for a in ancestors(node):
        if a.type in FUNCTIONS:
            found = a
    return found


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

