"""Hosting configs of static platforms → ``serving-config`` facts (WL308):
``firebase.json`` (``hosting[].headers``), ``vercel.json`` (``headers``),
``netlify.toml`` (``[[headers]]``). Each file is one config; findings point at
its ``headers`` key, or at the top when it sets none. The folder a config
publishes (``hosting.public``, ``outputDirectory``, ``[build] publish``) is
``served``: what is in it is production."""
from __future__ import annotations

from ..facts import Fact
from ..textpos import LineIndex
from . import SourceFile, load_json, load_toml
from .serving import ServingConfig


def _rules(node) -> list:
    return node.items if node is not None and node.type == "array" else []


def from_json(src: SourceFile, server: str) -> list[Fact]:
    idx, root = load_json(src)
    if idx is None:
        return root
    if root.type != "object":
        return []
    scopes = [root]
    if server == "firebase":
        hosting = root.get("hosting")
        if hosting is None:
            return []
        scopes = hosting.items if hosting.type == "array" else [hosting]
    fact = ServingConfig(idx.span(0, 1), server=server)
    for scope in scopes:
        if scope.type != "object":
            continue
        folder = scope.get("public" if server == "firebase" else "outputDirectory")
        if folder is not None and folder.type == "string" and folder.value.strip():
            fact.served.append(folder.value.strip())
        key = scope.key_node("headers")
        if key is not None and fact.span.offset == 0:
            fact.span = idx.span(key.start, key.end)
        for rule in _rules(scope.get("headers")):
            for h in _rules(rule.get("headers") if rule.type == "object" else None):
                if h.type == "object" and h.get("key") is not None and h.get("value") is not None:
                    fact.add(str(h.get("key").value), str(h.get("value").value))
    return [fact]


def from_netlify(src: SourceFile) -> list[Fact]:
    text, data = load_toml(src)
    if text is None:
        return data
    idx = LineIndex(text, src.path)
    fact = ServingConfig(idx.span(0, 1), server="netlify.toml")
    at = text.find("[[headers]]")
    if at >= 0:
        fact.span = idx.span(at, at + len("[[headers]]"))
    publish = data.get("build", {}).get("publish") if isinstance(data.get("build"), dict) else None
    if isinstance(publish, str) and publish.strip():
        fact.served.append(publish.strip())
    for rule in data.get("headers", []) if isinstance(data.get("headers"), list) else []:
        values = rule.get("values", {}) if isinstance(rule, dict) else {}
        for name, value in values.items() if isinstance(values, dict) else ():
            fact.add(str(name), str(value))
    return [fact]
