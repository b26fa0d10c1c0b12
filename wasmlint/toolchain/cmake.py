"""CMake files → emcc link facts.

Why lark (``grammars/cmake.lark``) and not tree-sitter-cmake: CMake's language is
small and fully specified (cmake-language(7)), a LALR grammar of it is exact,
and it avoids a compiled dependency; evaluation needs our own escape and
``${VAR}`` handling with positions anyway.

The file is evaluated as ``emcmake cmake`` configures it (``cmake_eval.py``: the
Emscripten toolchain, the parent ``CMakeLists.txt`` context, ``include()``, macros and
functions, conditions). The link of an executable target is what CMake's generator
writes: ``CMAKE_{C,CXX}_FLAGS`` (and ``_<CONFIG>`` when the build type is known),
``CMAKE_EXE_LINKER_FLAGS``, ``add_link_options``, the target's ``LINK_OPTIONS``
(``target_link_options``: one argument per item, ``SHELL:`` items split, ``LINKER:``
items passed to wasm-ld; ``target_link_libraries`` items starting with ``-``) and
``LINK_FLAGS`` (a string, shell-split), plus the ``INTERFACE`` link options of the
targets it links. Static libraries are archived with ``emar``, not linked: one makes a
fact only for the link options it passes on to its consumers. ``add_custom_command`` /
``add_custom_target`` commands that run emcc are links of their own. Conditions and
``$<CONFIG:…>`` generator expressions that cannot be decided are variants: the base and
one per condition.
"""
from __future__ import annotations

import re

import os
import posixpath

from ..facts import Fact, Span
from .cmake_target_config import target_build_type
from .cmake_targets import Target
from .cmake_eval import Run
from .cmake_files import Files
from .cmake_variants import variant_runs
from .cmake_values import list_items
from .debug_build import is_debug_flag
from .emcc import build_facts, is_emcc
from .emcc_args import carries_emcc_settings, emcc_only, links_only
from .pstr import UNKNOWN, PStr, Tok, shell_split

MAX_VARIANTS = 8       # the base and at most 7 variants that change a link
MAX_RUNS = 24          # variant evaluations tried
FLAG_VARS = ("CMAKE_C_FLAGS", "CMAKE_CXX_FLAGS", "CMAKE_EXE_LINKER_FLAGS")


def cmake_facts(text: str, path: str, response=None, project=None, shared: bool = True) -> list[Fact]:
    """``shared=False``: each variant evaluated whole (``cmake_variants``), for tests."""
    from .makefile_facts import _merge
    files = Files(text, path, project)
    base = Run(files, None)
    base.charges_found = True
    base.execute()
    per_variant = [(None, _facts(base, files, None, response))]
    configs = _configs(files)
    labels = [*_configured_first(base.switches, files)[:MAX_RUNS - len(configs)], *configs]
    for label, run in zip(labels, variant_runs(files, base, labels, shared)):
        if not run.failed:
            per_variant.append((label, _facts(run, files, label, response)))
    merged = _merge(per_variant)
    kept = [label for label in dict.fromkeys(getattr(f, "variant", None) for f in merged) if label][:MAX_VARIANTS - 1]
    return [f for f in merged if getattr(f, "variant", None) is None or f.variant in kept]


