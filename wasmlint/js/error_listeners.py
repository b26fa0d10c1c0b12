"""Whether a Worker gets an ``error`` listener, and where ``onerror`` is assigned.

A ``worker_threads`` Worker is an EventEmitter: only ``on('error')``,
``once('error')``, ``addListener``/``prependListener('error')`` (or
``addEventListener('error')``) listen. ``worker.onerror = …`` sets a property
nothing reads — measured on node 20, 22, 24 and 26, the handler never runs and
an uncaught error in the worker exits the host with code 1 — so it is recorded
apart: the code meant to handle errors and does not.
"""
from __future__ import annotations

from .exports import import_source
from .parse import FUNCTIONS, call_parts, enclosing_function, name_of, path_of, unwrap, up
from .values import UNKNOWN

_LISTEN = {"on", "once", "addListener", "addEventListener", "prependListener", "prependOnceListener"}
MAX_HOPS = 3            # local functions a worker parameter is followed through
_ESCAPES = ("arguments", "array", "return_statement", "spread_element", "pair", "shorthand_property_identifier")


def error_handling(scan, expr):
    """``(listener, onerror)`` for the value of ``expr`` (a Worker construction or a call
    returning one): ``listener`` is True when an ``error`` listener is attached, None when
    none is but the value is handed elsewhere first, else False; ``onerror`` is the span of
    the first ``….onerror = …`` assignment to it, else None."""
    parent = up(expr)
    if parent is not None and parent.type == "member_expression":
        how = _handles(scan, parent)
        return (None if how == "escape" else how == "listener"), (scan.doc.span(up(parent)) if how == "onerror" else None)
    uses = _uses(scan, expr)
    if uses is None:
        return (False if parent is not None and parent.type == "expression_statement" else None), None
    hows = [how for how, _node in uses]
    onerror = next((scan.doc.span(up(node)) for how, node in uses if how == "onerror"), None)
    return (True if "listener" in hows else None if "escape" in hows else False), onerror


def unheard_await(scan, expr):
    """The first ``await`` of the function that constructs ``expr`` (a Worker bound to a
    name, with no ``error`` listener) that comes after the construction and ends before the
    worker is handed on (``await once(worker, 'online')`` hands it to ``events.once``, which
    listens for ``error``), else None. The worker runs during that await: an error it throws
    is emitted while nothing listens, whatever the receiver attaches later."""
    uses = _uses(scan, expr)
    if not uses or any(how == "listener" for how, _n in uses):
        return None
    escapes = [node.start_byte for how, node in uses if how == "escape"]
    if not escapes or min(escapes) < expr.end_byte:
        return None
    fn = enclosing_function(expr)
    scope = fn.child_by_field_name("body") if fn is not None else scan.doc.root
    if scope is None:
        return None
    stack = [scope]
    found = None
    while stack:
        node = stack.pop()
        if node.type == "await_expression" and expr.end_byte <= node.start_byte and \
                _awaited(node).end_byte <= min(escapes) and \
                (found is None or node.start_byte < found.start_byte):
            found = node
        if node.type not in FUNCTIONS:
            stack.extend(node.named_children)
    return scan.doc.span(found) if found is not None else None


def _awaited(node):
    """What an ``await`` waits for: tree-sitter reads ``await spawn<T>(w)`` (type arguments)
    as ``(await spawn)<T>(w)``; the call it heads is what is awaited."""
    while node.parent is not None and node.parent.type in ("call_expression", "member_expression") and \
            node.parent.named_children and node.parent.named_children[0].id == node.id:
        node = node.parent
    return node


def _uses(scan, expr):
    """``[(how, node)]`` for the uses of the name ``expr`` is bound to (None when it is not
    bound): ``listener`` (an ``error`` listener), ``onerror`` (the member assigned),
    ``escape`` (handed on: returned, passed, stored), ``other``."""
    name = scan.bound_name(expr)
    if name is None:
        return None
    last = name.rsplit(".", 1)[-1]
    out = []
    # a class's `#worker` field is read as `this.#worker` (a private_property_identifier)
    for node in scan.doc.words(last, ("identifier", "property_identifier", "shorthand_property_identifier",
                                      "private_property_identifier")):
        # `{ worker }` reads the variable as an identifier does (path_of sees only identifiers)
        shorthand = node.type == "shorthand_property_identifier"
        target = node if node.type == "identifier" or shorthand else node.parent
        if target is None or (target.text.decode("utf-8", "replace") if shorthand else path_of(target)) != name:
            continue
        use = up(target)
        if use is None:
            continue
        if use.type == "member_expression" and unwrap(use.child_by_field_name("object")).id == unwrap(target).id:
            out.append((_handles(scan, use) or "other", use))
        elif use.type == "arguments" and (how := _in_local_function(scan, use, target)) is not None:
            out.append((how, target))
        elif use.type in _ESCAPES or node.type == "shorthand_property_identifier" or _assigned(use, target):
            out.append(("escape", target))
    return out


