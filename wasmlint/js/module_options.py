"""A memory that Emscripten glue makes only when its caller passes none.

Glue built without ``IMPORTED_MEMORY`` still reads ``Module['wasmMemory']`` first::

    if (Module['wasmMemory']) { wasmMemory = Module['wasmMemory']; }
    else { wasmMemory = new WebAssembly.Memory({initial: …, maximum: …}); }

so the ``new WebAssembly.Memory`` of the ``else`` is made only for a caller that passes no
``wasmMemory`` to the factory (``var NAME = (function() { … })()``, MODULARIZE). When the
project calls the factory (``NAME({…})``, ``self.NAME({…})``) with an object of the
options Emscripten's glue reads (``instantiateWasm``, ``locateFile``, ``noInitialRun`` …) and
every such call passes ``wasmMemory:``, the fallback is never made: the memory the caller
passes is the one its own fact judges (8bitworkshop's verilator glue, called only with
``wasmMemory: getWASMMemory()``). A call with no such options object (``NAME()``) is not
seen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ..facts import Fact
from .facts import JsFact
from .parse import ancestors, call_parts, name_of, object_pairs

OPTION = "wasmMemory"
# options only Emscripten's glue reads from the object a factory is called with
GLUE_OPTIONS = (OPTION, "instantiateWasm", "locateFile", "noInitialRun", "wasmBinary", "onRuntimeInitialized")
_TEST = re.compile(r"^\(?\s*[\w$]+\s*(?:\[\s*['\"]wasmMemory['\"]\s*\]|\.wasmMemory)\s*\)?$")


@dataclass
class FactoryCall(JsFact):
    """A call that hands a factory an object of the options Emscripten's glue reads."""

    kind: ClassVar[str] = "js-factory-call"
    callee: str = ""
    passes_memory: bool = False


def wanted(has) -> bool:
    """Whether a file mentions a glue option; ``has``: its ``Sites.has`` (the options are in
    the vocabulary of its one scan)."""
    return any(has(k.encode()) for k in GLUE_OPTIONS)


def calls(doc) -> list[Fact]:
    found = {}
    for word in GLUE_OPTIONS:
        for key in doc.words(word, ("property_identifier",)):
            pair = key.parent
            obj = pair.parent if pair is not None and pair.type == "pair" else None
            args = obj.parent if obj is not None and obj.type == "object" else None
            call = args.parent if args is not None and args.type == "arguments" else None
            if call is None or call.type != "call_expression" or call.start_byte in found \
                    or not args.named_children or args.named_children[0].id != obj.id:
                continue
            name = name_of(call_parts(call)[0])
            if name:
                found[call.start_byte] = FactoryCall(doc.span(call), callee=name,
                                                     passes_memory=OPTION in object_pairs(obj))
    return list(found.values())


def fallback_of(doc, new) -> str | None:
    """The factory whose glue makes ``new`` only when no ``wasmMemory`` is passed: the
    top-level variable holding the glue, when ``new`` stands in the ``else`` of a test of
    ``Module['wasmMemory']``; else None."""
    child, in_else = new, False
    for a in ancestors(new):
        if a.type == "if_statement" and not in_else:
            alternative = a.child_by_field_name("alternative")
            cond = a.child_by_field_name("condition")
            if alternative is not None and cond is not None and alternative.id == child.id:
                if not _TEST.match(doc.text(cond).strip()):
                    return None
                in_else = True
        if in_else and a.type == "variable_declarator" and a.parent is not None \
                and a.parent.parent is not None and a.parent.parent.type == "program":
            return name_of(a.child_by_field_name("name"))
        child = a
    return None


def passed_by_every_call(factory: str, facts: list[Fact]) -> bool:
    """Every call of ``factory`` the project shows passes ``wasmMemory`` (and there is one)."""
    found = [c for c in facts if c.kind == "js-factory-call" and c.callee == factory]
    return bool(found) and all(c.passes_memory for c in found)


def settle(facts: list[Fact]) -> list[Fact]:
    """Mark the glue fallbacks whose factory every call of the project passes a memory."""
    for f in facts:
        if f.kind == "js-memory" and f.fallback_for and passed_by_every_call(f.fallback_for, facts):
            f.caller_memory = True
    return facts
