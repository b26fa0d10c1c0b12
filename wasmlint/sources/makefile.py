"""Makefiles (``Makefile``, ``*.mk``, ``Makefile.*``) → emcc/cargo build facts
(see ``wasmlint.toolchain.makefile``)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from ..toolchain.makefile import makefile_facts
    from ..toolchain.project_files import ProjectFiles
    from ..toolchain.response_files import response_reader
    return makefile_facts(text, src.path, project=ProjectFiles(src), response=response_reader(src))