def _configured_first(switches: list[str], files: Files) -> list[str]:
    """The switches a configure line of the project turns on first: of a project's many
    optional modules, the one its Emscripten build enables is the variant that matters
    (CoolProp's workflow configures ``-DCOOLPROP_JAVASCRIPT_MODULE:BOOL=ON`` after a dozen
    other ``COOLPROP_*_MODULE`` switches), and only so many variants are read."""
    on = files.configured()
    if not on:
        return switches
    return sorted(switches, key=lambda label: not on.intersection(_NAME.findall(label)))


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _facts(run: Run, files: Files, label: str | None, response) -> list[Fact]:
    run.refund_found()
    if run.unreachable:
        return []        # no emcmake configuration builds this directory
    response = _written_first(run, files, response)
    scope = run.main_vars
    names = list(FLAG_VARS)
    config = run.config()
    if config:
        names += [f"{n}_{config.upper()}" for n in FLAG_VARS]
    common = [files.tok(w) for n in names for w in shell_split(scope.get(n) or PStr.synth(""))]
    by_config = _configured_debug(run, config, scope, files)
    global_opts = _items(files, run.link_opts)
    complete = _build_type_known(run, files)
    facts: list[Fact] = []
    linked = False
    emscripten = files.emscripten_signs()
    for t in run.targets.values():
        if not t.main:
            continue
        own = _own(run, t)
        if own is None:
            continue
        # a library's link options for consumers linked elsewhere: flags, not a link (WL306 waits for the link)
        library = t.kind not in ("executable", "shared", "unknown")
        own_type = target_build_type(files.configure_lines(), t) if run.build_type is None and not config else None
        typed = _config_words(files, scope, own_type.value) if own_type is not None else []
        words = common + typed + global_opts + _items(files, own[0]) + [files.tok(w) for w in own[1]]
        if not emscripten and not _emcc_flags([w.value for w in words]):
            continue        # a native build: nothing shows Emscripten builds this project
        made = build_facts(words, t.span, variant=label, read_response=response, flag_set=library,
                           complete=complete or own_type is not None, inputs_given=False)
        for f in made:
            if f.kind == "emcc-invocation" and run.build_type is None:
                f.config = config       # the CMakeLists' own default: a developer's build, when Debug
            if f.kind == "emcc-invocation" and f.output is None:
                f.output = t.name
            if f.kind == "emcc-invocation" and t.copies:
                f.copies = _copied(files, t, f.output)
            if f.kind == "emcc-invocation" and by_config and not any(
                    is_debug_flag(w.value) for w in words[len(common):]):
                f.build_type, f.build_type_span = config, run.build_type.span()
            if f.kind == "emcc-invocation" and own_type is not None and _debug(typed) and not any(
                    is_debug_flag(w.value) for w in words[len(common) + len(typed):]):
                f.build_type, f.build_type_span = own_type.value, own_type.span()
        linked = linked or bool(made)
        facts += made + _included_material(files, t, made)
    for custom in run.customs:
        words = [w for w in custom.argv if w.text]
        if not words or not is_emcc(words[0].text):
            continue
        made = build_facts([files.tok(w) for w in words[1:]], custom.span, variant=label, read_response=response)
        for f in made:
            if f.kind == "emcc-invocation" and f.output:
                f.output = _relative_output(files, f.output)
        linked = linked or bool(made)
        facts += made
    own = [w for w in common + global_opts if w.index is files.main.index]
    if not linked and not run.subdirs and any(emcc_only(w.value) for w in own):
        # flags this file sets that reach no link the project shows: still what every link here gets
        facts += build_facts(common + global_opts, Span(files.main.index.path), variant=label,
                             read_response=response, flag_set=True)
    return facts


def _included_material(files: Files, t: Target, made: list[Fact]) -> list[Fact]:
    """A target that a file ``include()``d into this one defines as it is read (libjxl's
    ``include(examples/examples.cmake)`` in its root CMakeLists.txt): ``include()`` runs that
    file's commands in the including directory, so its links are made here and anchored at
    the ``include`` line, but they are that file's work. A file that a convention places
    in a test, bench, example, fixture or docs folder (or names so) defines that material:
    a ``scope-hint`` of that scope over the ``include`` line. A function the file defines and
    this one calls later makes this file's targets; a vendored copy's file is not decided
    so either: what this build links from it may be what ships."""
    from ..scopes import QUIET
    from ..scopes.conventions import path_scope
    from ..scopes.hint import ScopeHint
    unit = t.included
    if unit is None or not unit.rel or not any(f.kind == "emcc-invocation" for f in made):
        return []
    said = path_scope(unit.rel)
    if said is None or said.scope not in QUIET or said.scope == "vendored":
        return []
    return [ScopeHint(t.span, scope=said.scope, reason=f"defined in `{unit.rel}`, {said.reason}")]


def _written_first(run: Run, files: Files, response):
    """A response file reader that knows the files the configure wrote (``file(WRITE)``,
    ``file(GENERATE)``), named as the link names them: emcc reads such a file as it reads
    any (``shlex.split`` of its text); other names are read from the project."""
    if not run.written:
        return response

    def read(tok: Tok, cwd: str | None = ""):
        content = run.written.get(tok.value[1:])
        if content is not None:
            return [files.tok(w) for w in shell_split(content)]
        return response(tok, cwd) if response is not None else None
    return read


def _config_words(files: Files, scope, config: str) -> list[Tok]:
    """``CMAKE_<LANG>_FLAGS_<CONFIG>``: what the build type adds to a link."""
    return [files.tok(w) for n in FLAG_VARS
            for w in shell_split(scope.get(f"{n}_{config.upper()}") or PStr.synth(""))]


