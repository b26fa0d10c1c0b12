"""Fetched bytes handed to Emscripten glue as its ``wasmBinary`` option.

Emscripten's glue compiles ``Module.wasmBinary`` when it is set, with
``WebAssembly.instantiate(binary, imports)`` (``instantiateAsync`` streams only
when no binary is given): bytes a loader fetched and buffered with
``arrayBuffer()`` to pass as ``{wasmBinary: bytes}`` (or ``opts.wasmBinary =
bytes``) are compiled without streaming, as if the loader called
``WebAssembly.instantiate`` itself. Bytes of any other origin (embedded, read
from a file) are not fetched: nothing to stream.
"""
from __future__ import annotations

from .facts import JsCompile
from .loading import trace
from .parse import unwrap
from .scan import Scan
from .streaming_fallback import is_streaming_fallback

OPTION = "wasmBinary"


def wanted(has) -> bool:
    """Whether a file may buffer bytes for the option (``has``: its ``Sites.has``)."""
    return has(OPTION.encode()) and has(b"arrayBuffer")


def glue_compiles(scan: Scan) -> list[JsCompile]:
    """A compile fact for each ``wasmBinary`` option given fetched, buffered bytes, at
    the ``arrayBuffer()`` call that buffers them."""
    if scan.generator is not None:
        return []       # the glue itself reads the option
    out = []
    for key in scan.doc.words(OPTION, ("property_identifier",)):
        given = _given(key)
        if given is None:
            continue
        site, value = given
        origin = trace(scan, value)
        if origin.kind != "bytes" or not origin.from_fetch or origin.buffered is None:
            continue
        out.append(JsCompile(
            scan.doc.span(origin.buffered), generator=None, api="instantiate", from_fetch=True, from_bytes=True,
            streaming_fallback=is_streaming_fallback(scan, site), worker_context=scan.in_worker(site),
            node_only=scan.node_only, source=origin.source, glue_option=scan.doc.span(site)))
    return out


def _given(key):
    """``(site, value)`` for ``{wasmBinary: value}`` and ``x.wasmBinary = value`` (the
    bindings do not read ``{wasmBinary}``'s variable: left out)."""
    parent = key.parent
    if parent is None:
        return None
    if parent.type == "pair" and parent.child_by_field_name("key").id == key.id:
        return parent, parent.child_by_field_name("value")
    assign = parent.parent
    if parent.type == "member_expression" and assign is not None and assign.type == "assignment_expression" \
            and unwrap(assign.child_by_field_name("left")).id == parent.id:
        return assign, assign.child_by_field_name("right")
    return None
