"""Emscripten glue built with ``ASSERTIONS``, read from its own text.

emcc adds its debug runtime (``src/runtime_debug.js``: ``unexportedRuntimeSymbol``,
``missingLibrarySymbol``, ``legacyModuleProp``) to the glue only when ``ASSERTIONS`` is
on, so the error text of ``unexportedRuntimeSymbol`` ("… was not exported. add it to
EXPORTED_RUNTIME_METHODS …") is in an assertions build and in no other. Older releases
wrote the setting itself, ``var ASSERTIONS = true;``. ``checkStackCookie`` or an
``assert()`` are no sign: ``STACK_OVERFLOW_CHECK`` brings the first alone, and every glue
defines the second.

Glue a debug link wrote is no release build, whatever it keeps: emcc adds the runtime
source-map reader (``src/source_map_support.js``, ``WasmSourceMap``) only under
``LOAD_SOURCE_MAP``, which it sets on a sanitizer link with a source map (``-fsanitize=…
-gsource-map``, ``-g4`` before 2.0.17; ``tools/link.py`` ``setup_sanitizers``), and the
sanitizer runtime reads its options from ``Module`` (``Module['UBSAN_OPTIONS']`` in an
``EM_ASM`` of older releases, ``_emscripten_sanitizer_get_option`` since) only in a
sanitizer link.
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
    debug_link: str = ""    # the mark of a debug link (a sanitizer's runtime, its source-map reader)

    # WL503, as an emcc link's --------------------------------------------------
    @property
    def label(self) -> str:
        return f"Emscripten glue `{self.span.path.rsplit('/', 1)[-1]}`"

    def release(self, ctx) -> bool:
        """Glue the project ships: not test, example … code (the rule's scopes), nor a
        build named for debugging (``libzim-wasm.dev.js``, ``with_asserts/``), nor glue a
        debug link wrote (``debug_link``)."""
        if self.debug_link:
            return False
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
    """The sign of ``ASSERTIONS`` in Emscripten glue, if any, with the mark of the debug
    link that wrote it."""
    found = _assertions(doc)
    if found is not None:
        found.debug_link = _debug_link(doc)
    return found


# The sanitizers' option variables (compiler-rt's ``*_flags.cpp`` read them from ``Module``)
_SANITIZER_OPTIONS = ("UBSAN_OPTIONS", "ASAN_OPTIONS", "LSAN_OPTIONS")
_SANITIZER_OPTION_READERS = ("_emscripten_sanitizer_get_option", "__emscripten_sanitizer_get_option")
_DECLARATIONS = ("function_declaration", "class_declaration", "generator_function_declaration")


def _debug_link(doc: Doc) -> str:
    """The mark a sanitizer link leaves in its glue: the runtime source-map reader it loads
    (a declared ``WasmSourceMap``), a declared option reader, or a read of
    ``Module['UBSAN_OPTIONS']`` (an older release's ``EM_ASM``); "" when none."""
    if doc.has(b"WasmSourceMap"):
        for ident in doc.words("WasmSourceMap", ("identifier",)):
            if _declares(ident):
                return "`WasmSourceMap` (a sanitizer link's source-map reader)"
    for name in _SANITIZER_OPTION_READERS:
        if doc.has(name.encode()):
            for ident in doc.words(name, ("identifier", "property_identifier")):
                if _declares(ident) or ident.type == "property_identifier":
                    return f"`{name}` (the sanitizer runtime)"
    for name in _SANITIZER_OPTIONS:
        if doc.has(name.encode()):
            for frag in doc.words(name, ("string_fragment",)):
                lit = frag.parent
                sub = lit.parent if lit is not None else None
                if sub is not None and sub.type == "subscript_expression" and \
                        _same(sub.child_by_field_name("index"), lit) and \
                        doc.text(sub.child_by_field_name("object")) == "Module":
                    return f"`Module['{name}']` (the sanitizer runtime)"
    return ""


def _declares(ident) -> bool:
    decl = ident.parent
    return decl is not None and decl.type in _DECLARATIONS and _same(decl.child_by_field_name("name"), ident)


def _same(a, b) -> bool:
    return a is not None and b is not None and a.id == b.id


def _assertions(doc: Doc) -> GlueAssertions | None:
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
