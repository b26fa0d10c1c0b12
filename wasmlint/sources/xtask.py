"""Rust build tools (an ``xtask`` crate's sources) → the emcc / cargo facts of the
commands they run (``wasmlint.toolchain.rust_commands``)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from ..toolchain.rust_commands import command_facts, wanted
    from ..toolchain.rust_values import Source
    return command_facts(Source(text, src.path)) if wanted(bytes(src.data)) else []
