"""``Cargo.toml`` → ``cargo-profile`` facts (Cargo and wasm-pack profiles)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile
from .cargo_config import _where


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from ..build.cargo import load_toml, manifest_facts
    try:
        data, _err = load_toml(text)
    except ValueError as exc:
        return [src.error(f"invalid TOML: {exc}", **_where(exc))]
    return manifest_facts(text, data, src.path)
