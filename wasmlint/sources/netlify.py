"""``netlify.toml`` → a ``serving-config`` fact (see ``hosting.py``), and a ``deployment``
on Netlify Edge Functions for each ``[[edge_functions]]`` entry: the function of that name
in the edge functions folder (``[build] edge_functions``, by default
``netlify/edge-functions``)."""
from __future__ import annotations

from ..deployment import Deployment, toml_span
from . import load_toml
from .hosting import from_netlify

DEFAULT_FOLDER = "netlify/edge-functions"


def extract(src):
    return from_netlify(src) + edge_functions(src)


def edge_functions(src) -> list:
    text, data = load_toml(src)
    if text is None:
        return []
    build = data.get("build") if isinstance(data.get("build"), dict) else {}
    folder = build.get("edge_functions") if isinstance(build.get("edge_functions"), str) else DEFAULT_FOLDER
    declared = data.get("edge_functions")
    names = [d["function"] for d in declared if isinstance(d, dict) and isinstance(d.get("function"), str)] \
        if isinstance(declared, list) else []
    if not names:
        return []
    return [Deployment(toml_span(src.path, text, "edge_functions", "function"), platform="netlify-edge",
                       via="`[[edge_functions]]` of netlify.toml",
                       entries=[f"{folder.strip('/')}/{n}" for n in dict.fromkeys(names)])]
