"""Builds made to debug beside the build that ships.

A project that ships a module often keeps a second link of the same module made to debug
it: a package.json script ``emcc-debug`` beside ``emcc`` (ttf2woff2), a ``build-debug.sh``
beside ``build.sh`` whose output is ``ocgcore.sync.debug.mjs`` beside ``ocgcore.sync.mjs``
(ocgcore-wasm). A developer runs it by hand; what users get is the other link. Such a link
is in the ``debug`` scope when:

- its names say debug (``debug_build.debug_named``): its variant, output, Makefile target or
  CMake build type, the name of the unit it is written in (a package.json script, a CI job)
  or the name of its own file (``build-debug.sh``, ``Makefile.debug``);
- another link of the project, not so named, writes the same output, or the same output
  without its debug words (the build that ships);
- no release route runs it (``release_routes``: an npm lifecycle script, a releasing CI job),
  whatever it takes out of the runner (a release that builds both ships both).

A project whose only link is its debug build ships that build, and keeps its scope.
"""
from __future__ import annotations

import posixpath
import re

from . import Scoped

DEBUG = "debug"


def unshipped_debug_links(project, names_around) -> dict[tuple, Scoped]:
    """(path, span) of each emcc link made to debug beside the link that ships, with its scope.
    ``names_around(fact)`` gives the names of the units (scope hints) the fact is written in.
    The variants of one link line (a shell ``if``'s branches, a CMake ``if(CMAKE_BUILD_TYPE
    STREQUAL Debug)``) are one link: it is made to debug only when every variant is."""
    from ..toolchain.debug_build import debug_named
    lines: dict[tuple, list] = {}
    for f in project.of_kind("emcc-invocation"):
        lines.setdefault((f.span.path, f.span), []).append(f)
    if len(lines) < 2:
        return {}
    said = {key: [_debug_name(f, names_around(f), debug_named) for f in fs] for key, fs in lines.items()}
    if not any(all(named) for named in said.values()):
        return {}       # no link made to debug: what the others write is not needed
    shipped = {key: {p for f in fs for p in _outputs(project, f)} for key, fs in lines.items()
               if not any(said[key])}
    out: dict[tuple, Scoped] = {}
    for key, fs in lines.items():
        if not all(said[key]):
            continue
        mine = {_without_debug(p, debug_named) for f in fs for p in _outputs(project, f)}
        twin = next((k for k, made in shipped.items() if mine & made), None)
        if twin is None or any(_released(f, project) for f in fs):
            continue
        out[key] = Scoped(DEBUG, f"a build made to debug ({said[key][0]}) of what the link at "
                                 f"{twin[0]}:{twin[1].line} builds; no release route runs it")
    return out


def _debug_name(f, units: list[str], debug_named) -> str | None:
    """How the link is named for debugging, or None."""
    for name in (*f.names, *units):
        if name and debug_named(name):
            return f"named `{name}`"
    own = posixpath.basename(f.span.path.split("#", 1)[0])
    return f"written in `{own}`" if debug_named(own) else None


def _outputs(project, f) -> set[str]:
    from ..toolchain.release_routes import link_outputs
    return link_outputs(f, project)


def _without_debug(path: str, debug_named) -> str:
    """``lib/ocgcore.sync.debug.mjs`` → ``lib/ocgcore.sync.mjs``: the path a release build of
    the same module writes."""
    folder, name = posixpath.split(path)
    parts = re.split(r"([._-]+)", name)
    words, seps = parts[0::2], ["", *parts[1::2]]
    kept = ""
    for word, sep in zip(words, seps):
        if not debug_named(word):
            kept += (sep if kept else "") + word
    return posixpath.join(folder, kept)


def _released(f, project) -> bool:
    from ..toolchain.release_routes import routes_running
    return bool(routes_running(f, project))


def hand_made_links(project, prod: dict[str, Scoped], hinted) -> dict[tuple, Scoped]:
    """(path, span) of each Makefile emcc link that only a run by hand makes (``by_hand``,
    ``toolchain.make_unbuilt``: renpyweb's experimental ``pthreads`` target beside the ``all``
    build), with its scope: a link made by hand beside the one that ships. Not when production
    reaches what it writes (the project serves or publishes it) or a release route runs it,
    nor when its target's name says more (``hinted(fact)``: ``pygame-example-static`` is an
    example's). Every variant of the line must be so."""
    from . import QUIET
    lines: dict[tuple, list] = {}
    for f in project.of_kind("emcc-invocation"):
        lines.setdefault((f.span.path.split("#", 1)[0], f.span), []).append(f)
    out: dict[tuple, Scoped] = {}
    for key, fs in lines.items():
        if not all(f.by_hand for f in fs) or any(_released(f, project) for f in fs):
            continue
        if any((said := hinted(f)) is not None and said.scope in QUIET for f in fs):
            continue
        if any(prod.get(p, None) is not None and prod[p].scope == "production" for f in fs for p in _outputs(project, f)):
            continue
        out[key] = Scoped(DEBUG, f"made only by hand: {fs[0].by_hand}")
    return out
