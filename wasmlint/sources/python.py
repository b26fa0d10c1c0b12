"""Python build scripts → the emcc / cargo facts of the processes they start
(``wasmlint.toolchain.python_argv``). Only a script that names a build tool and a
way to start a process (``subprocess``, ``os.system``) is parsed."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    from ..toolchain import python_argv
    from ..toolchain.script_runs import run_facts
    if not python_argv.wanted(bytes(src.data)):
        return []
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    script, problem = python_argv.parse(text, src.path)
    if script is None:
        message, line, column = problem
        return [src.error(message, line=line, column=column)]
    return run_facts(python_argv.runs(script), script.index)
