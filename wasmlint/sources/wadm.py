"""wasmCloud application manifests (``wadm.yaml``, an OAM ``Application`` with wasmCloud's
scalers) → a ``deployment`` on wasmCloud for each ``component`` (``actor`` in older
manifests) whose ``image`` is a local file (``file://./build/app_s.wasm``, relative to the
manifest as ``wash`` resolves it when developing; an absolute path as the host reads it).
An OCI reference (``ghcr.io/…``) is no file of the project."""
from __future__ import annotations

from .. import yamlpos
from ..deployment import Deployment
from ..launch import yamlsurf
from . import SourceFile

COMPONENT_TYPES = ("component", "actor")
FILE_SCHEME = "file://"


def extract(src: SourceFile) -> list:
    idx, docs = yamlsurf.load_source(src, templated_ok=True)
    if idx is None:
        return docs
    name = src.path.rsplit("/", 1)[-1]
    out = []
    for doc in docs:
        if not (yamlpos.str_of(yamlpos.get(doc, "apiVersion")) or "").startswith("core.oam.dev/"):
            continue
        for comp in yamlpos.items(yamlpos.get(yamlpos.get(doc, "spec"), "components")):
            if yamlpos.str_of(yamlpos.get(comp, "type")) not in COMPONENT_TYPES:
                continue
            image = yamlpos.get(yamlpos.get(comp, "properties"), "image")
            value = yamlpos.str_of(image) or ""
            if not value.startswith(FILE_SCHEME):
                continue
            label = yamlpos.str_of(yamlpos.get(comp, "name")) or "component"
            out.append(Deployment(idx.span(image.start_mark.index, image.end_mark.index), platform="wasmcloud",
                                  via=f"component `{label}` of {name}", entries=[value[len(FILE_SCHEME):]]))
    return out
