"""``wasmlint inspect --graph [PATH]``: the project graph as a tree or JSON."""
from __future__ import annotations

import json
import sys

from ..graph import launch_id


def graph_json(project) -> dict:
    nodes = [{"id": path, "kind": kind} for path, kind in sorted(project.files.items()) if kind]
    for f in project.of_kind("node-launch"):
        nodes.append({"id": launch_id(f), "kind": "node-launch", "surface": f.surface,
                      "unit": f.unit, "script": f.script, "span": f.span.to_json()})
    for f in project.of_kind("wasm-module"):
        if f.virtual_path:
            nodes.append({"id": f.virtual_path, "kind": "wasm", "embedded_in": f.span.path})
    return {"nodes": nodes, "edges": [e.to_json() for e in project.graph.edges]}


def show_graph(args, cfg) -> int:
    from ..pipeline import run_check
    result = run_check(args.paths or ["."], cfg, [], jobs=None)
    project = result.project
    if args.format == "json":
        json.dump(graph_json(project), sys.stdout, indent=2)
        print()
        return 0
    from rich.console import Console
    from rich.tree import Tree
    tree = Tree("project graph", guide_style="dim")
    roots = [launch_id(f) for f in project.of_kind("node-launch")]
    roots += sorted({e.src for e in project.graph.edges if e.kind == "builds"})
    shown: set[str] = set()

    def grow(node: Tree, nid: str, depth: int) -> None:
        for e in project.graph.out.get(nid, ()):
            label = f"[dim]{e.kind}[/] {e.dst or f'[red]{e.spec} (unresolved)[/]'}  [dim]{e.span.path}:{e.span.line}[/]"
            child = node.add(label)
            if e.dst and e.dst not in shown and depth < 12:
                shown.add(e.dst)
                grow(child, e.dst, depth + 1)

    for rid in roots:
        grow(tree.add(rid.removeprefix("launch:")), rid, 0)
    loose = sorted({e.src for e in project.graph.edges} - set(roots) - shown)
    for src in loose:
        grow(tree.add(src), src, 0)
    Console(highlight=False).print(tree)
    return 0
