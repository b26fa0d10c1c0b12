"""``meson.build`` files → emcc link facts (see ``wasmlint.toolchain.meson``).

A file the grammar does not accept is skipped without a finding: Meson checks
its own syntax, and our grammar covers what build flags need, not every corner
of the language."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def read(src: SourceFile, reader: str, **kw) -> list[Fact]:
    """``wasmlint.toolchain.meson.<reader>(text, path, **kw)`` on the file, or nothing when it does not parse."""
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from lark.exceptions import LarkError

    from ..toolchain import meson
    try:
        return getattr(meson, reader)(text, src.path, **kw)
    except (LarkError, RecursionError):
        return []


def extract(src: SourceFile) -> list[Fact]:
    from ..toolchain.project_files import ProjectFiles
    return read(src, "meson_facts", project=ProjectFiles(src))
