"""Bazel ``BUILD`` / ``BUILD.bazel`` files and ``.bzl`` macros → the emcc links of their
``cc_binary`` targets (``wasmlint.toolchain.bazel_build``); ``WORKSPACE`` / ``MODULE.bazel`` → the
Emscripten release of emsdk's Bazel toolchain. Only a file with ``linkopts`` or ``emsdk`` is parsed."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    from ..toolchain.bazel_build import bazel_facts, wanted
    text, errors = src.text_if(wanted)
    return bazel_facts(text, src.path, src.error) if text is not None else errors
