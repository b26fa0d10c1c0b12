"""``build.rs`` → ``rust-link`` facts for the wasm-ld memory options it passes, and the
emcc / cargo facts of the commands it runs (``std::process::Command``)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from ..toolchain.build_rs import build_rs_facts
    return build_rs_facts(text, src.path)
