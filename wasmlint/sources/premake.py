"""premake / GENie scripts → the emcc link flags of their projects (``toolchain.premake``)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    from ..toolchain.premake import premake_facts, wanted
    text, errors = src.text_if(wanted)
    return premake_facts(text, src.path) if text is not None else errors
