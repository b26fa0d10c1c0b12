"""``vercel.json`` → a ``serving-config`` fact (see ``hosting.py``), and a ``deployment``
on Vercel's node runtime for each ``functions`` glob that sets its ``memory`` (MB)."""
from __future__ import annotations

from ..deployment import Deployment
from . import load_json
from .hosting import from_json

MB = 1 << 20


def extract(src):
    return from_json(src, "vercel") + functions(src)


def functions(src) -> list:
    idx, root = load_json(src)
    if idx is None or root.type != "object":
        return []
    table = root.get("functions")
    out = []
    for key, spec in table.pairs if table is not None and table.type == "object" else ():
        memory = spec.get("memory") if spec.type == "object" else None
        if memory is None or memory.type != "number" or not isinstance(memory.value, int) or memory.value <= 0:
            continue
        mkey = spec.key_node("memory")
        out.append(Deployment(idx.span(key.start, key.end), platform="vercel-node",
                              via=f"`functions.\"{key.value}\"` of vercel.json", entries=[str(key.value)],
                              memory_bytes=memory.value * MB, memory_setting=f"\"memory\": {memory.value}",
                              memory_span=idx.span(mkey.start, memory.end)))
    return out
