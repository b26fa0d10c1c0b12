"""The two ends of a link between JS/TS modules: what a module exports, and
where a name it uses was imported from (``crossfile.py`` joins them through the
project graph's ``imports`` edges).

Exports: ``export const/let/var/function/class``, ``export {a as b}``,
``export {a as b} from 'x'``, ``export default x``; CommonJS
``module.exports = x`` and ``module.exports.k = x`` / ``exports.k = x``. What
``require()`` returns, ``module.exports``, is also what ``import x from`` gives a
CommonJS module: both are the export ``default``, and an object literal
assigned to ``module.exports`` exports each of its keys as well.

Imports: ``import {a as b} from 'x'``, ``import b from 'x'``,
``import * as ns from 'x'`` (``ns.a``), ``const b = require('x')``,
``const {a: b} = require('x')``, ``require('x').a``.
"""
from __future__ import annotations

from weakref import WeakKeyDictionary

from .parse import (FUNCTIONS, ancestors, call_parts, function_name, name_of, object_pairs, path_of, string_value,
                    unwrap, up)

from .scan import CORE_WORDS
from .shapes import CALLEE

DEFAULT = "default"
NAMES = ("identifier", "shorthand_property_identifier")   # a name read as a value
# expressions the constant evaluator may give a number for (others are not worth its time)
CONSTANT_SHAPES = frozenset(("number", "identifier", "shorthand_property_identifier", "unary_expression",
                             "binary_expression", "member_expression", "parenthesized_expression",
                             "call_expression", "ternary_expression"))
MAX_EXPORTS = 200      # exports a module's table describes (a bundle's module.exports may list thousands)
MAX_PARAMS = 8         # parameters of an exported function whose handling of a worker is described


def export_entries(doc) -> list[tuple[str, object, tuple | None]]:
    """``(exported name, node, re-export)`` for the exports of the file's top-level
    statements: the node is the exported value or local name; a re-export
    (``export {a as b} from 'x'``) gives ``(spec, name)`` instead."""
    out: list = []
    for stmt in doc.root.named_children:
        if stmt.type == "export_statement":
            _esm_entries(stmt, out)
        elif stmt.type == "expression_statement" and stmt.named_children:
            _cjs_entry(unwrap(stmt.named_children[0]), out)
    return out[:MAX_EXPORTS]


def _esm_entries(stmt, out: list) -> None:
    source = string_value(stmt.child_by_field_name("source"))
    decl = stmt.child_by_field_name("declaration")
    value = stmt.child_by_field_name("value")
    default = any(c.type == "default" for c in stmt.children)
    if decl is not None:
        if decl.type in ("lexical_declaration", "variable_declaration"):
            for d in decl.named_children:
                name = d.child_by_field_name("name") if d.type == "variable_declarator" else None
                if name is not None and name.type == "identifier":
                    out.append((name.text.decode("utf-8", "replace"), d.child_by_field_name("value") or name, None))
        else:
            name = decl.child_by_field_name("name")
            if default:
                out.append((DEFAULT, decl, None))
            elif name is not None:
                out.append((name.text.decode("utf-8", "replace"), decl, None))
        return
    if value is not None:
        out.append((DEFAULT, value, None))
        for k, (_pair, v) in object_pairs(value).items():
            out.append((k, v, None))
        return
    clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
    for spec in clause.named_children if clause is not None else ():
        if spec.type != "export_specifier":
            continue
        local, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
        if local is None:
            continue
        exported = (alias or local).text.decode("utf-8", "replace").strip("'\"")
        out.append((exported, local, (source, local.text.decode("utf-8", "replace").strip("'\"")) if source else None))


def _cjs_entry(assign, out: list) -> None:
    """``module.exports = v`` (and its object's keys), ``module.exports.k = v``, ``exports.k = v``."""
    if assign is None or assign.type != "assignment_expression":
        return
    parts = (path_of(assign.child_by_field_name("left")) or "").split(".")
    if parts == ["module", "exports"]:
        key = DEFAULT
    elif parts[:2] == ["module", "exports"] and len(parts) == 3 or parts[0] == "exports" and len(parts) == 2:
        key = parts[-1]
    else:
        return
    value = assign.child_by_field_name("right")
    out.append((key, value, None))
    if key == DEFAULT:
        for k, (_pair, v) in object_pairs(value).items():
            out.append((k, v, None))


def export_table(scan) -> dict[str, dict]:
    """What importers may learn of each export: ``{"from": [spec, name]}`` (a re-export or
    an imported value handed on), ``{"cores": True}`` (it, or what a call of the exported
    function returns, follows the core count),
    ``{"count": n}`` (a constant); exports of other values are left out."""
    out: dict[str, dict] = {}
    cores = scan.mentions(*CORE_WORDS)     # else nothing in the file can follow the cores
    workers = scan.mentions(b"message")     # a function handed a worker talks to it
    for name, node, via in scan.export_entries:
        info = {"from": list(via)} if via else _describe(scan, node, cores)
        if workers and not via:
            info = _worker_params(scan, node, info)
        if info and name not in out:
            out[name] = info
    return out


