"""premake / GENie scripts → the emcc link flags of their projects (``toolchain.premake``)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    from ..toolchain.premake import premake_facts, wanted
    if not wanted(bytes(src.data)):
        return []
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    return premake_facts(text, src.path)
