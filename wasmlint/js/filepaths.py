"""Paths a module builds from its own location, as node computes them.

``__dirname``, ``import.meta.dirname``, ``path.dirname(fileURLToPath(import.meta.url))``
and ``fileURLToPath(new URL('.', import.meta.url))`` are the module's folder;
``path.join``/``path.resolve`` of such a folder and string parts (``'..'``, folders,
the file), ``new URL('../dist/x.wasm', import.meta.url)``, ``fileURLToPath`` of it,
and ``folder + '/x.wasm'`` name a file relative to the module: ``relative_path``
gives it as ``./x.wasm`` or ``../dist/x.wasm``. Names follow their one reaching write.
"""
from __future__ import annotations

import posixpath

from .parse import call_parts, name_of, path_of, string_value, unwrap

_FILE = "\0file"          # the module itself (import.meta.url, __filename)
MAX_DEPTH = 12
_PATH_MODULES = ("path", "posix", "path.posix", "nodePath")


def relative_path(scan, node) -> str | None:
    """The file ``node`` names relative to the module's folder, when the module builds it
    from its own location; else None."""
    value = _value(scan, node, 0)
    if value is None or value == _FILE or value.startswith("/"):
        return None
    rel = posixpath.normpath(value)
    return rel if rel.startswith("../") else "./" + rel


def _value(scan, node, depth: int) -> str | None:
    """A path string where ``.`` is the module's folder, ``_FILE`` the module; else None."""
    node = scan.ev.origin(unwrap(node))
    if node is None or depth > MAX_DEPTH:
        return None
    text = node.text.decode("utf-8", "replace")
    if node.type == "identifier":
        unbound = scan.ev.bindings.reaching(node) is None
        return {"__dirname": ".", "__filename": _FILE}.get(text) if unbound else None
    if node.type == "member_expression" and text.replace(" ", "") in ("import.meta.dirname", "import.meta.url",
                                                                      "import.meta.filename"):
        return "." if text.endswith("dirname") else _FILE
    if node.type == "binary_expression" and node.child_by_field_name("operator").type == "+":
        left = _value(scan, node.child_by_field_name("left"), depth + 1)
        right = scan.ev.string(node.child_by_field_name("right"))
        return left + right if left not in (None, _FILE) and isinstance(right, str) else None
    if node.type == "template_string":
        return _template(scan, node, depth)
    if node.type not in ("call_expression", "new_expression"):
        return None
    callee, args = call_parts(node)
    last = name_of(callee) if callee is not None and callee.type == "member_expression" else path_of(callee)
    owner = path_of(callee.child_by_field_name("object")) if callee is not None and callee.type == "member_expression" else None
    if owner not in (None, *_PATH_MODULES, "url"):
        return None
    if node.type == "new_expression" and last == "URL" and len(args) == 2:
        base, spec = _value(scan, args[1], depth + 1), scan.ev.string(args[0])
        if base != _FILE or not isinstance(spec, str):
            return None
        url = posixpath.normpath(spec)     # a URL naming a folder ('.', '../') ends with '/'
        return url + "/" if spec.endswith(("/", ".")) else url
    if last == "fileURLToPath" and len(args) == 1:
        return _value(scan, args[0], depth + 1)
    if last == "dirname" and len(args) == 1:
        inner = _value(scan, args[0], depth + 1)
        return "." if inner == _FILE else (posixpath.dirname(inner.rstrip("/")) or "." if inner else None)
    if last in ("join", "resolve") and args:
        return _joined(scan, args, depth, resolve=last == "resolve")
    return None


def _joined(scan, args, depth: int, resolve: bool) -> str | None:
    """``path.join(folder, '..', 'dist', 'x.wasm')``; ``path.resolve`` restarts at an absolute part."""
    parts = [_value(scan, args[0], depth + 1)] + [scan.ev.string(a) for a in args[1:]]
    if parts[0] in (None, _FILE) or not all(isinstance(p, str) for p in parts[1:]):
        return None
    out = parts[0]
    for part in parts[1:]:
        out = part if resolve and part.startswith("/") else posixpath.join(out, part)
    return out


def _template(scan, node, depth: int) -> str | None:
    """`${__dirname}/x.wasm`: a folder substitution first, then literal text."""
    pieces = [c for c in node.named_children if c.type in ("template_substitution", "string_fragment")]
    if not pieces or pieces[0].type != "template_substitution" or not pieces[0].named_children:
        return None
    head = _value(scan, pieces[0].named_children[0], depth + 1)
    if head in (None, _FILE) or any(p.type != "string_fragment" for p in pieces[1:]):
        return None
    return head + "".join(p.text.decode("utf-8", "replace") for p in pieces[1:])
