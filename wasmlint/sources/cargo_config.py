"""``.cargo/config.toml`` → ``rust-link`` facts for wasm targets' rustflags."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from ..build.cargo import config_facts, load_toml
    try:
        data, _err = load_toml(text)
    except ValueError as exc:
        return [src.error(f"invalid TOML: {exc}", **_where(exc))]
    return config_facts(text, data, src.path)


def _where(exc) -> dict:
    line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    return {"line": line, "column": col} if line else {}
