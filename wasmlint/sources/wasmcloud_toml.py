"""``wasmcloud.toml`` (``wash build``'s project file) of a ``type = "component"`` →
a ``deployment`` on wasmCloud of the signed component ``wash build`` writes:
``[component] destination``, else ``{build}/{name}_s.wasm`` (``build`` defaults to
``./build``; the name with ``-`` as ``_``, as wash names it). A provider ships no module."""
from __future__ import annotations

import posixpath

from ..deployment import Deployment, toml_span
from . import SourceFile, load_toml


def extract(src: SourceFile) -> list:
    text, data = load_toml(src, templated_ok=True)
    if text is None:
        return data
    if data.get("type") != "component" or not isinstance(data.get("name"), str):
        return []
    component = data.get("component") if isinstance(data.get("component"), dict) else {}
    destination = component.get("destination")
    if isinstance(destination, str) and destination.strip():
        entry, span = destination, toml_span(src.path, text, "component", "destination")
    else:
        build = data.get("build") if isinstance(data.get("build"), str) else "build"
        entry = posixpath.join(build, data["name"].replace("-", "_") + "_s.wasm")
        span = toml_span(src.path, text, "", "type")
    return [Deployment(span, platform="wasmcloud", via="wasmcloud.toml", entries=[posixpath.normpath(entry)])]
