"""Flag sets that a link of the project is seen to use, settled over the whole project.

A flag set is flags that reach links elsewhere (a Makefile's exported flag variable no
recipe of its file uses: pyodide's ``MAIN_MODULE_LDFLAGS`` in ``Makefile.envs``). When a
Makefile that includes the file links with it, that link reads the same settings at the
same places and knows what it writes: the link speaks for them, and the flag set (with
its settings, and its variants: the includer's link is read with the file's base values)
is dropped, so each setting is reported once. A flag set of a Makefile fragment that
every includer in the project leaves unnamed reaches no link and is dropped too
(``make_includes``).
"""
from __future__ import annotations

from ..facts import Fact
from .make_includes import unreached


def _where(span) -> tuple:
    return (span.path, span.line, span.column, span.end_line, span.end_column)


def _variable(f: Fact) -> tuple:
    """A flag set's file and variable: its variants (``ifdef DEBUG, flags in LDFLAGS``) are
    other values of the same variable."""
    return (f.span.path, (f.variant or "").rpartition("flags in ")[2])


def settle(facts: list[Fact], read=None) -> list[Fact]:
    """``read``: the project's files as (path, text) pairs (``make_includes.unreached``); without
    it, a fragment with rules of its own is taken to be run by make."""
    links = [f for f in facts if f.kind == "emcc-invocation" and not f.flag_set]
    linked = {_where(u.span) for f in links for u in f.uses}
    flag_sets = [f for f in facts if f.kind == "emcc-invocation" and f.flag_set]
    taken = {_variable(f) for f in flag_sets if f.uses and all(_where(u.span) in linked for u in f.uses)}
    taken |= unreached(flag_sets, facts, _variable, read)
    dropped = [f for f in flag_sets if _variable(f) in taken]
    if not dropped:
        return facts
    gone = {id(f) for f in dropped}
    # a setting fact is its flag set's by the flag set's label (`flags in NAME`) and its place,
    # unless a link of the same label reads it there too (``make CC="emcc -s …"``: the one text is
    # the link's compiler and the flags the make run passes): the link keeps it
    kept = {(f.variant, _where(u.span)) for f in links for u in f.uses}
    places = {(f.variant, _where(u.span)) for f in dropped for u in f.uses} - kept
    return [f for f in facts if id(f) not in gone
            and not (f.kind == "emcc-setting" and (f.variant, _where(f.span)) in places)]
