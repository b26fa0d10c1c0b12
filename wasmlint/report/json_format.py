"""A JSON array of diagnostics, in the shape documented in the README."""
from __future__ import annotations

import json


def render(diags, out, **_) -> None:
    out.write(json.dumps([d.to_json() for d in diags], indent=2))   # one write, not one per token
    out.write("\n")
