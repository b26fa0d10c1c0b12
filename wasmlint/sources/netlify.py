"""``netlify.toml`` → a ``serving-config`` fact (see ``hosting.py``)."""
from __future__ import annotations

from .hosting import from_netlify


def extract(src):
    return from_netlify(src)
