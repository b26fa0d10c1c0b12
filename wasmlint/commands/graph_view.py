"""``wasmlint inspect --graph [PATH]``: the project graph as a tree or JSON, with
the production scope of every file and launch and why."""
from __future__ import annotations

import json
import sys

from ..graph import launch_id


def graph_json(project, scopes) -> dict:
    def scoped(node: dict, sc) -> dict:
        return {**node, "scope": sc.scope, "scope_reason": sc.reason}

    nodes = [scoped({"id": path, "kind": kind}, scopes.of_path(path))
             for path, kind in sorted(project.files.items()) if kind]
    for f in project.of_kind("node-launch"):
        nodes.append(scoped({"id": launch_id(f), "kind": "node-launch", "surface": f.surface, "unit": f.unit,
                             "script": f.script, "span": f.span.to_json()}, scopes.of_fact(f)))
    for f in project.of_kind("wasm-module"):
        if f.virtual_path:
            nodes.append(scoped({"id": f.virtual_path, "kind": "wasm", "embedded_in": f.span.path},
                                scopes.of_path(f.virtual_path)))
    return {"nodes": nodes, "edges": [e.to_json() for e in project.graph.edges]}


def show_graph(args, cfg) -> int:
    from ..pipeline import run_check
    result = run_check(args.paths or ["."], cfg, [], jobs=None)
    project = result.project
    scopes = project.scopes(cfg)
    if args.output_format == "json":
        json.dump(graph_json(project, scopes), sys.stdout, indent=2)
        print()
        return 0
    from ..cli_parser import console as output_console
    from rich.table import Table
    from rich.tree import Tree

    def tag(sc) -> str:
        return f"[{'green' if sc.scope == 'production' else 'dim'}]({sc.scope})[/]"

    tree = Tree("project graph", guide_style="dim")
    roots = [launch_id(f) for f in project.of_kind("node-launch")]
    roots += sorted({e.src for e in project.graph.edges if e.kind == "builds"})
    shown: set[str] = set()

    def grow(node: Tree, nid: str, depth: int) -> None:
        for e in project.graph.out.get(nid, ()):
            dst = f"{e.dst} {tag(scopes.of_path(e.dst))}" if e.dst else f"[red]{e.spec} (unresolved)[/]"
            label = f"[dim]{e.kind}[/] {dst}  [dim]{e.span.path}:{e.span.line}[/]"
            child = node.add(label)
            if e.dst and e.dst not in shown and depth < 12:
                shown.add(e.dst)
                grow(child, e.dst, depth + 1)

    launches = {launch_id(f): f for f in project.of_kind("node-launch")}
    for rid in roots:
        sc = scopes.of_fact(launches[rid]) if rid in launches else scopes.of_path(rid)
        grow(tree.add(f"{rid.removeprefix('launch:')} {tag(sc)}"), rid, 0)
    loose = sorted({e.src for e in project.graph.edges} - set(roots) - shown)
    for src in loose:
        grow(tree.add(f"{src} {tag(scopes.of_path(src))}"), src, 0)
    console = output_console()
    console.print(tree)
    table = Table(title="scopes", title_justify="left")
    for column in ("file or launch", "scope", "why"):
        table.add_column(column)
    for path, kind in sorted(project.files.items()):
        if kind:
            sc = scopes.of_path(path)
            table.add_row(path, sc.scope, sc.reason)
    for rid, f in launches.items():
        sc = scopes.of_fact(f)
        table.add_row(f"{f.span.path}:{f.span.line} ({f.unit})", sc.scope, sc.reason)
    console.print(table)
    return 0
