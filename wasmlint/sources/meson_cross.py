"""Meson machine (cross) files → the emcc link facts of their ``c_link_args`` /
``cpp_link_args`` (see ``wasmlint.build.meson``). Unreadable files are skipped,
as for ``meson.build``."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from lark.exceptions import LarkError

    from ..build.meson import cross_file_facts
    try:
        return cross_file_facts(text, src.path)
    except (LarkError, RecursionError):
        return []
