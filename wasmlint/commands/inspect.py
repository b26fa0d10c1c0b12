"""``wasmlint inspect PATH... [--format table|json]``: the facts found in files."""
from __future__ import annotations

import json
import sys

from .common import add_config_args, resolve_config


def add_parser(sub) -> None:
    p = sub.add_parser("inspect", help="show the facts wasmlint reads from files")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--graph", action="store_true",
                   help="show the project graph (launch → script → loader → .wasm; build → artifact)")
    add_config_args(p)


def entries(results) -> list[dict]:
    """Per file {path, kind, facts}; modules embedded in JS as their own entries."""
    out = []
    for r in results:
        groups: dict[str, list] = {r.path: []}
        for f in r.facts:
            groups.setdefault(getattr(f, "virtual_path", None) or r.path, []).append(f)
        for path, facts in groups.items():
            kind = r.kind if path == r.path else "wasm"
            out.append({"path": path, "kind": kind, "facts": [f.to_json() for f in facts]})
    return out


def run(args) -> int:
    from ..pipeline import inspect_paths

    if args.graph:
        from .graph_view import show_graph
        return show_graph(args, resolve_config(args))
    if not args.paths:
        print("wasmlint: error: inspect needs a PATH (or --graph)", file=sys.stderr)
        return 2
    cfg = resolve_config(args)
    data = entries(inspect_paths(args.paths, cfg))
    if args.format == "json":
        sys.stdout.write(json.dumps(data[0] if len(data) == 1 else data, indent=2))
        print()
        return 0
    from rich.console import Console
    from rich.table import Table
    console = Console(highlight=False)
    for entry in data:
        table = Table(title=f"{entry['path']} ({entry['kind']})", title_justify="left", show_lines=False)
        table.add_column("fact")
        table.add_column("where")
        table.add_column("values")
        for f in entry["facts"]:
            span = f.get("span") or {}
            where = f"{span.get('line')}:{span.get('column')}"
            if span.get("offset") is not None:
                where += f" @0x{span['offset']:x}"
            values = ", ".join(f"{k}={json.dumps(v)}" for k, v in f.items() if k not in ("kind", "span"))
            table.add_row(f["kind"], where, values)
        console.print(table)
    return 0
