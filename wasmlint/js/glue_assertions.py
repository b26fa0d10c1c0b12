"""Emscripten glue built with ``ASSERTIONS``, read from its own text.

emcc adds its debug runtime (``src/runtime_debug.js``: ``unexportedRuntimeSymbol``,
``missingLibrarySymbol``, ``legacyModuleProp``) to the glue only when ``ASSERTIONS`` is
on, so the error text of ``unexportedRuntimeSymbol`` ("… was not exported. add it to
EXPORTED_RUNTIME_METHODS …") is in an assertions build and in no other. Older releases
wrote the setting itself, ``var ASSERTIONS = true;``. ``checkStackCookie`` or an
``assert()`` are no sign: ``STACK_OVERFLOW_CHECK`` brings the first alone, and every glue
defines the second.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..facts import Span
from ..toolchain.debug_build import debug_named
from .facts import JsFact
from .parse import Doc, unwrap
from .shapes import DECLARED

NOT_EXPORTED = b"was not exported. add it to EXPORTED_RUNTIME_METHODS"


@dataclass
class GlueAssertions(JsFact):
    """Emscripten glue whose text shows it was linked with ``ASSERTIONS``."""

    kind: ClassVar[str] = "emscripten-glue-assertions"
    marker: str = ""

    # WL503, as an emcc link's --------------------------------------------------
    @property
    def label(self) -> str:
        return f"Emscripten glue `{self.span.path.rsplit('/', 1)[-1]}`"

    def release(self, ctx) -> bool:
        """Glue the project ships: not test, example … code (the rule's scopes), nor a
        build named for debugging (``libzim-wasm.dev.js``, ``with_asserts/``)."""
        parts = self.span.path.replace("\\", "/").split("/")
        if any(debug_named(p) or "assert" in p.lower() for p in parts):
            return False
        return ctx.scope_of(self).scope in ("production", "unknown")

    debug_settings: ClassVar[list] = ["ASSERTIONS"]

    @property
    def debug_origin(self) -> str:
        return f" (its text holds {self.marker})"

    ships_source_mapped = False     # (WL503, as an emcc link's) the glue is what ships
    unshipped_default_o0 = False    # (WL503, as an emcc link's) no default -O0 here

    def debug_variant(self, ctx) -> bool:
        return False

    def debug_stripped(self, ctx) -> bool:
        return False

    @property
    def debug_span(self) -> Span:
        return self.span


def glue_assertions(doc: Doc) -> GlueAssertions | None:
    """The sign of ``ASSERTIONS`` in Emscripten glue, if any."""
    at = doc.data.find(NOT_EXPORTED)
    if at >= 0:
        return GlueAssertions(_span(doc, at, len(NOT_EXPORTED)), generator="emscripten",
                              marker="the debug runtime's \"was not exported\" check")
    for ident in doc.words("ASSERTIONS", ("identifier",), DECLARED):
        decl = ident.parent
        if decl is not None and decl.type == "variable_declarator" and \
                decl.child_by_field_name("name").id == ident.id:
            value = unwrap(decl.child_by_field_name("value"))
            if value is not None and value.type == "true":
                return GlueAssertions(doc.span(decl), generator="emscripten", marker="`var ASSERTIONS = true`")
    return None


def _span(doc: Doc, at: int, size: int) -> Span:
    data = doc.data
    line = data.count(b"\n", 0, at) + 1
    col = at - (data.rfind(b"\n", 0, at) + 1) + 1
    return Span(doc.path, line, col, line, col + size, at, at + size)
