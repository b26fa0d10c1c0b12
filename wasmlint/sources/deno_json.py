"""``deno.json`` / ``deno.jsonc`` with a ``deploy`` section → a ``deployment`` on Deno
Deploy: its ``entrypoint``."""
from __future__ import annotations

from ..deployment import Deployment
from . import SourceFile, load_json


def extract(src: SourceFile) -> list:
    idx, root = load_json(src, comments=True)
    if idx is None:
        return root
    deploy = root.get("deploy") if root.type == "object" else None
    entry = deploy.get("entrypoint") if deploy is not None and deploy.type == "object" else None
    if entry is None or not entry.str_value():
        return []
    key = deploy.key_node("entrypoint")
    return [Deployment(idx.span(key.start, entry.end), platform="deno-deploy",
                       via=f"`deploy.entrypoint` of {src.path.rsplit('/', 1)[-1]}", entries=[entry.str_value()])]
