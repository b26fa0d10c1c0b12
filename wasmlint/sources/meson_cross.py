"""Meson machine (cross) files → the emcc link facts of their ``c_link_args`` /
``cpp_link_args`` (see ``wasmlint.toolchain.meson``). Unreadable files are skipped,
as for ``meson.build``."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile
from .meson import read


def extract(src: SourceFile) -> list[Fact]:
    return read(src, "cross_file_facts")
