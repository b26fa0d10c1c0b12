"""Reporters: one module per output format, each ``render(diags, out, **kw)``."""
from __future__ import annotations

import importlib

FORMATS = ("text", "concise", "json", "sarif", "github", "gitlab", "junit", "rdjson")


def available_formats() -> list[str]:
    out = []
    for f in FORMATS:
        try:
            importlib.import_module(f"wasmlint.report.{f}_format")
        except ModuleNotFoundError:
            continue
        out.append(f)
    return out


def renderer(fmt: str):
    return importlib.import_module(f"wasmlint.report.{fmt}_format").render