def _build_type_known(run: Run, files: Files) -> bool:
    """Whether the build type whose ``CMAKE_<LANG>_FLAGS_<CONFIG>`` CMake passes to a link is
    known: the project's Emscripten configure lines all pass the same one, or none passes
    one (then it is the CMakeLists' own, or empty: no flags). Without a configure line the
    builder picks it (``-DCMAKE_BUILD_TYPE=Release`` adds the ``-O``)."""
    lines = files.configure_lines()
    if not lines:
        return False
    if run.config() is None and any(_SETS_BUILD_TYPE.search(u.text) for u in files.units):
        return False        # set under a condition not decided here (chibi-scheme's RelWithDebInfo default)
    return run.build_type is not None or not any("CMAKE_BUILD_TYPE" in entries for _, entries in lines)


_SETS_BUILD_TYPE = re.compile(r"\bset\s*\(\s*CMAKE_BUILD_TYPE\b", re.I)


def _debug(words: list[Tok]) -> bool:
    return any(is_debug_flag(w.value) or w.value == "-O0" for w in words)


def _configured_debug(run: Run, config: str | None, scope, files: Files) -> bool:
    """Whether the build type the project's configure lines pass (not one the CMakeLists
    sets itself) brings -g or -O0 to the links through ``CMAKE_<LANG>_FLAGS_<CONFIG>``."""
    if not config or run.build_type is None or run.build_type.value != config:
        return False
    return _debug(_config_words(files, scope, config))


def _emcc_flags(words: list[str]) -> bool:
    return carries_emcc_settings(words) or links_only(words)


def _own(run: Run, t: Target) -> tuple[list[PStr], list[PStr]] | None:
    """The link options and LINK_FLAGS words of a target's own link (an executable), or of
    its consumers' links (a static library that passes link options on to consumers this
    file does not link); None: no link."""
    if t.kind == "unknown" and not (t.own or t.own_string):
        return None      # a target defined elsewhere: only link options given here make a link
    if t.kind in ("executable", "shared", "unknown"):
        return list(t.own) + [o for dep in _linked(run, t) for o in dep.iface], t.own_string
    linked_here = any(t in _linked(run, x) for x in run.targets.values()
                      if x.main and x.kind in ("executable", "shared"))
    if t.iface and not linked_here:
        return list(t.iface), []
    return None


def _linked(run: Run, t: Target) -> list[Target]:
    """The targets ``t`` links, transitively (their INTERFACE link options reach its link)."""
    out, seen, todo = [], {t.name}, list(t.libs)
    while todo:
        name = todo.pop(0)
        dep = run.targets.get(name)
        if dep is None or name in seen:
            continue
        seen.add(name)
        out.append(dep)
        todo += dep.libs
    return out


def _items(files: Files, items: list[PStr]) -> list[Tok]:
    out: list[Tok] = []
    for item in items:
        for el in list_items(item):
            if el.text.startswith("SHELL:"):
                out += [files.tok(w) for w in shell_split(el[6:])]
            elif el.text.startswith("LINKER:"):
                out += [files.tok(PStr.synth("-Wl,") + w) for w in list_items(el[7:], ",")]
            elif el.text:
                out.append(files.tok(el))
    return out


def _copied(files: Files, t, output: str) -> list[str]:
    """Where the target's POST_BUILD ``cmake -E copy`` puts what its link writes: a source
    named as the target's output (``${CMAKE_BINARY_DIR}/bin/libwhisper.js``), copied to a
    file, or into a folder when the destination has no extension of the source's."""
    own = posixpath.basename(output).partition(".")[0]
    out = []
    for sources, dst in t.copies:
        for src in sources:
            name = posixpath.basename(src)
            if UNKNOWN in name or name.partition(".")[0] != own or UNKNOWN in dst:
                continue
            ext = posixpath.splitext(name)[1]
            to = dst if dst.endswith(ext) and not dst.endswith("/") else posixpath.join(dst, name)
            out.append(_relative_output(files, to))
    return out


def _relative_output(files: Files, output: str) -> str:
    """An absolute ``-o`` inside the project, relative to the CMake file's folder (as the
    project graph resolves outputs); others as written."""
    root = files.abspath(".")
    if root is None or not posixpath.isabs(output):
        return output
    rel = files.project.resolve(files.main.dir, output)
    if rel is None:
        return output
    return posixpath.relpath(rel, files.main.dir or ".").replace(os.sep, "/")


def _configs(files: Files) -> list[str]:
    """``CONFIG <name>`` variants for the configurations generator expressions select."""
    out: list[str] = []
    text, k = files.main.text, 0
    while True:
        k = text.find("$<CONFIG:", k)
        if k < 0:
            return out[:MAX_VARIANTS - 1]
        end = text.find(">", k)
        for name in text[k + 9:end].split(","):
            if name and f"CONFIG {name}" not in out:
                out.append(f"CONFIG {name}")
        k = end
