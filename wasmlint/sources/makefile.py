"""Makefiles (``Makefile``, ``*.mk``, ``Makefile.*``) → emcc/cargo build facts
(see ``wasmlint.toolchain.makefile``)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text = src.text_as_read      # make reads bytes: a Latin-1 or Shift-JIS comment is no error
    from ..toolchain.makefile import makefile_facts
    from ..toolchain.project_files import ProjectFiles
    from ..toolchain.response_files import response_reader
    return makefile_facts(text, src.path, project=ProjectFiles(src), response=response_reader(src))
