"""``emconfigure ./configure`` then ``emmake make NAME=…``: the command-line variables of
a make run over the Makefile configure wrote (not a file of the project) are flag sets of
the links that make runs."""
from __future__ import annotations

from ..facts import Fact, Span
from .containers import container_command
from .emcc import build_facts
from .emcc_args import carries_emcc_settings
from .emscripten_wrappers import (SCRIPT_LINK_OPTIONS, configure_script_flags, emmake_make_at,
                                  emscripten_configure_at)
from .pstr import LineIndex, PStr, Tok, shell_split
from .shell_eval import Command


def joined_label(outer: str | None, inner: str | None) -> str | None:
    """A variant label inside another (``make ARCH=wasm, EMCC_CFLAGS``)."""
    return ", ".join(x for x in (outer, inner) if x) or None


class Configured:
    """The folders ``emconfigure ./configure`` ran in, over one script or over every recipe
    of a Makefile (make runs a prerequisite's recipe first, wherever it is written: jq-web's
    ``jq/jq: jq/Makefile`` runs ``emmake make`` in the folder the ``jq/Makefile`` recipe
    configured). An ``emmake make`` seen before its folder's configure waits for it."""

    def __init__(self):
        self.folders: set[str | None] = set()
        self.waiting: list[tuple[str | None, list[Tok], Span, str | None]] = []

    def ran_in(self, folder: str | None, version) -> list[Fact]:
        self.folders.add(folder)
        ready = [w for w in self.waiting if w[0] == folder]
        self.waiting = [w for w in self.waiting if w[0] != folder]
        return [f for _, toks, span, variant in ready
                for f in build_facts(toks, span, variant=variant, version=version, flag_set=True)]


def configured_make_flags(commands: list[Command], index: LineIndex, variant, version,
                           configured: Configured) -> list[Fact]:
    """``emconfigure ./configure`` writes the Makefile that a later ``emmake make`` in the
    same folder runs (from ``Makefile.in``: not a file of the project). Its ``CFLAGS=…`` /
    ``LDFLAGS=…`` command-line variables replace the configured ones, and automake's link
    rule passes both to emcc: one flag set of those links (rnnoise's
    ``emmake make LDFLAGS='-s INITIAL_MEMORY=32MB -s MAXIMUM_MEMORY=64MB'``)."""
    out: list[Fact] = []
    for cmd in commands:
        words = cmd.words
        start = container_command(words) or 0
        if emscripten_configure_at(words[start:]) is not None:
            out += configured.ran_in(cmd.cwd, version)
            continue
        at = emmake_make_at(words[start:])
        if at is None:
            continue
        at += start
        label = joined_label(variant, cmd.variant)
        toks = configure_script_flags(cmd, at + 1, index)
        if carries_emcc_settings([t.value for t in toks]):
            if cmd.cwd in configured.folders:
                out += build_facts(toks, cmd.span, variant=label, version=version, flag_set=True)
            else:
                configured.waiting.append((cmd.cwd, toks, cmd.span, label))
        for value in _make_variables(cmd.argv[at + 1:]):
            toks = [Tok(w, value.index or index) for w in shell_split(value.text)]
            if carries_emcc_settings([t.value for t in toks]):
                out += build_facts(toks, cmd.span, variant=label, version=version, flag_set=True)
    return out


def _make_variables(argv: list[Tok]) -> list[Tok]:
    """The values of ``emmake make NAME=…`` command-line variables other than the
    ``CFLAGS``/``LDFLAGS`` a configured Makefile reads. One that carries emcc settings (only
    emcc takes ``-s NAME=…``) is flags of the links that make runs (PHP's
    ``EXTRA_LDFLAGS_PROGRAM``, which its link rule passes to emcc)."""
    out = []
    for tok in argv:
        name, eq, _ = tok.text.text.partition("=")
        if eq and name.isidentifier() and name + "=" not in SCRIPT_LINK_OPTIONS:
            out.append(tok.sub(len(name) + 1))
    return out
