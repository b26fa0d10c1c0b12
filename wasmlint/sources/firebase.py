"""``firebase.json`` → a ``serving-config`` fact (see ``hosting.py``)."""
from __future__ import annotations

from .hosting import from_json


def extract(src):
    return from_json(src, "firebase")
