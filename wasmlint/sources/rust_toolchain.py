"""``rust-toolchain(.toml)`` → the pinned channel (``rust-toolchain`` fact)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile, load_toml


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from ..toolchain.cargo import toolchain_facts
    if "[" not in text and "=" not in text:   # the legacy one-line form: just a channel
        return toolchain_facts(text, src.path)
    text, data = load_toml(src)
    return data if text is None else toolchain_facts(text, src.path)
