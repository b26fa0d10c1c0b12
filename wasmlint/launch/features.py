"""WL212: WebAssembly features that a node version enables only behind a flag.

Which flag turns a feature on is a property of V8's flag names; whether a node
version needs it (the flag exists and is off by default) comes from the flag
database generated from that node binary.
"""
from __future__ import annotations

FEATURE_FLAGS = {
    "memory64": "--experimental-wasm-memory64",
    "multi-memory": "--experimental-wasm-multi-memory",
}


def module_features(memories: list) -> list[str]:
    out = []
    if any(getattr(m, "memory64", False) for m in memories):
        out.append("memory64")
    if len(memories) > 1:
        out.append("multi-memory")
    return out


def missing_feature_flags(launch, ctx) -> list[dict]:
    """``{"feature", "flag", "module", "span"}`` for each feature a module this
    launch reaches needs, which its node only enables with a flag it lacks."""
    project = ctx.project
    if project is None or launch.script is None or launch.eval:
        return []
    from ..graph import launch_id
    from ..nodeflags import FlagDB
    reached = set(project.graph.reachable(launch_id(launch)))
    db = FlagDB.for_major(launch.major(ctx))
    by_module: dict[str, list] = {}
    for m in project.of_kind("memory"):
        path = m.virtual_path or m.span.path
        if path in reached:
            by_module.setdefault(path, []).append(m)
    out = []
    for path, memories in sorted(by_module.items()):
        for feature in module_features(memories):
            info = db.lookup(FEATURE_FLAGS[feature])
            if info is None or info.default_on or launch.has_flag(ctx, info.name, False):
                continue
            out.append({"feature": feature, "flag": info.name, "module": path, "span": memories[0].span})
    return out
