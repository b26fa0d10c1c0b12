"""JS/TS files that are deployed edge functions by what they say or where they sit:

* ``export const runtime = 'edge'`` (Next.js route handlers and pages, Vercel functions) or
  ``export const config = { runtime: 'edge' }`` (``'experimental-edge'`` too) → Vercel's
  edge runtime; so is Next.js middleware (``middleware.ts`` beside the app or in ``src/``,
  exporting ``middleware`` or a ``config`` with a ``matcher``), which runs on the edge
  runtime unless its config says ``runtime: 'nodejs'``;
* a file directly in ``netlify/edge-functions/`` (or a function folder's ``index``) →
  Netlify Edge Functions;
* ``supabase/functions/NAME/index.ts`` → Supabase Edge Functions.

Each is a ``deployment`` whose entry is the file itself."""
from __future__ import annotations

import posixpath

from ..deployment import Deployment

EDGE_VALUES = ("edge", "experimental-edge")
INDEX_NAMES = ("index.ts", "index.js", "index.mts", "index.mjs", "index.tsx", "index.jsx")
_SKIP = ("_shared", "tests", "test", "__tests__")   # supabase/functions/_shared: imported, not deployed


def by_path(path: str) -> str | None:
    """The platform a file's place makes it an edge function of, or None."""
    parts = path.split("/")
    for i in range(len(parts) - 2):
        if parts[i] == "netlify" and parts[i + 1] == "edge-functions":
            rest = parts[i + 2:]
            if len(rest) == 1 or (len(rest) == 2 and rest[1] in INDEX_NAMES):
                return "netlify-edge"
        if parts[i] == "supabase" and parts[i + 1] == "functions":
            rest = parts[i + 2:]
            if len(rest) == 2 and rest[1] in INDEX_NAMES and rest[0] not in _SKIP:
                return "supabase-edge"
    return None


MIDDLEWARE_NAMES = ("middleware.ts", "middleware.js", "middleware.mjs", "middleware.tsx")


def wanted(path: str, data: bytes, has) -> bool:
    return has(b"export") and ((has(b"runtime") and has(b"edge")) or _middleware_file(path))


def _middleware_file(path: str) -> bool:
    """Where Next.js looks for middleware: the app's folder or its ``src/``."""
    folder, name = posixpath.split(path)
    return name in MIDDLEWARE_NAMES and posixpath.basename(folder) not in ("middleware", "middlewares", "lib")


def _middleware(exports: dict) -> bool:
    """Next.js middleware on the edge runtime: it exports ``middleware`` (or a default
    function with a ``config.matcher``) and its config does not choose node."""
    from .parse import object_pairs, string_value
    config = object_pairs(exports.get("config"))
    runtime = string_value(config["runtime"][1]) if "runtime" in config else None
    return runtime in (None, *EDGE_VALUES) and ("middleware" in exports or "matcher" in config)


def _edge_value(node) -> bool:
    from .parse import object_pairs, string_value, unwrap
    node = unwrap(node)
    if node is None:
        return False
    if node.type == "object":
        pair = object_pairs(node).get("runtime")
        return pair is not None and string_value(pair[1]) in EDGE_VALUES
    return string_value(node) in EDGE_VALUES


def deployments(path: str, doc=None) -> list[Deployment]:
    """The deployment a file is, by its place or (``doc``, a parse of it) its exports."""
    from ..facts import Span
    platform = by_path(path)
    if platform is not None:
        return [Deployment(Span(path, 1, 1), platform=platform, via=f"{posixpath.dirname(path)}/",
                           entries=[f"./{posixpath.basename(path)}"])]
    if doc is None:
        return []
    from .exports import export_entries
    exports = {name: node for name, node, _re in export_entries(doc) if node is not None}
    entry = [f"./{posixpath.basename(path)}"]
    for name in ("runtime", "config"):
        node = exports.get(name)
        if node is not None and _edge_value(node):
            span = doc.span(node.parent if node.parent is not None else node)
            return [Deployment(span, platform="vercel-edge", via=f"`export const {name}` of this file", entries=entry)]
    if _middleware_file(path) and _middleware(exports):
        node = exports.get("middleware", exports.get("config"))
        return [Deployment(doc.span(node.parent if node.parent is not None else node), platform="vercel-edge",
                           via="Next.js middleware", entries=entry)]
    return []
