"""Whether a buffered compile is the fallback of a streaming one in the same file.

Loaders try ``instantiateStreaming``/``compileStreaming`` first and keep an
``arrayBuffer()`` path for engines without it or servers that send the wrong
MIME type. That path runs only when the streaming one does not, when it is:

* in the ``catch`` of a ``try`` that streams;
* in another branch of the ``if``/``?:`` that streams in one branch
  (``typeof WebAssembly.instantiateStreaming === 'function'``, a Content-Type check);
* after a ``return`` on the streaming path, or in a branch that returns before it
  (``try { return await instantiateStreaming(…) } catch {…}`` then the fallback);
* in the rejection handler of the streaming promise (``.catch(…)``, ``.then(ok, …)``);
* in a function (not exported) or method that is only called, or passed as a
  handler, from such places — Emscripten's ``instantiateArrayBuffer``, a
  ``wasmFallback`` method.
"""
from __future__ import annotations

from .parse import FUNCTIONS, ancestors, call_parts, enclosing_function, name_of, unwrap, up

_MAX_HOPS = 3


def is_streaming_fallback(scan, call) -> bool:
    streams = scan.streaming_calls
    return bool(streams) and _fallback(scan, call, streams, 0)


def _fallback(scan, node, streams, hops: int) -> bool:
    if any(runs_only_without(scan, node, s) for s in streams):
        return True
    if hops >= _MAX_HOPS:
        return False
    name, fn = _named_function(node)
    if fn is None:
        return False
    uses = _references(scan, name, fn)
    return bool(uses) and all(_fallback(scan, use, streams, hops + 1) for use in uses)


def runs_only_without(scan, node, stream) -> bool:
    """``node`` runs only where ``stream`` (any call) did not run or failed."""
    return (_in_catch_of(node, stream) or _other_branch(node, stream) or _after_return(node, stream)
            or _after_return(stream, node) or _rejection_handler(scan, node, stream))


def _inside(node, outer) -> bool:
    return outer is not None and outer.start_byte <= node.start_byte and node.end_byte <= outer.end_byte


def _in_catch_of(node, stream) -> bool:
    for a in ancestors(node):
        if a.type == "catch_clause" and a.parent is not None and _inside(stream, a.parent.child_by_field_name("body")):
            return True
    return False


def _other_branch(node, stream) -> bool:
    """Different branches of the innermost ``if``/``?:`` that holds both."""
    for a in ancestors(node):
        if not _inside(stream, a):
            continue
        if a.type not in ("if_statement", "ternary_expression"):
            return False
        branches = [a.child_by_field_name(f) for f in ("consequence", "alternative")]
        mine = next((i for i, b in enumerate(branches) if b is not None and _inside(node, b)), None)
        theirs = next((i for i, b in enumerate(branches) if b is not None and _inside(stream, b)), None)
        return mine is not None and theirs is not None and mine != theirs
    return False


def _after_return(later, earlier) -> bool:
    """``earlier`` sits on a path that returns, and ``later`` follows that return in the same function."""
    if later.start_byte < earlier.end_byte:
        return False
    fn, other = enclosing_function(earlier), enclosing_function(later)
    if (fn and fn.id) != (other and other.id):
        return False
    child = earlier
    for a in ancestors(earlier):
        if fn is not None and a.id == fn.id:
            return False
        if a.type == "return_statement":
            return later.start_byte >= a.end_byte
        if a.type == "statement_block":
            after = [s for s in a.named_children if s.start_byte >= child.end_byte]
            ret = next((s for s in after if s.type == "return_statement"), None)
            if ret is not None:
                return later.start_byte >= ret.end_byte
        child = a
    return False


def _rejection_handler(scan, node, stream) -> bool:
    """``node`` is, or is inside, the ``.catch(h)``/``.then(ok, h)`` handler of a chain that streams."""
    for fn in [node] + [a for a in ancestors(node) if a.type in FUNCTIONS]:
        parent = up(fn)
        if parent is None or parent.type != "arguments":
            continue
        call = parent.parent
        callee, args = call_parts(call)
        callee = unwrap(callee)
        if callee is None or callee.type != "member_expression":
            continue
        index = next((i for i, a in enumerate(args) if unwrap(a).id == unwrap(fn).id), -1)
        if (name_of(callee), index) in (("catch", 0), ("then", 1)) and \
                _chain_holds(scan, callee.child_by_field_name("object"), stream):
            return True
    return False


def _chain_holds(scan, receiver, stream) -> bool:
    """The promise ``receiver`` is, or follows from, ``stream`` (``p.then(…)``, a name for it)."""
    node = unwrap(receiver)
    for _ in range(12):
        if node is None:
            return False
        if _inside(stream, node):
            return True
        if node.type == "identifier":
            origin = scan.ev.origin(node)
            if origin is None or origin.id == node.id:
                return False
            node = origin
        elif node.type == "await_expression" and node.named_children:
            node = unwrap(node.named_children[0])
        elif node.type == "call_expression":
            callee, _args = call_parts(node)
            callee = unwrap(callee)
            if callee is None or callee.type != "member_expression" or name_of(callee) not in ("then", "catch",
                                                                                             "finally"):
                return False
            node = unwrap(callee.child_by_field_name("object"))
        else:
            return False
    return False


def _named_function(node):
    """(name, function) of the nearest enclosing function that has a name; anonymous
    callbacks (``.then(b => …)``) belong to the function around them."""
    for fn in ancestors(node):
        if fn.type not in FUNCTIONS:
            continue
        name = None
        if fn.type in ("function_declaration", "generator_function_declaration", "method_definition"):
            name = name_of(fn.child_by_field_name("name"))
        else:
            parent = up(fn)
            if parent is not None and parent.type == "variable_declarator":
                name = name_of(parent.child_by_field_name("name"))
        if name is None:
            continue
        if fn.type != "method_definition" and any(a.type == "export_statement" for a in ancestors(fn)):
            return None, None     # an exported function: callers in other files are unknown
        return name, fn
    return None, None


def _references(scan, name: str, fn) -> list:
    """Where the function is called (``f(…)``, ``this.f(…)``) or passed as an argument;
    nothing when another use (stored, assigned) leaves its callers unknown."""
    out = []
    for word in scan.doc.words(name, ("identifier", "property_identifier", "shorthand_property_identifier")):
        if _inside(word, fn) or _declares(word, fn):
            continue
        target = word if word.type == "identifier" else word.parent
        if word.type == "shorthand_property_identifier" or target.type not in ("identifier", "member_expression"):
            return []
        parent = up(target)
        if parent is not None and parent.type == "call_expression" and unwrap(call_parts(parent)[0]).id == target.id:
            out.append(parent)
        elif parent is not None and parent.type == "arguments":
            out.append(target)
        else:
            return []
    return out


def _declares(word, fn) -> bool:
    parent = word.parent
    return parent is not None and parent.type == "variable_declarator" and _inside(fn, parent)
