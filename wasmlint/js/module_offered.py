"""Whether a worker's compile from bytes is the fallback of one that takes a compiled Module.

A worker whose sender may post either a compiled ``WebAssembly.Module`` or where
to get the bytes (esbuild's browser worker: ``if (wasm instanceof
WebAssembly.Module) return WebAssembly.instantiate(wasm, imports)``, else
``fetch(wasm)``) already lets the thread that starts it compile once and share
the Module: its compile from bytes runs only for a sender that has none, and
whether workers compile the same bytes is decided where they are started.
"""
from __future__ import annotations

from .parse import ancestors, operator, path_of, unwrap
from .streaming_fallback import runs_only_without

_TAKES_MODULE = ("instantiate", "Instance")


def module_offered(scan, call) -> bool:
    """``call`` runs only where another compile in the file, instantiating a value
    tested ``instanceof WebAssembly.Module``, did not."""
    for prop, _member, other in scan.wasm_api:
        if other is None or other.id == call.id or prop not in _TAKES_MODULE:
            continue
        if _instantiates_tested_module(other) and runs_only_without(scan, call, other):
            return True
    return False


def _instantiates_tested_module(call) -> bool:
    """``WebAssembly.instantiate(x, …)`` in the branch where ``x instanceof WebAssembly.Module`` holds."""
    args = call.child_by_field_name("arguments")
    first = unwrap(args.named_children[0]) if args is not None and args.named_children else None
    if first is None or first.type not in ("identifier", "member_expression"):
        return False
    child = call
    for a in ancestors(call):
        if a.type in ("if_statement", "ternary_expression"):
            branch = a.child_by_field_name("consequence")
            if branch is not None and branch.id == child.id and \
                    _holds_instanceof(a.child_by_field_name("condition"), first.text):
                return True
        child = a
    return False


def _holds_instanceof(cond, value: bytes) -> bool:
    """``cond`` is ``value instanceof WebAssembly.Module``, alone or as a term of ``&&``."""
    cond = unwrap(cond)
    if cond is None or cond.type != "binary_expression":
        return False
    if operator(cond) == "&&":
        return any(_holds_instanceof(cond.child_by_field_name(side), value) for side in ("left", "right"))
    left = unwrap(cond.child_by_field_name("left"))
    return operator(cond) == "instanceof" and left is not None and left.text == value and \
        path_of(cond.child_by_field_name("right")) == "WebAssembly.Module"
