"""``build.zig`` → the emcc links of a Zig build (``toolchain.zig_build``)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from ..toolchain.zig_build import zig_build_facts
    return zig_build_facts(text, src.path)
