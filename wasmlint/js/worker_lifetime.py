"""Whether a loop ends each worker before it starts the next one, or leaves once one is made.

A ``for``/``while`` body that creates a worker and then, on every pass, waits for
it to exit (``await once(w, 'exit')``, ``await new Promise(r => w.on('exit', r))``)
or terminates it (``w.terminate()``, awaited or not: node stops the thread at
once, a browser synchronously) keeps one worker alive at a time, however many
times it runs. Callbacks (``.map``, ``forEach``) start every pass at once and
never count.

A loop that returns (or breaks, or throws) as soon as the construction succeeds
repeats only when ``new Worker`` threw — no thread was made — so it makes at most
one worker: napi-rs's WASI loaders retry ``new Worker`` with a pruned ``execArgv``
after ``ERR_WORKER_INVALID_EXEC_ARGV``. The loop around it, if any, decides the count.
"""
from __future__ import annotations

from .parse import FUNCTIONS, LOOPS, ancestors, call_parts, name_of, operator, path_of, unwrap

_LISTEN = {"on", "once", "addListener", "addEventListener", "prependListener", "prependOnceListener"}
# ancestors between an ending call and the loop body that run it on some passes only
_SOMETIMES = FUNCTIONS | LOOPS | {"switch_statement", "catch_clause"}
_SHORT_CIRCUIT = {"&&", "||", "??"}


def ended_each_pass(scan, new, loop) -> bool:
    """``new`` (a worker construction inside ``loop``) is ended before the loop's next pass."""
    if loop.type not in LOOPS:
        return False
    body = loop.child_by_field_name("body")
    if body is None:
        return False
    worker = _Worker(new, scan.bound_name(new))
    scan.doc.reveal(body)
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type in ("call_expression", "await_expression") and _ends(scan, node, worker) \
                and _every_pass(node, body):
            return True
        if node.type not in FUNCTIONS:
            stack.extend(node.named_children)
    return False


def leaves_after(new, loop) -> bool:
    """Once ``new`` (inside ``loop``'s body) evaluates, the pass leaves the loop: ``new``
    is part of a ``return``/``throw``, or a ``return``, ``throw`` or ``break`` follows it in
    every block around it, with no ``continue`` before (an inner loop's ``break`` and
    ``continue`` stay in that loop)."""
    if loop.type not in LOOPS:
        return False
    body = loop.child_by_field_name("body")
    chain = []
    for a in ancestors(new):
        if a.id == loop.id:
            break
        chain.append(a)
    inner = sum(a.type in LOOPS for a in chain)     # loops between `new` and this one
    child = new
    for a in chain:
        if a.type in ("return_statement", "throw_statement"):
            return True
        if a.type in FUNCTIONS:
            return False
        inner -= a.type in LOOPS
        if a.type in ("statement_block", "switch_case"):
            after = False
            for stmt in a.named_children:
                if after:
                    if stmt.type in ("return_statement", "throw_statement") or not inner and \
                            stmt.type == "break_statement" and not _inside_switch(a, body):
                        return True
                    if not inner and _continues(stmt):
                        return False
                after = after or stmt.id == child.id
        child = a
    return False


def _inside_switch(block, body) -> bool:
    """``block`` lies in a ``switch`` within the loop body (its ``break`` ends the switch)."""
    for a in ancestors(block):
        if body is not None and a.id == body.id:
            return False
        if a.type == "switch_statement":
            return True
    return False


def _continues(stmt) -> bool:
    """``stmt`` holds a ``continue`` of the loop around it (not of an inner loop or function)."""
    stack = [stmt]
    while stack:
        node = stack.pop()
        if node.type == "continue_statement":
            return True
        if node.type not in FUNCTIONS and node.type not in LOOPS:
            stack.extend(node.named_children)
    return False


class _Worker:
    def __init__(self, new, name: str | None):
        self.new, self.name = new, name

    def is_(self, node) -> bool:
        node = unwrap(node)
        if node is None:
            return False
        if node.id == self.new.id:
            return True
        return self.name is not None and path_of(node) == self.name


def _ends(scan, node, worker: _Worker) -> bool:
    """``w.terminate()``, or an ``await`` of the worker's exit."""
    if node.type == "call_expression":
        return _terminates(node, worker)
    inner = unwrap(node.named_children[0]) if node.named_children else None
    if inner is None:
        return False
    if inner.type == "call_expression":
        callee, args = call_parts(inner)
        # events.once(w, 'exit') / once(w, 'exit')
        return name_of(callee) == "once" and len(args) >= 2 and worker.is_(args[0]) and \
            scan.ev.string(args[1]) == "exit"
    if inner.type == "new_expression" and path_of(call_parts(inner)[0]) == "Promise":
        _c, args = call_parts(inner)
        return bool(args) and _settles_on_end(scan, args[0], worker)
    return False


def _terminates(call, worker: _Worker) -> bool:
    callee, _args = call_parts(call)
    callee = unwrap(callee)
    return callee is not None and callee.type == "member_expression" and name_of(callee) == "terminate" and \
        worker.is_(callee.child_by_field_name("object"))


def _settles_on_end(scan, executor, worker: _Worker) -> bool:
    """A Promise executor that listens for the worker's ``exit`` or terminates it."""
    executor = unwrap(executor)
    if executor is None or executor.type not in ("arrow_function", "function_expression"):
        return False
    stack = [executor]
    while stack:
        node = stack.pop()
        if node.type == "call_expression":
            if _terminates(node, worker):
                return True
            callee, args = call_parts(node)
            callee = unwrap(callee)
            if callee is not None and callee.type == "member_expression" and name_of(callee) in _LISTEN and \
                    worker.is_(callee.child_by_field_name("object")) and args and \
                    scan.ev.string(args[0]) == "exit":
                return True
        stack.extend(node.named_children)
    return False


def _every_pass(node, body) -> bool:
    """No branch, handler, callback or inner loop between ``node`` and the loop body
    (an ``if``'s condition and the left side of ``&&`` always run)."""
    child = node
    for a in ancestors(node):
        if a.id == body.id:
            return True
        if a.type in _SOMETIMES:
            return False
        if a.type in ("if_statement", "ternary_expression") and not _is_field(a, "condition", child):
            return False
        if a.type == "binary_expression" and operator(a) in _SHORT_CIRCUIT \
                and _is_field(a, "right", child):
            return False
        child = a
    return False


def _is_field(node, field: str, child) -> bool:
    value = node.child_by_field_name(field)
    return value is not None and value.id == child.id
