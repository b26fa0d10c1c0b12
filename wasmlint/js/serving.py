"""Dev servers and JS servers as serving configs (WL308): ``vite.config.*`` /
``webpack.config.*`` ``headers`` objects (``server``, ``preview``, ``devServer``),
Electron's ``responseHeaders`` (``session.webRequest.onHeadersReceived``), and
``res.setHeader``/``res.set``/``res.header`` calls with literal names."""
from __future__ import annotations

from ..sources.serving import UNKNOWN, ServingConfig
from .parse import Doc, call_parts, name_of, object_pairs, string_value, unwrap

DEV_SERVER_CONFIGS = ("vite.config.", "webpack.", "vitest.config.", "rspack.config.")
_SETTERS = ("setHeader", "set", "header", "append")
# Sections of a vite config that set up no server: vite-plus's tools (oxlint, oxfmt, the
# staged hook, tasks, tsdown, `vp check`) and vitest's `test` outside browser mode.
_TOOL_SECTIONS = frozenset(("lint", "fmt", "staged", "run", "pack", "check", "test"))


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
    fact.needs_page = config and doc.path.rsplit("/", 1)[-1].startswith(("vite.", "vitest.")) and _tools_only(doc)
    return fact


def _tools_only(doc: Doc) -> bool:
    """The exported config object (``export default defineConfig({…})``, ``module.exports =
    {…}``, ``defineConfig(() => ({…}))``) is known and sets only tool sections: no server,
    preview, plugin, root, or vitest browser mode. Such a config makes ``vite dev`` serve its
    folder's ``index.html`` as it is, and nothing when there is none."""
    obj = _exported_object(doc)
    if obj is None or any(c.type == "spread_element" for c in obj.named_children):
        return False
    pairs = object_pairs(obj)
    if len(pairs) != len([c for c in obj.named_children if c.type != "comment"]):
        return False        # a computed key
    if "test" in pairs and "browser" in object_pairs(pairs["test"][1]):
        return False
    if "test" in pairs and unwrap(pairs["test"][1]).type != "object":
        return False
    return set(pairs) <= _TOOL_SECTIONS


def _exported_object(doc: Doc):
    value = None
    for stmt in doc.root.named_children:
        if stmt.type == "export_statement" and any(c.type == "default" for c in stmt.children):
            value = stmt.child_by_field_name("value")
        elif stmt.type == "expression_statement" and stmt.named_children:
            expr = stmt.named_children[0]
            left = expr.child_by_field_name("left") if expr.type == "assignment_expression" else None
            if left is not None and doc.text(left) == "module.exports":
                value = expr.child_by_field_name("right")
    value = unwrap(value)
    if value is not None and value.type == "call_expression":       # defineConfig(…)
        _c, args = call_parts(value)
        value = unwrap(args[0]) if len(args) == 1 else None
    if value is not None and value.type == "arrow_function":         # defineConfig(() => ({…}))
        value = unwrap(value.child_by_field_name("body"))
    return value if value is not None and value.type == "object" else None


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
