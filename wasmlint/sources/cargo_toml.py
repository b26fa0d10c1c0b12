"""``Cargo.toml`` → ``cargo-profile`` facts (Cargo and wasm-pack profiles)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile, load_toml


def extract(src: SourceFile) -> list[Fact]:
    text, data = load_toml(src)
    if text is None:
        return data
    from ..toolchain.cargo import manifest_facts
    return manifest_facts(text, data, src.path)