def _worker_params(scan, node, info: dict | None) -> dict | None:
    """``info`` with ``{"params": {index: "listener" | "other"}, "line": n}`` for an exported
    function that only calls methods of some of its parameters (error_listeners.parameter_handling):
    what it does with a Worker its importers hand it."""
    from .error_listeners import parameter_handling
    fn = _definition(scan, node)
    if fn is None or fn.type not in ("function_declaration", "arrow_function", "function_expression"):
        return info
    plist = fn.child_by_field_name("parameters")
    count = len([p for p in plist.named_children if p.type != "comment"]) if plist is not None else 0
    params = {str(k): how for k in range(min(count, MAX_PARAMS)) if (how := parameter_handling(scan, fn, k))}
    if not params:
        return info
    return {**(info or {}), "params": params, "line": fn.start_point[0] + 1}


def _describe(scan, node, cores: bool) -> dict | None:
    node = unwrap(node)
    if node is not None and node.type in ("function_declaration", "arrow_function", "function_expression"):
        # a sizing function: what a call of it gives follows the cores
        return {"cores": True} if cores and scan.returns_follow_cores(node) else None
    if node is None or node.type in ("class_declaration", "class", "object"):
        return None
    found = import_source(scan, node)
    if found is not None:
        return {"from": list(found)} if found[1] != "*" else None
    if cores and follows_cores(scan, node):
        return {"cores": True}
    n = scan.ev.number(node) if node.type in CONSTANT_SHAPES else None
    return {"count": n} if isinstance(n, int) and not isinstance(n, bool) else None


def follows_cores(scan, node) -> bool:
    """The value follows the core count: as ``Scan.mentions_cores`` decides, or a module-level
    name every write of which does, leaving out the fallback a ``catch`` assigns when the
    API is missing (``try { n = os.availableParallelism() } catch { n = 8 }``)."""
    if scan.mentions_cores(node):
        return True
    if node.type not in NAMES:
        return False
    values = []
    for w in scan.ev.bindings.writes(node.text.decode("utf-8", "replace")):
        if not w.carries or w.value is None:
            continue
        outer = [a.type for a in ancestors(w.node)]
        if any(t in FUNCTIONS for t in outer):
            return False                # a write in a function: maybe another binding, maybe later
        if "catch_clause" not in outer:
            values.append(w.value)
    return bool(values) and all(scan.mentions_cores(v) for v in values)


def exported_as(scan, fn) -> str | None:
    """The name under which the module exports the function ``fn``, else None."""
    for name, node, via in scan.export_entries:
        found = _definition(scan, node) if via is None else None
        if found is not None and found.id == fn.id:
            return name
    return None


def _definition(scan, node):
    """What an exported node stands for: a function declaration for its name, else its origin."""
    node = unwrap(node)
    if node is not None and node.type == "identifier":
        write = scan.ev.bindings.reaching_write(node)
        if write is not None and write.declares == "function":
            return write.node.parent
    return scan.ev.origin(node)


