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
from .emscripten_env import node_only
from .error_listeners import error_handling
from .exports import export_table, import_source
from .facts import JsFact
from .node_runtime import commonjs_on_load, node_runtime
from .parse import WORDISH, Doc, call_parts, string_value, unwrap, up

IMPORT_ONLY_MAX_BYTES = 256 << 10   # files that mention no WebAssembly API are parsed for imports up to this size
IMPORT_MARKS = (b"require", b"import", b"export")
MAX_CALLS = 100                     # imported calls one file records
MAX_LOCALS = 200                    # imported names whose calls are looked for
COUNT_SHAPES = frozenset(("number", "binary_expression", "unary_expression", "parenthesized_expression"))


@dataclass
class JsModule(JsFact):
    """One JS/TS file as a node of the project graph."""

    kind: ClassVar[str] = "js-module"
    imports: list[str] = field(default_factory=list)
    import_spans: list[Span] = field(default_factory=list, metadata={"internal": True})
    wasm_siblings: list[str] = field(default_factory=list)
    exports: dict = field(default_factory=dict)      # name -> {"from"|"cores"|"count"} (exports.export_table)
    # calls of imported functions other modules' rules need: [{"spec", "name", "span", "counts", "onerror"}]
    calls: list = field(default_factory=list, metadata={"internal": True})
    node_glue: bool = False          # Emscripten glue built for node only (emscripten_env)
    node_runtime: str | None = None  # a node-only builtin its module scope loads: it runs in node only
    commonjs: bool = False           # CommonJS only: calls node's `require` on load (node_runtime.commonjs_on_load)

    def graph_refs(self) -> list:
        from ..graph import Ref
        refs = [Ref("imports", spec, span) for spec, span in zip(self.imports, self.import_spans)]
        refs += [Ref("loads-wasm", name, self.span) for name in self.wasm_siblings]
        return refs


def module_fact(doc: Doc, generator: str | None, scan=None) -> JsModule | None:
    specs = _specs(doc)
    siblings = _glue_wasm(doc.path, generator)
    exports, calls = {}, []
    if generator is None:
        from .scan import Scan
        scan = scan or Scan(doc)
        exports = export_table(scan)
        calls = imported_calls(scan) if specs else []
    node_glue = generator == "emscripten" and node_only(doc)
    needs_node = node_runtime(doc) if specs else None
    if not specs and not siblings and not exports and not node_glue:
        return None
    seen, unique = set(), []
    for spec, span in specs:
        if spec not in seen:
            seen.add(spec)
            unique.append((spec, span))
    return JsModule(Span(doc.path, 1, 1, 1, 1), generator=generator, imports=[s for s, _ in unique],
                    import_spans=[sp for _, sp in unique], wasm_siblings=siblings, exports=exports, calls=calls,
                    node_glue=node_glue, node_runtime=needs_node,
                    commonjs=generator is None and bool(specs) and commonjs_on_load(doc))


def _specs(doc: Doc) -> list[tuple[str, Span]]:
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
    return specs


def imported_calls(scan) -> list[dict]:
    """Calls of functions imported from other modules that pass integer constants, or whose
    result (a Worker, as the importer may not know) gets ``onerror =`` and no ``error`` listener."""
    out: list[dict] = []
    watch_onerror = scan.mentions(b"onerror")
    consts = _top_consts(scan.doc)
    for local, whole in _imported_locals(scan.doc).items():
        raw = local.encode()
        # f(…) of a named import; also m.f(…) of a module object (default, namespace, require)
        for off in sorted(o for n in ((b"(", b".") if whole else (b"(",)) for o in scan.doc.offsets(raw + n)):
            if off and WORDISH[scan.doc.data[off - 1]]:
                continue
            word = scan.doc.root.descendant_for_byte_range(off, off + len(raw))
            if word is None or word.type != "identifier" or word.end_byte != off + len(raw):
                continue
            callee = up(word)
            if callee is not None and callee.type == "member_expression" and \
                    unwrap(callee.child_by_field_name("object")).id == word.id:
                target = callee                    # m.start(16) of m = require('./m')
            else:
                target = word
            call = up(target)
            if call is None or call.type != "call_expression" or unwrap(call_parts(call)[0]).id != target.id:
                continue
            _c, args = call_parts(call)
            counts = [(i, n) for i, arg in enumerate(args) if (n := _constant(scan, arg, consts)) is not None]
            listener, onerror = error_handling(scan, call) if watch_onerror else (None, None)
            onerror = onerror if listener is not True else None
            if not counts and onerror is None:
                continue
            found = import_source(scan, target)
            if found is not None and found[1] != "*":
                out.append({"spec": found[0], "name": found[1], "span": scan.doc.span(call),
                            "counts": counts, "onerror": onerror})
            if len(out) >= MAX_CALLS:
                return out
    return out


