"""What makes a build one made to debug: the names a link goes by (a variant, an output,
a Makefile target) and emcc's ``-g`` flags."""
from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from .pstr import UNKNOWN

# Words that name a build made to debug (a variant, an output, a Makefile target): whole
# words of the name (`ifdef PYODIDE_SOURCEMAP`, `build/debug/app.js`, `isDebug`), never
# parts of one (`DBG_LDFLAGS_NODEBUG`, `device.js`).
# CMake's `RelWithDebInfo` configuration is the optimised build made to keep debug info (`debinfo`)
_DEBUG_WORDS = frozenset(("dev", "dbg", "asan", "ubsan", "msan", "tsan", "lsan", "sourcemap", "sourcemaps", "debinfo"))
_DEBUG_PREFIXES = ("debug", "sanitiz", "profil", "symbols", "dwarf", "instrument", "coverage")
_RELEASE_WORDS = frozenset(("release", "prod", "production", "minsizerel"))
_NAME_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def _name_words(name: str | None) -> list[str]:
    words = [w.lower() for w in _NAME_WORD.findall(name or "")]
    return words + [a + b for a, b in zip(words, words[1:])]     # source-map, source_map


# A link's names (variant, output, Makefile target) are asked about by its rules, its scope and
# its root cause, each several times: each name is split into words once
@lru_cache(maxsize=1 << 14)
def debug_named(name: str | None) -> bool:
    return any(w in _DEBUG_WORDS or w.startswith(_DEBUG_PREFIXES) for w in _name_words(name))


@lru_cache(maxsize=1 << 14)
def release_named(name: str | None) -> bool:
    return any(w in _RELEASE_WORDS for w in _name_words(name))


# emcc's `-g` levels (emcc.rst `-g<level>`): -g1 keeps JavaScript whitespace, -g2 function
# names; only -g/-g3 and clang's DWARF flags keep DWARF. -gseparate-dwarf moves it to a
# side file; -gsource-map (and the deprecated -g4) writes a source map; -g0 resets them.
_DWARF_FLAGS = ("-g", "-g3", "-gfull", "-glldb")
_DWARF_PREFIXES = ("-gdwarf", "-gline-", "-ggdb")
SOURCE_MAP_FLAGS = ("-g4", "-gsource-map")


def is_debug_flag(a: str) -> bool:
    return a in ("-g0", "-g1", "-g2", *_DWARF_FLAGS, *SOURCE_MAP_FLAGS) or a.startswith(
        (*_DWARF_PREFIXES, "-gsource-map=", "-gseparate-dwarf"))


def keeps_dwarf(flag: str) -> bool:
    return flag in _DWARF_FLAGS or flag.startswith(_DWARF_PREFIXES)


def settle(facts: list) -> list:
    """Mark the project's only emcc link (``only_link``). A source map marks a build made to
    debug beside the build that ships (a Makefile's ``debug`` flags next to its release
    ones); a project with a single link ships that link, source map and all (hnswlib-wasm's
    one ``-O3 -gsource-map`` link, which npm publishes). A link writing a native program's
    name is not counted (``_program_named``)."""
    links = [f for f in facts if f.kind == "emcc-invocation" and not _program_named(f.output)]
    if len({(f.span.path, f.span.line) for f in links}) == 1:
        for f in links:
            f.only_link = True
    return facts


def _program_named(output: str | None) -> bool:
    """A link writing a file with no suffix: emcc writes JavaScript under any name, but a
    suffix-less name is a native program's (a Makefile's ``CXX := em++`` with ``-o repaq``),
    run under node or renamed and linked again (repaq3's build.sh: ``mv repaq repaq.bc``),
    not the module a page or a package loads; it does not make another link less the only one."""
    name = posixpath.basename(output or "")
    return bool(name) and "." not in name and "$" not in name and UNKNOWN not in name


def ships_source_mapped(link, ctx) -> bool:
    """(WL503) An optimised link kept from ``release`` by its source map alone, when it is the
    project's only link and the project publishes (npm ``files``) or serves what it writes: no
    other build ships, so the shipped build is this one, source map, assertions and all."""
    if not link.only_link or not link.source_map or link.release or "-O0" in link.opt_levels \
            or link.opt_level not in ("-O2", "-O3", "-Os", "-Oz") or any(debug_named(n) for n in link.names):
        return False
    return shipped(link, ctx)


def shipped(link, ctx) -> bool:
    """Whether the project publishes (npm ``files``) or serves (production scope) what the
    link writes, or a release route runs it: an npm lifecycle script whose package packs its
    outputs, a CI job that releases what it builds (``release_routes``)."""
    project = ctx.project
    if not hasattr(project, "scopes"):
        return False
    from .release_routes import released
    return _published_or_served(link, ctx) or released(link, project)


def _published_or_served(link, ctx) -> bool:
    project = ctx.project
    from ..scopes.npm_files import published
    scopes = project.scopes(ctx.config)
    here = posixpath.dirname(link.span.path)
    outputs = {posixpath.normpath(posixpath.join(here, e.spec)): "" for e in
               project.edges_by_span.get(("builds", link.span), ()) if e.spec and e.src == link.span.path}
    return any(scopes.of_path(p).scope == "production" for p in project.built_by(link)) or any(
        f.field == "files" and published(f, f.span.path, outputs)
        and scopes.of_path(f.span.path).scope in ("production", "unknown")
        for f in project.of_kind("package-entry"))
