"""``shopify.extension.toml`` of a Shopify Function → a ``deployment`` on Shopify Functions:
the module its build writes (``[extensions.build] path``, or ``[build] path`` of the older
layout; ``dist/function.wasm`` by default) and the modules under its folder. UI and theme
extensions ship no WebAssembly and make none."""
from __future__ import annotations

from ..deployment import Deployment, toml_span
from . import SourceFile, load_toml

DEFAULT_MODULE = "dist/function.wasm"


def _build_path(table: dict) -> str | None:
    build = table.get("build")
    path = build.get("path") if isinstance(build, dict) else None
    return path if isinstance(path, str) and path.strip() else None


def extract(src: SourceFile) -> list:
    text, data = load_toml(src, templated_ok=True)
    if text is None:
        return data
    extensions = data.get("extensions") if isinstance(data.get("extensions"), list) else [data]
    functions = [e for e in extensions if isinstance(e, dict)
                 and (e.get("type") == "function" or (_build_path(e) or "").endswith(".wasm"))]
    if not functions:
        return []
    table = "extensions.build" if data.get("extensions") else "build"
    entries = list(dict.fromkeys(_build_path(e) or DEFAULT_MODULE for e in functions))
    span = toml_span(src.path, text, table, "path")
    return [Deployment(span if span.line > 1 else toml_span(src.path, text, "extensions", "type"),
                       platform="shopify-function", via="shopify.extension.toml", entries=entries,
                       whole_folder=True)]
