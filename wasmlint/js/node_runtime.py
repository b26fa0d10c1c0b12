"""Whether a JS/TS file can only run in node, read from what its module scope loads.

A browser bundle has no ``node:`` scheme (esbuild and webpack 5 cannot resolve it for
the web; Vite replaces it with a module that throws on use), and the builtins without a
browser implementation (``fs``, ``worker_threads``, ``wasi``, ``child_process``…: the
ones node-libs-browser, webpack 4's and browserify's table, leaves empty) do nothing
there. A file whose module scope loads one unconditionally — a static ``import``, or a
``require`` evaluated when the file loads, outside any function, branch or ``try`` —
runs in node (or a runtime that emulates it), never in a page: napi-rs's
``<name>.wasi.cjs`` (``require('node:wasi')``), wasm-bindgen's ``--target nodejs``
output (``require('fs').readFileSync``), Go's ``wasm_exec_node.js``. A loader that only
tries node's modules inside ``if (isNode)`` or ``try`` runs anywhere.
"""
from __future__ import annotations

from ..graph import browser_shims, node_builtin
from .parse import Doc, ancestors, call_parts, string_value, unwrap

# what lies between a `require(…)` evaluated on load and the program: declarations,
# assignments, member reads and awaits; anything else (a function, a branch, `try`,
# `&&`, a loop) may not run it
_ON_LOAD = frozenset((
    "program", "expression_statement", "lexical_declaration", "variable_declaration",
    "variable_declarator", "assignment_expression", "member_expression", "subscript_expression",
    "parenthesized_expression", "await_expression", "call_expression", "arguments", "export_statement",
    "as_expression", "non_null_expression", "sequence_expression"))


def node_only_module(spec: str) -> bool:
    """``spec`` is a node builtin a browser bundle cannot give: any ``node:`` module, or a
    bare builtin without a browser implementation (``fs``, ``fs/promises``, ``wasi``)."""
    if spec.startswith("node:"):
        return True
    return node_builtin(spec) and spec.split("/", 1)[0] not in browser_shims()


def node_runtime(doc: Doc) -> str | None:
    """The first node-only module this file loads when it loads (its specifier), else None."""
    for stmt in doc.root.named_children:
        if stmt.type == "import_statement" and not _type_only(stmt):
            spec = string_value(stmt.child_by_field_name("source"))
            if spec and node_only_module(spec):
                return spec
    for off in doc.offsets(b"require("):
        word = doc.root.descendant_for_byte_range(off, off + len("require"))
        call = word.parent if word is not None and word.type == "identifier" else None
        if call is None or call.type != "call_expression" or unwrap(call_parts(call)[0]).id != word.id:
            continue
        args = call_parts(call)[1]
        spec = string_value(args[0]) if len(args) == 1 else None
        if spec and node_only_module(spec) and _on_load(call):
            return spec
    return None


# where a name `require` is the file's own: a declared variable, function or parameter
_DECLARES = frozenset(("variable_declarator", "function_declaration", "formal_parameters", "required_parameter",
                       "assignment_pattern", "import_specifier", "namespace_import", "import_clause"))


def commonjs_on_load(doc: Doc) -> bool:
    """The file is CommonJS only: its module scope calls node's ``require`` when it loads
    (as ``node_runtime`` finds such calls), it declares no ``require`` of its own (a bundle's
    ``var require = n => …`` shim) and has no ``import``/``export`` statement. As an ES module
    (a ``.js`` file in a ``"type": "module"`` package) it stops at that call:
    ``ReferenceError: require is not defined in ES module scope``."""
    if any(stmt.type in ("import_statement", "export_statement") for stmt in doc.root.named_children):
        return False
    on_load = False
    for off in doc.offsets(b"require"):
        word = doc.root.descendant_for_byte_range(off, off + len("require"))
        if word is None or word.type != "identifier" or word.end_byte - word.start_byte != len("require"):
            continue
        up_ = word.parent
        if up_ is not None and up_.type in _DECLARES:
            return False
        if (up_ is not None and up_.type == "call_expression" and unwrap(call_parts(up_)[0]).id == word.id
                and _on_load(up_)):
            on_load = True
    return on_load


def _type_only(stmt) -> bool:
    """``import type { X } from 'node:fs'`` (TypeScript): erased, loads nothing."""
    return any(c.type == "type" for c in stmt.children)


def _on_load(node) -> bool:
    return all(a.type in _ON_LOAD for a in ancestors(node))
