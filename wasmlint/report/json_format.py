"""A JSON array of diagnostics, in the shape documented in the README."""
from __future__ import annotations

import json


def render(diags, out, **_) -> None:
    json.dump([d.to_json() for d in diags], out, indent=2)
    out.write("\n")
