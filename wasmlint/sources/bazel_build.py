"""Bazel ``BUILD`` / ``BUILD.bazel`` files and ``.bzl`` macros → the emcc links of their
``cc_binary`` targets (``wasmlint.toolchain.bazel_build``). Only a file with ``linkopts`` is parsed."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    from ..toolchain.bazel_build import bazel_facts, wanted
    text, errors = src.text_if(wanted)
    return bazel_facts(text, src.path, src.error) if text is not None else errors