def _in_local_function(scan, args, arg, depth: int = 0) -> str | None:
    """What a function declared in this file does with the worker passed to it
    (``sendMessage(this.worker, msg)`` with ``function sendMessage(worker, message) {
    worker.postMessage(message) }``): ``listener`` when it attaches an ``error`` listener,
    ``other`` when it only calls the worker's methods, None (handed on: an escape) when it
    does anything else with it, or the function is not one declared here."""
    callee = unwrap(args.parent.child_by_field_name("function")) if args.parent is not None else None
    if callee is None or callee.type != "identifier" or args.parent.type != "call_expression":
        return None
    name = callee.text.decode("utf-8", "replace")
    index = next((k for k, a in enumerate(a for a in args.named_children if a.type != "comment")
                  if unwrap(a).id == unwrap(arg).id), None)
    fns = [n.parent for n in scan.doc.words(name, ("identifier",))
           if n.parent is not None and n.parent.type == "function_declaration"
           and n.parent.child_by_field_name("name").id == n.id]
    if index is None or len(fns) != 1 or depth >= MAX_HOPS:
        return None
    return parameter_handling(scan, fns[0], index, depth + 1)


def parameter_handling(scan, fn, index: int, depth: int = 0) -> str | None:
    """What function ``fn`` does with its parameter ``index`` (a worker handed to it):
    ``listener`` when it attaches an ``error`` listener, ``other`` when it only calls its
    methods, reads its members or hands it to a function of the file that does no more
    (``sendToWorker(worker, msg)``), None when it does anything else (hands it on, stores it)."""
    plist = fn.child_by_field_name("parameters")
    params = [p for p in plist.named_children if p.type != "comment"] if plist is not None else []
    param = params[index] if index < len(params) else None
    if param is not None and param.type in ("required_parameter", "optional_parameter"):
        param = param.child_by_field_name("pattern")
    body = fn.child_by_field_name("body")
    if param is None or param.type != "identifier" or body is None:
        return None
    pname = param.text.decode("utf-8", "replace")
    hows = []
    for node in scan.doc.words(pname, ("identifier",), start=body.start_byte, end=body.end_byte):
        use = up(node)
        if use is not None and use.type == "arguments":
            how = _in_local_function(scan, use, node, depth)
            if how is None:
                return None
            hows.append(how)
            continue
        if use is None or use.type != "member_expression" or unwrap(use.child_by_field_name("object")).id != node.id:
            return None
        hows.append(_handles(scan, use) or "other")
    if "escape" in hows or "onerror" in hows:
        return None
    return "listener" if "listener" in hows else "other"


def imported_handoffs(scan, expr) -> list:
    """``[(spec, name, index)]`` when the worker ``expr`` is bound to is handed on only as an
    argument of functions imported from other modules of the project (``startFromWorker(worker)``
    of ``import {startFromWorker} from './from-node-worker'``), and no ``error`` listener is
    attached here; else ``[]``. Whether those functions listen is known at rule time
    (``crossfile.worker_handoffs``)."""
    uses = _uses(scan, expr)
    fn = enclosing_function(expr)
    if fn is not None and uses:      # a local name: another function's `worker` is another binding
        uses = [(how, n) for how, n in uses if fn.start_byte <= n.start_byte < fn.end_byte]
    if not uses or any(how in ("listener", "onerror") for how, _n in uses):
        return []
    out = []
    for how, node in uses:
        if how != "escape":
            continue
        args = up(node)
        call = args.parent if args is not None and args.type == "arguments" else None
        callee = unwrap(call.child_by_field_name("function")) if call is not None and \
            call.type == "call_expression" else None
        found = import_source(scan, callee) if callee is not None else None
        if found is None or found[1] == "*" or not found[0].startswith("."):
            return []
        index = next((k for k, a in enumerate(a for a in args.named_children if a.type != "comment")
                      if unwrap(a).id == unwrap(node).id), None)
        if index is None:
            return []
        out.append([found[0], found[1], index])
    return out


def _assigned(use, target) -> bool:
    """``other = target``: the value is stored under another name."""
    return use.type == "assignment_expression" and unwrap(use.child_by_field_name("right")).id == unwrap(target).id


def _handles(scan, member) -> str | None:
    """``listener`` for ``w.on('error', …)`` (also at the end of a chain), ``onerror`` for
    ``w.onerror = …``, ``escape`` for ``w.on(event, callback)`` with an event name the
    caller passes (a wrapper class forwarding its own ``on``), else None."""
    prop = name_of(member)
    parent = up(member)
    if prop == "onerror":
        if parent is not None and parent.type == "assignment_expression" and \
                unwrap(parent.child_by_field_name("left")).id == member.id:
            return "onerror"
        return None
    if prop in _LISTEN and parent is not None and parent.type == "call_expression":
        _c, args = call_parts(parent)
        event = scan.ev.string(args[0]) if args else None
        if event == "error":
            return "listener"
        if args and event is UNKNOWN and unwrap(args[0]).type == "identifier":
            return "escape"     # `on(event, callback)` of a wrapper: its callers choose the events
        nxt = up(parent)
        if nxt is not None and nxt.type == "member_expression":
            return _handles(scan, nxt)
    return None
