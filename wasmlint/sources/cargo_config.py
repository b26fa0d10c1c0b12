"""``.cargo/config.toml`` → ``rust-link`` facts for wasm targets' rustflags."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile, load_toml


def extract(src: SourceFile) -> list[Fact]:
    text, data = load_toml(src)
    if text is None:
        return data
    from ..toolchain.cargo import config_facts
    return config_facts(text, data, src.path)
