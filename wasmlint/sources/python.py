"""Python build scripts → the emcc / cargo facts of the processes they start
(``wasmlint.toolchain.python_argv``), and SCons build files → their emcc links
(``wasmlint.toolchain.scons``). Only a script that names a build tool and a way to
start a process (``subprocess``, ``os.system``, a ``run``-named helper), or an SCons file
with ``LINKFLAGS`` and emscripten, is parsed."""
from __future__ import annotations

import sys

from ..facts import Fact, Span
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    from ..templates import NotAnalysed
    from ..toolchain import python_argv, python_releases, scons
    from ..toolchain.script_runs import run_facts
    data = bytes(src.data)
    is_scons = scons.wanted(data)
    if not is_scons and not python_argv.wanted(data):
        return []
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    script, problem = python_argv.parse(text, src.path)
    if script is None:
        message, line, column = problem
        newer = python_releases.other_release_construct(text, line, column)
        if newer:          # valid Python of a newer release than the one wasmlint runs on
            return [NotAnalysed(Span(src.path, line, column), reason="other-python", detail=(
                f"{newer}, which Python {sys.version_info[0]}.{sys.version_info[1]} (wasmlint's) cannot "
                f"parse: its build commands are not read"))]
        return [src.error(message, line=line, column=column)]
    facts = run_facts(python_argv.runs(script), script.index)
    if is_scons:            # an SCons build file: its environments' links
        links, flag_sets = scons.scons_facts(script, python_argv.Values(script))
        facts += run_facts(links, script.index) + flag_sets
    return facts + _function_hints(script) if facts else facts


def _function_hints(script) -> list[Fact]:
    """A function named for tests, examples, benchmarks or docs (pdfium-lib's
    ``run_task_test``, ``build_examples``) builds that material, as a make target so named
    does: its body is a ``scope-hint`` of that scope."""
    import ast

    from ..scopes import QUIET
    from ..scopes.conventions import artifact_name_scope
    from ..scopes.hint import ScopeHint
    out: list[Fact] = []
    functions = {id(n): n for n in script.parent.values() if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    for node in functions.values():
        said = artifact_name_scope(node.name)
        if said is not None and said.scope in QUIET:
            out.append(ScopeHint(script.span(node), scope=said.scope, reason=f"in function `{node.name}`"))
    return out
