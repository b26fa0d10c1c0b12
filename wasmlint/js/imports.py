"""The module graph of one JS/TS file: what it imports and what it loads.

``import … from 'x'``, ``export … from 'x'``, ``require('x')``, ``import('x')``
with literal specifiers; Worker scripts; and the conventions of generated glue:
Emscripten's ``<name>.wasm`` beside ``<name>.js``, wasm-bindgen's
``<name>_bg.wasm``, Go's ``wasm_exec.js`` loading what its page names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..facts import Span
from .facts import JsFact
from .parse import Doc, call_parts, string_value

IMPORT_ONLY_MAX_BYTES = 256 << 10   # files that mention no WebAssembly API are parsed for imports up to this size
IMPORT_MARKS = (b"require", b"import", b"export")


@dataclass
class JsModule(JsFact):
    """One JS/TS file as a node of the project graph."""

    kind: ClassVar[str] = "js-module"
    imports: list[str] = field(default_factory=list)
    import_spans: list[Span] = field(default_factory=list, metadata={"internal": True})
    wasm_siblings: list[str] = field(default_factory=list)

    def graph_refs(self) -> list:
        from ..graph import Ref
        refs = [Ref("imports", spec, span) for spec, span in zip(self.imports, self.import_spans)]
        refs += [Ref("loads-wasm", name, self.span) for name in self.wasm_siblings]
        return refs


def module_fact(doc: Doc, generator: str | None) -> JsModule | None:
    specs: list[tuple[str, Span]] = []
    for stmt in doc.root.named_children:
        if stmt.type in ("import_statement", "export_statement"):
            spec = string_value(stmt.child_by_field_name("source"))
            if spec:
                specs.append((spec, doc.span(stmt)))
    for word in ("require", "import"):
        for off in doc.offsets(word.encode() + b"("):
            node = doc.root.descendant_for_byte_range(off, off + len(word))
            call = node.parent if node is not None else None
            while call is not None and call.type not in ("call_expression", "program"):
                call = call.parent
            if call is None or call.type != "call_expression":
                continue
            _callee, args = call_parts(call)
            spec = string_value(args[0]) if args else None
            if spec:
                specs.append((spec, doc.span(call)))
    siblings = _glue_wasm(doc.path, generator)
    if not specs and not siblings:
        return None
    seen, unique = set(), []
    for spec, span in specs:
        if spec not in seen:
            seen.add(spec)
            unique.append((spec, span))
    return JsModule(Span(doc.path, 1, 1, 1, 1), generator=generator, imports=[s for s, _ in unique],
                    import_spans=[sp for _, sp in unique], wasm_siblings=siblings)


def _glue_wasm(path: str, generator: str | None) -> list[str]:
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if generator == "emscripten":
        return [f"{stem}.wasm"]
    if generator == "wasm-bindgen":
        return [f"{stem}_bg.wasm", f"{stem.removesuffix('_bg')}_bg.wasm"]
    return []
