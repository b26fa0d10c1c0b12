"""``fastly.toml`` → a ``deployment`` on Fastly Compute: the package ``fastly compute build``
writes (``bin/main.wasm``) and the modules under the manifest's folder."""
from __future__ import annotations

from ..deployment import Deployment, toml_span
from . import SourceFile, load_toml

PACKAGE_MODULE = "bin/main.wasm"


def extract(src: SourceFile) -> list:
    text, data = load_toml(src, templated_ok=True)
    if text is None:
        return data
    if "manifest_version" not in data and "language" not in data:
        return []
    return [Deployment(toml_span(src.path, text, "", "language"), platform="fastly-compute",
                       via="fastly.toml", entries=[PACKAGE_MODULE], whole_folder=True)]
