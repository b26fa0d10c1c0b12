"""Processes a build script starts → the emcc and cargo facts of the same command
written on a shell line.

A build written in a programming language (a JS/TS ``child_process``, execa or zx
script, a Python ``subprocess``/``os.system`` script, a Rust ``std::process::Command``
in an xtask crate or ``build.rs``) starts programs. Each language's reader finds
those calls and gives a ``Run``: the argument vector the program receives
(``argv``: spawn with an array, a ``subprocess`` list, ``Command::new(..).arg(..)``),
or the command line ``/bin/sh -c`` runs (``line``: ``execSync(str)``,
``os.system(str)``, ``shell=True``), the variables the call sets for it (``env``)
and where the call is. Every value is a ``PStr``: characters the script wrote keep
their place in the file (findings point at the literal, fixes edit it), values the
script computes at run time are ``UNKNOWN``. The facts come from the shell layer's
own builders (``shell_argv.command_facts``, ``facts_from_shell``): there is one
emcc argument reader and one cargo reader.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ..facts import Fact, Span
from .emcc import EMCC_NAMES
from .pstr import UNKNOWN, LineIndex, PStr, Tok
from .profile_use import NAPI
from .cargo_commands import CARGO_TOOLS
from .shell_argv import command_facts, facts_from_shell
from .shell_eval import Command

# A script must name one of these for its process starts to be read (a byte prefilter).
TOOL_WORDS = tuple(sorted({w.split(".")[0] for w in EMCC_NAMES} | set(CARGO_TOOLS) | {NAPI, "wasm-ld"}))


@dataclass
class Run:
    """One process a script starts."""

    span: Span
    argv: list[PStr] | None = None      # the program's argument vector, program first
    line: PStr | None = None            # or the command line a shell runs
    env: dict[str, PStr] = field(default_factory=dict)   # variables set for this process
    cwd: str | None = None              # the project folder it runs in, when the call says (UNKNOWN inside:
    #                                     computed when the script runs); None: not said
    variant: str | None = None          # one of the ways the command may read (a branch the script decides
    #                                     when it runs: ``python_wrappers.variant_runs``)


def names_a_tool(data: bytes, has=None) -> bool:
    """``has``: how to tell whether the bytes mention a word (a JS file's ``Sites.has``)."""
    has = has or data.__contains__
    return any(has(w.encode()) for w in TOOL_WORDS)


def _names_a_tool(run: Run) -> bool:
    texts = [p.text for p in (run.argv or [])[:6]] + ([run.line.text] if run.line is not None else [])
    return any(w in t for t in texts for w in TOOL_WORDS)


def run_facts(runs: list[Run], index: LineIndex) -> list[Fact]:
    """The build facts of the processes ``runs`` start, as a shell would read them."""
    facts: list[Fact] = []
    for run in runs:
        if not _names_a_tool(run):
            continue
        made: list[Fact] = []
        if run.line is not None:
            made = facts_from_shell(run.line, index, env=run.env, own=True, variant=run.variant)
        elif run.argv:
            argv = [Tok(p, index) for p in run.argv]
            cmd = Command(argv=argv, prefix=dict(run.env), env=dict(run.env), span=run.span)
            made = command_facts(cmd, index, variant=run.variant)
        for f in made:
            if run.cwd is not None and hasattr(f, "cwd"):
                f.cwd = run.cwd            # which cargo configs the build reads
        facts += made
    return facts


@dataclass(frozen=True)
class RelPath:
    """A path a script builds from its own folder (``__dirname``, ``Path(__file__).parent``,
    ``env!("CARGO_MANIFEST_DIR")``): segments relative to that folder, ``..`` allowed."""

    parts: tuple[str, ...] = ()

    def join(self, *pieces: str) -> "RelPath | None":
        parts = list(self.parts)
        for piece in pieces:
            if UNKNOWN in piece or piece.startswith("/"):
                return None                # computed when the script runs, or outside the project
            for seg in piece.replace("\\", "/").split("/"):
                if seg == "..":
                    if parts and parts[-1] != "..":
                        parts.pop()
                    else:
                        parts.append("..")
                elif seg not in ("", "."):
                    parts.append(seg)
        return RelPath(tuple(parts))

    def parent(self) -> "RelPath":
        return self.join("..")

    def folder(self, script_path: str) -> str:
        """The project folder it names, seen from the script at ``script_path``; UNKNOWN when
        it leaves the project."""
        base = RelPath(tuple(p for p in posixpath.dirname(script_path).split("/") if p)).join(*self.parts)
        return UNKNOWN if base is None or ".." in base.parts else "/".join(base.parts)
