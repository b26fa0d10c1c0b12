"""Whether a compile from bytes is a loader hook that other code calls with a path.

A WASI/POSIX runtime's worker hands its runtime a function that loads any module
by path — ``function importWebAssemblySync(path, opts) { const mod = new
WebAssembly.Module(fs.readFileSync(path)); … }`` given as ``{ importWebAssemblySync }``
— its ``dlopen``: which shared library it compiles is decided inside the worker at
run time, so there is no one module the thread that starts workers could compile
and share. It is such a hook when the bytes are read from a path that is a
parameter of the function, the file never calls the function, and hands it on as a
value (an argument, a property, a shorthand ``{ f }``).
"""
from __future__ import annotations

from .exports import in_file_calls
from .parse import call_parts, enclosing_function, function_name, name_of, unwrap, up

_READS = {"readFileSync", "readFile"}
_PASS_THROUGH = {"Uint8Array", "Buffer", "from"}
_HANDED_ON = ("arguments", "pair", "shorthand_property_identifier", "array")


def is_loader_hook(scan, call) -> bool:
    fn = enclosing_function(call)
    name = function_name(fn) if fn is not None else None
    _callee, args = call_parts(call)
    if not name or not args or not _read_from_parameter(scan, args[0], fn):
        return False
    return not in_file_calls(scan, fn) and _handed_on(scan, fn, name)


def _read_from_parameter(scan, node, fn, depth: int = 0) -> bool:
    """The bytes are ``readFile(p)`` / ``readFileSync(p)`` of a parameter ``p`` of ``fn``,
    through names, ``await`` and ``new Uint8Array(…)`` / ``Buffer.from(…)``."""
    node = unwrap(node)
    if node is None or depth > 8:
        return False
    if node.type == "await_expression" and node.named_children:
        return _read_from_parameter(scan, node.named_children[0], fn, depth + 1)
    if node.type == "identifier":
        origin = scan.ev.origin(node)
        return origin is not None and origin.id != node.id and _read_from_parameter(scan, origin, fn, depth + 1)
    if node.type not in ("call_expression", "new_expression"):
        return False
    callee, args = call_parts(node)
    last = name_of(callee) or ""
    if not args:
        return False
    if last in _PASS_THROUGH:
        return _read_from_parameter(scan, args[0], fn, depth + 1)
    if last not in _READS:
        return False
    path = unwrap(args[0])
    write = scan.ev.bindings.reaching_write(path) if path is not None and path.type == "identifier" else None
    return write is not None and write.declares == "param" and enclosing_function(write.node) is not None \
        and enclosing_function(write.node).id == fn.id


def _handed_on(scan, fn, name: str) -> bool:
    """The function's name is read as a value the file gives to other code."""
    for word in scan.doc.words(name, ("identifier", "shorthand_property_identifier")):
        if fn.start_byte <= word.start_byte < fn.end_byte:
            continue
        use = up(word)
        if word.type == "shorthand_property_identifier" or (use is not None and use.type in _HANDED_ON):
            return True
    return False
