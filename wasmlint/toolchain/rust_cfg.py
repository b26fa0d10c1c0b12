"""``cfg!(…)`` in a Rust build tool, for the host it runs on.

``cfg!(predicate)`` is decided at compile time for the target the tool is built for,
which for an ``xtask`` crate or a ``build.rs`` is the machine that runs the build.
wasmlint reads builds as they run on a Linux host (as it reads shell scripts with
bash), so ``cfg!(windows)`` is false there and ``if cfg!(windows) { "emcc.bat" } else
{ "emcc" }`` names ``emcc``. Predicates (the Rust reference, "Conditional
compilation"): ``unix``, ``windows``, ``target_os = "…"``, ``target_family = "…"``,
``not(p)``, ``all(…)``, ``any(…)``; any other option is not known.
"""
from __future__ import annotations

HOST = {"target_os": "linux", "target_family": "unix"}
HOST_NAMES = {"unix": True, "windows": False}


def host_value(src, node) -> bool | None:
    """Whether the condition ``node`` (``cfg!(…)``, ``!cfg!(…)``) holds on the host; None
    when it is not a ``cfg!`` test or names an option not known."""
    if node.type == "unary_expression" and node.child_count == 2 and src.raw(node.children[0]) == "!":
        inner = host_value(src, node.children[1])
        return None if inner is None else not inner
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return host_value(src, node.named_children[0])
    if node.type != "macro_invocation" or src.raw(node.child_by_field_name("macro")) != "cfg":
        return None
    tree = next((c for c in node.named_children if c.type == "token_tree"), None)
    from .rust_values import token_elements
    parts = token_elements(tree) if tree is not None else []
    return _predicate(src, parts[0]) if len(parts) == 1 else None


def _predicate(src, tokens: list) -> bool | None:
    if len(tokens) == 1 and tokens[0].type == "identifier":
        return HOST_NAMES.get(src.raw(tokens[0]))
    if len(tokens) == 3 and tokens[0].type == "identifier" and src.raw(tokens[1]) == "=" and \
            tokens[2].type == "string_literal" and src.raw(tokens[0]) in HOST:
        return src.raw(tokens[2])[1:-1] == HOST[src.raw(tokens[0])]
    if len(tokens) == 2 and tokens[0].type == "identifier" and tokens[1].type == "token_tree":
        from .rust_values import token_elements
        name, parts = src.raw(tokens[0]), token_elements(tokens[1])
        values = [_predicate(src, p) for p in parts]
        if name == "not" and len(values) == 1:
            return None if values[0] is None else not values[0]
        if name == "all":
            return False if False in values else (None if None in values else True)
        if name == "any":
            return True if True in values else (None if None in values else False)
    return None

