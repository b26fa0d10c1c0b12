"""``spin.toml`` → a ``deployment`` on Spin / Fermyon Cloud: each component's ``source``
module (``[component.NAME]`` of manifest 2, ``[[component]]`` of manifest 1). A source
fetched from a URL is not a file of the project."""
from __future__ import annotations

from ..deployment import Deployment, toml_span
from . import SourceFile, load_toml


def extract(src: SourceFile) -> list:
    text, data = load_toml(src, templated_ok=True)
    if text is None:
        return data
    components = data.get("component")
    if isinstance(components, dict):
        named = [(f"component.{k}", v) for k, v in components.items()]
    elif isinstance(components, list):
        named = [("component", v) for v in components]
    else:
        return []
    out = []
    for table, comp in named:
        source = comp.get("source") if isinstance(comp, dict) else None
        if isinstance(source, str) and source.strip():
            out.append(Deployment(toml_span(src.path, text, table, "source"), platform="spin",
                                  via=f"`[{table}]` of spin.toml", entries=[source]))
    return out
