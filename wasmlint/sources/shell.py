"""Shell scripts → ``node-launch`` and ``node-options`` facts (tree-sitter-bash),
and the emcc / cargo build facts of ``wasmlint.toolchain``.

Commands are followed in order: ``export NODE_OPTIONS=…`` and variables set
earlier reach later commands, ``ulimit -v``/``-d`` limits later launches, and
``exec``/``env -S``/``sh -c`` wrappers are looked through.
"""
from __future__ import annotations


from ..domain import names_domain
from ..facts import Fact
from ..launch.build import Unit
from ..shellfiles import project_reader, this_file
from ..shellsyntax import syntax_error
from ..textpos import LineIndex, MappedText
from ..toolchain.shell_argv import extract_build_facts
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text = src.text_as_read
    idx = LineIndex(text, src.path)
    unit = Unit(idx, "shell", name=src.path.rsplit("/", 1)[-1], reader=project_reader(src), root=this_file(src))
    unit.run_script(MappedText.verbatim(text, 0))
    facts: list[Fact] = list(unit.facts) + extract_build_facts(src) + _written_files(src)
    # tree-sitter-bash rejects some valid shell: WL001 only for what bash -n rejects too,
    # and only in a script that names something wasmlint reads (a native build script's
    # or a vendored CI script's syntax is shellcheck's business: no fact hides behind it)
    error = syntax_error(text) if names_domain(text) else None
    if error is not None:
        msg, off = error
        line, col = idx.line_col(off)
        facts.append(src.error(msg, line=line, column=col))
    return facts



def _written_files(src: SourceFile) -> list[Fact]:
    """The facts of the files the script writes from here-documents (``heredoc_files``),
    placed in the script; a body that is no valid file of its kind gives none."""
    from ..heredoc_files import placed, shell_body, written_bodies
    from . import load_extractor
    out: list[Fact] = []
    data = bytes(src.data)
    for kind, target, start, end, quoted in written_bodies(data):
        text = placed(data, start, end)
        body = SourceFile(src.path, kind, shell_body(text, quoted) if kind == "shell" else text,
                          abspath=src.abspath, root=src.root)
        body.written_as = target
        facts = load_extractor(kind)(body)
        if not any(f.kind == "parse-error" for f in facts):
            out += facts
    return out
