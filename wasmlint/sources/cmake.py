"""CMake files (``CMakeLists.txt``, ``*.cmake``) → emcc link facts
(see ``wasmlint.toolchain.cmake``)."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    from lark.exceptions import UnexpectedInput

    from ..toolchain.cmake import cmake_facts
    from ..toolchain.project_files import ProjectFiles
    from ..toolchain.response_files import response_reader
    try:
        return cmake_facts(text, src.path, response=response_reader(src), project=ProjectFiles(src))
    except UnexpectedInput as exc:
        from ..resources import unexpected
        from ..templates import placeholder_note
        token = getattr(exc, "token", None)
        note = placeholder_note(str(token), src.path, exc.line, exc.column) if token is not None else None
        return [note or src.error(f"CMake syntax error: unexpected {unexpected(exc)}", line=exc.line, column=exc.column)]
