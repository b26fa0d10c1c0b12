"""Dev servers and JS servers as serving configs (WL308): ``vite.config.*`` /
``webpack.config.*`` ``headers`` objects (``server``, ``preview``, ``devServer``),
Electron's ``responseHeaders`` (``session.webRequest.onHeadersReceived``), and
``res.setHeader``/``res.set``/``res.header`` calls with literal names."""
from __future__ import annotations

from ..sources.serving import UNKNOWN, ServingConfig
from .parse import Doc, call_parts, name_of, object_pairs, string_value, unwrap

DEV_SERVER_CONFIGS = ("vite.config.", "webpack.", "vitest.config.", "rspack.config.")
_SETTERS = ("setHeader", "set", "header", "append")


def is_dev_server_config(path: str, data: bytes = b"") -> bool:
    """A vite config (it always configures ``vite dev``), or a webpack/rspack config
    that configures a ``devServer`` (a library's build config serves nothing)."""
    name = path.rsplit("/", 1)[-1]
    if not name.startswith(DEV_SERVER_CONFIGS):
        return False
    return name.startswith(("vite.", "vitest.")) or b"devServer" in data


def wanted(path: str, data: bytes, has=None) -> bool:
    """``has``: how to tell whether the bytes mention a word (``Sites.has``)."""
    return is_dev_server_config(path, data) or (has or data.__contains__)(b"Cross-Origin-")


def serving_config(doc: Doc) -> ServingConfig | None:
    config = is_dev_server_config(doc.path, doc.data)
    fact = ServingConfig(doc.span(doc.root), server="vite/webpack dev server" if config else "JS server")
    fact.span = doc.insertion(doc.root, after=False)
    anchored = False
    nodes = [*doc.words("headers", ("property_identifier",)), *doc.words("responseHeaders", ("property_identifier",))]
    for node in nodes:
        pair = node.parent
        if pair is None or pair.type != "pair":
            continue
        if not anchored:
            fact.span, anchored = doc.span(pair.child_by_field_name("key")), True
        for name, (_p, value) in object_pairs(pair.child_by_field_name("value")).items():
            for text in _values(value):
                fact.add(name, text)
    for setter in _SETTERS:
        for node in doc.words(setter, ("property_identifier",)):
            call = node.parent.parent if node.parent is not None else None
            if call is None or call.type != "call_expression" or name_of(call_parts(call)[0]) != setter:
                continue
            _c, args = call_parts(call)
            name = string_value(args[0]) if args else None
            if name and len(args) > 1 and name.lower().startswith("cross-origin-"):
                if not anchored:
                    fact.span, anchored = doc.span(call), True
                for value in _values(args[1]):
                    fact.add(name, value)
    if not config and not fact.headers:
        return None
    return fact


def _values(node) -> list[str]:
    """A header value: a literal, each branch of ``a ? 'x' : 'y'``, each item of an array
    (Electron's ``responseHeaders`` take ``['same-origin']``), else ``UNKNOWN`` (computed)."""
    node = unwrap(node)
    if node is not None and node.type == "array":
        return [v for item in node.named_children for v in _values(item)] or [UNKNOWN]
    if node is not None and node.type == "ternary_expression":
        return [*_values(node.child_by_field_name("consequence")), *_values(node.child_by_field_name("alternative"))]
    text = string_value(node)
    return [UNKNOWN if text is None else text]
