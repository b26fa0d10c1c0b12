"""``rust-toolchain(.toml)`` → the pinned channel (``rust-toolchain`` fact)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile
from .cargo_config import _where


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from ..build.cargo import toolchain_facts
    try:
        return toolchain_facts(text, src.path)
    except ValueError as exc:
        return [src.error(f"invalid TOML: {exc}", **_where(exc))]