def _constant(scan, arg, consts: dict) -> int | None:
    """An integer argument: a literal (``32``, ``-1``, ``4 * 8``) or a name declared with
    ``const`` at the top of the file (``startPool(BATCH_THREADS)``)."""
    arg = unwrap(arg)
    if arg is not None and arg.type == "identifier":
        write = scan.ev.bindings.reaching_write(arg) if arg.text in consts else None
        arg = write.value if write is not None and write.node.id == consts[arg.text].id else None
    if arg is None or arg.type not in COUNT_SHAPES:
        return None
    n = scan.ev.number(arg)
    return n if isinstance(n, int) and not isinstance(n, bool) else None


def _top_consts(doc: Doc) -> dict:
    """{name: its identifier node} for ``const`` (also ``export const``) declarations at the top of the file."""
    out = {}
    for stmt in doc.root.named_children:
        decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
        if decl is None or decl.type != "lexical_declaration" or decl.child(0).type != "const":
            continue
        for d in decl.named_children:
            name = d.child_by_field_name("name") if d.type == "variable_declarator" else None
            if name is not None and name.type == "identifier":
                out[name.text] = name
    return out


def _imported_locals(doc: Doc) -> dict[str, bool]:
    """Names this file binds to imports from its own project (relative specifiers; a
    package's modules are not read) that may be called: ``import`` clauses (not
    TypeScript's ``import type``) and ``require()`` declarations; True for a module
    object (a default or namespace import, ``require()`` itself), whose members may be called."""
    names: dict[str, bool] = {}
    for stmt in doc.root.named_children:
        source = stmt.child_by_field_name("source") if stmt.type == "import_statement" else None
        if source is None or source.text[1:2] not in (b".", b"/") or stmt.child(1).type == "type":
            continue
        for clause in stmt.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":                 # import d from
                    names[part.text.decode("utf-8", "replace")] = True
                elif part.type == "namespace_import" and part.named_children:     # import * as ns from
                    names[part.named_children[-1].text.decode("utf-8", "replace")] = True
                for spec in part.named_children if part.type == "named_imports" else ():
                    local = spec.child_by_field_name("alias") or spec.child_by_field_name("name")
                    if spec.type == "import_specifier" and spec.child(0).type != "type" and local is not None:
                        names.setdefault(local.text.decode("utf-8", "replace"), False)
    for off in doc.offsets(b"require("):
        node = doc.root.descendant_for_byte_range(off, off + 7)
        if node is None or node.type != "identifier" or node.text != b"require":
            continue                        # __webpack_require__(…) and the like
        call = up(node)
        args = call_parts(call)[1] if call is not None and call.type == "call_expression" else []
        if len(args) != 1 or not _relative(string_value(args[0])):
            continue
        decl = up(call)
        if decl is not None and decl.type == "member_expression":
            decl = up(decl)
        if decl is None or decl.type != "variable_declarator":
            continue
        pattern = decl.child_by_field_name("name")
        if pattern is not None and pattern.type == "identifier":
            names[pattern.text.decode("utf-8", "replace")] = up(call).type != "member_expression"     # m = require('./m')
            continue
        stack = [pattern] if pattern is not None else []
        while stack:
            n = stack.pop()
            if n.type in ("identifier", "shorthand_property_identifier_pattern") and \
                    (n.parent.type != "pair_pattern" or n.parent.child_by_field_name("value") == n):
                names.setdefault(n.text.decode("utf-8", "replace"), False)
            stack.extend(n.named_children)
    return dict(sorted(names.items())[:MAX_LOCALS])


def _relative(spec: str | None) -> bool:
    return bool(spec) and spec.startswith((".", "/"))


def _glue_wasm(path: str, generator: str | None) -> list[str]:
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if generator == "emscripten":
        return [f"{stem}.wasm"]
    if generator == "wasm-bindgen":
        return [f"{stem}_bg.wasm", f"{stem.removesuffix('_bg')}_bg.wasm"]
    return []
