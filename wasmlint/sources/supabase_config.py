"""``supabase/config.toml`` → a ``deployment`` on Supabase Edge Functions: each
``[functions.NAME]`` runs its ``entrypoint``, by default ``functions/NAME/index.ts``
beside the config."""
from __future__ import annotations

from ..deployment import Deployment, toml_span
from . import SourceFile, load_toml


def extract(src: SourceFile) -> list:
    text, data = load_toml(src, templated_ok=True)
    if text is None:
        return data
    table = data.get("functions")
    if not isinstance(table, dict):
        return []
    out = []
    for name, spec in table.items():
        entry = spec.get("entrypoint") if isinstance(spec, dict) else None
        entry = entry if isinstance(entry, str) and entry.strip() else f"functions/{name}/index.ts"
        out.append(Deployment(toml_span(src.path, text, f"functions.{name}", "entrypoint"), platform="supabase-edge", via=f"`[functions.{name}]` of supabase/config.toml",
                              entries=[entry]))
    return out