def import_source(scan, node) -> tuple[str, str] | None:
    """``(spec, exported name)`` when ``node`` is a name (or ``ns.a``) imported from another module."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "member_expression":
        base = unwrap(node.child_by_field_name("object"))
        req = _required(base)
        if req is not None:
            return req, name_of(node) or DEFAULT
        if base is not None and base.type == "identifier":
            whole = import_source(scan, base)     # ns.a, or m.a of a CommonJS module.exports
            if whole is not None and whole[1] in ("*", DEFAULT):
                return whole[0], name_of(node) or DEFAULT
        return None
    req = _required(node)
    if req is not None:
        return req, DEFAULT
    if node.type not in NAMES:
        return None
    write = scan.ev.bindings.reaching_write(node)
    if write is None:
        return None
    if write.value is not None:
        origin = unwrap(write.value)
        return import_source(scan, origin) if origin is not None and origin.type in (
            "call_expression", "member_expression") else None
    return _declared_import(write.node)


def _declared_import(name) -> tuple[str, str] | None:
    """The import a binding name node declares: an import clause, or a pattern of ``require()``."""
    parent = name.parent
    if parent is None:
        return None
    if parent.type in ("import_specifier", "import_clause", "namespace_import"):
        stmt = next((a for a in ancestors(name) if a.type == "import_statement"), None)
        spec = string_value(stmt.child_by_field_name("source")) if stmt is not None else None
        if spec is None:
            return None
        if parent.type == "namespace_import":
            return spec, "*"
        if parent.type == "import_clause":
            return spec, DEFAULT
        imported = parent.child_by_field_name("name")
        return spec, imported.text.decode("utf-8", "replace").strip("'\"")
    if name.type == "shorthand_property_identifier_pattern":
        pattern, key = parent, name.text.decode("utf-8", "replace")
    elif parent.type == "pair_pattern" and parent.child_by_field_name("value") == name:
        pattern, key = parent.parent, name_of(parent.child_by_field_name("key"))
    else:
        return None
    decl = pattern.parent if pattern is not None and pattern.type == "object_pattern" else None
    if decl is None or decl.type != "variable_declarator" or key is None:
        return None
    req = _required(decl.child_by_field_name("value"))
    return (req, key) if req is not None else None


def _required(node) -> str | None:
    """The specifier of ``require('x')`` (or ``await import('x')``), else None."""
    node = unwrap(node)
    if node is not None and node.type == "await_expression" and node.named_children:
        node = unwrap(node.named_children[0])
    if node is None or node.type != "call_expression":
        return None
    callee, args = call_parts(node)
    callee = unwrap(callee)
    if callee is None or callee.type not in ("identifier", "import") or callee.text not in (b"require", b"import"):
        return None
    return string_value(args[0]) if len(args) == 1 else None


def in_file_calls(scan, fn) -> list:
    """The calls of function ``fn`` in its own file: ``f(…)`` for a function, ``this.m(…)`` for a method
    (searched once per scan and function: every compile whose bytes a parameter of a
    loader's helper holds asks for its calls)."""
    known = _CALLS.setdefault(scan, {})
    key = (fn.id, fn.start_byte, fn.end_byte)
    if key not in known:
        known[key] = _in_file_calls(scan, fn)
    return list(known[key])


_CALLS: WeakKeyDictionary = WeakKeyDictionary()     # scan → {function: its calls}


def _in_file_calls(scan, fn) -> list:
    name = function_name(fn)
    if name == "constructor" and fn.type == "method_definition":
        return _constructions(scan, fn)
    if not name:
        return []
    method = fn.type == "method_definition" or (up(fn) is not None and up(fn).type == "public_field_definition")
    out = []
    # only a call's function is read: another occurrence in a left-out block (a bundle's
    # ``handle`` property, read hundreds of times) costs no parse of it (shapes.CALLEE)
    for word in scan.doc.words(name, ("property_identifier",) if method else ("identifier",), shape=CALLEE):
        callee = word.parent if method else word
        if method and (callee.type != "member_expression" or
                       unwrap(callee.child_by_field_name("object")).type != "this"):
            continue
        call = up(callee)
        if call is None or call.type != "call_expression" or unwrap(call_parts(call)[0]).id != callee.id:
            continue
        if any(a.id == fn.id for a in ancestors(call)) and not method:
            continue                    # a recursive call passes its own parameter on
        out.append(call)
    return out


def _constructions(scan, ctor) -> list:
    """The ``new C(…)`` expressions of the file for class ``C``'s constructor."""
    cls = next((a for a in ancestors(ctor) if a.type in ("class_declaration", "class")), None)
    name = name_of(cls.child_by_field_name("name")) if cls is not None else None
    if name is None and cls is not None and up(cls) is not None and up(cls).type == "variable_declarator":
        name = name_of(up(cls).child_by_field_name("name"))
    if not name:
        return []
    return [word.parent for word in scan.doc.words(name, ("identifier",))
            if word.parent is not None and word.parent.type == "new_expression"
            and unwrap(call_parts(word.parent)[0]).id == word.id]


def parameter_index(fn, name_node) -> int | None:
    """The position of the parameter that declares ``name_node`` in ``fn``'s list, else None."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return None
    if params.type == "identifier":     # x => …
        return 0 if params.id == name_node.id else None
    items = [c for c in params.named_children if c.type != "comment"]
    for i, item in enumerate(items):
        if item.start_byte <= name_node.start_byte < item.end_byte:
            return i
    return None


def imported_names(scan, node, depth: int = 0) -> list[tuple[str, str, bool]]:
    """``(spec, name, whole)`` for each imported name the value of ``node`` is computed from,
    following names in the file; ``whole``: the value is that import itself."""
    node = unwrap(node)
    if node is None or depth > 4:
        return []
    found = import_source(scan, node)
    if found is not None:
        return [(*found, True)] if found[1] != "*" else []
    if node.type == "identifier":
        origin = scan.ev.origin(node)
        return imported_names(scan, origin, depth + 1) if origin is not None and origin.id != node.id else []
    scan.doc.reveal(node)
    out, stack, seen = [], list(node.named_children), 0
    while stack and seen < 200:
        n = stack.pop()
        seen += 1
        if n.type == "identifier":
            out += [(spec, name, False) for spec, name, _w in imported_names(scan, n, depth + 1)]
            continue
        found = import_source(scan, n) if n.type in ("member_expression", "call_expression") else None
        if found is not None:
            if found[1] != "*":
                out.append((*found, False))
            continue
        stack.extend(n.named_children)
    return out
