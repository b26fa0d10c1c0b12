"""Whether anything can grow a module's own memory. Only two things grow a WebAssembly
memory: a ``memory.grow`` in the module's code, and a host holding the memory (an export
of it) that calls ``grow`` — in a web or node deployment, JavaScript's
``Memory.prototype.grow``. A memory declared without a maximum that neither grows keeps
its initial size (AssemblyScript modules with a fixed layout: webpack's md4 hash,
Hyphenopoly's pattern modules), so it is not "growable" in any sense WL101 means.

Emscripten's modules grow through their glue (``emscripten_resize_heap`` → ``grow``),
which may live outside the project: they are left to the glue's facts."""
from __future__ import annotations

MAX_JS_BYTES = 256 << 20      # JavaScript read at most to look for `.grow(` calls (else: may grow)
OUT_OF_DEPLOYMENT = frozenset(("test", "bench", "example", "fixture", "docs", "vendored"))


def never_grown(memory, ctx) -> bool:
    """``memory`` (a binary's defined memory) keeps its size: no ``memory.grow`` in the
    module's code, and no deployed JavaScript of the project calls ``grow`` (when the
    module exports it)."""
    if memory.grown_in_code is not False or memory.toolchain == "emscripten":
        return False
    return not memory.exported_as or not _js_grows(ctx)


def _js_grows(ctx) -> bool:
    """Some JavaScript of the project outside tests, examples and vendored copies calls a
    ``grow`` method (remembered for the run)."""
    project = ctx.project
    if project is None:
        return True
    if "js-grows" not in project.memo:
        project.memo["js-grows"] = _any_grow_call(project, ctx.config)
    return project.memo["js-grows"]


def _any_grow_call(project, config) -> bool:
    from pathlib import Path
    from .paths import NotRegular, read_regular
    scopes, budget = project.scopes(config), MAX_JS_BYTES
    for path, kind in project.files.items():
        if kind != "js" or scopes.of_path(path).scope in OUT_OF_DEPLOYMENT:
            continue
        abspath = project.abspaths.get(path)
        try:
            data = read_regular(Path(abspath), budget) if abspath else None
        except (OSError, NotRegular):
            return True         # not known: it may
        if data is None:
            return True
        budget -= len(data)
        if budget < 0 or b".grow(" in data:
            return True
    return False
