"""WL106: the memory a loader passes in against the module's memory import.

The module is the ``.wasm`` the compile call's bytes come from (its ``loads-wasm``
edge in the project graph); the memory is the ``new WebAssembly.Memory`` bound to
the name the import object uses, in the same file. Instantiation fails with a
``LinkError`` when the memory's initial size is below the import's minimum, when
the import declares a maximum and the memory has none or a larger one, or when
their ``shared`` flags differ.
"""
from __future__ import annotations


def _module_memory_imports(ctx, fact) -> list:
    project = ctx.project
    if project is None or not fact.source:
        return []
    targets = {e.dst for e in project.graph.out.get(fact.span.path, ())
               if e.kind == "loads-wasm" and e.spec == fact.source and e.dst}
    return [m for m in project.of_kind("memory") if m.span.path in targets and m.origin == "imported"]


def _js_memory(ctx, fact, binding: str | None, offset: int | None):
    for m in ctx.project.of_kind("js-memory"):
        if m.span.path != fact.span.path:
            continue
        if (offset is not None and m.span.offset == offset) or (binding and m.name == binding):
            return m
    return None


def problems(mem, imp) -> list[str]:
    out = []
    if mem.initial_pages is not None and mem.initial_pages < imp.initial_pages:
        out.append(f"its initial size ({mem.initial_pages} pages) is below the import's minimum "
                   f"({imp.initial_pages} pages)")
    if imp.maximum_pages is not None:
        if not mem.maximum_declared:
            out.append(f"it has no maximum but the import requires one of at most {imp.maximum_pages} pages")
        elif mem.maximum_pages is not None and mem.maximum_pages > imp.maximum_pages:
            out.append(f"its maximum ({mem.maximum_pages} pages) is above the import's maximum "
                       f"({imp.maximum_pages} pages)")
    if bool(mem.shared) != bool(imp.shared):
        out.append("it is shared but the import is not" if mem.shared else
                   "the import is shared but it is not")
    return out


def importers_of(ctx, mem) -> list:
    """The module memory imports (``memory`` facts) a ``new WebAssembly.Memory`` is passed to:
    through the import objects of the compile calls of its file."""
    if ctx.project is None:
        return []
    out = []
    for fact in ctx.project.at("js-wasm-compile", mem.span.path):
        wanted = _module_memory_imports(ctx, fact) if fact.memory_imports else []
        for module, name, binding, offset in fact.memory_imports:
            if _js_memory(ctx, fact, binding, offset) is mem:
                out += [imp for imp in wanted if imp.import_ == {"module": module, "name": name} and imp not in out]
    return out


def memory_mismatches(fact, ctx) -> list[dict]:
    if not fact.memory_imports:
        return []
    wanted = _module_memory_imports(ctx, fact)
    out = []
    for module, name, binding, offset in fact.memory_imports:
        mem = _js_memory(ctx, fact, binding, offset)
        if mem is None:
            continue
        for imp in wanted:
            if imp.import_ == {"module": module, "name": name}:
                found = problems(mem, imp)
                if found:
                    out.append({"import": f"{module}.{name}", "module": imp.span.path, "memory": mem,
                                "problems": "; ".join(found), "span": mem.span,
                                "related": [(imp.span, f"{imp.span.path} imports its memory `{module}.{name}` "
                                                       f"here")]})
    return out
