"""``wasmlint inspect PATH... [--format table|json]``: the facts found in files,
and each file's production scope and why (read with the files' project, as
``check FILE…`` does)."""
from __future__ import annotations

import json
import sys

from .common import add_config_args, resolve_config
from ..cli_parser import add_output_format


def add_parser(sub) -> None:
    p = sub.add_parser("inspect", help="show the facts wasmlint reads from files")
    p.add_argument("paths", nargs="*", metavar="PATH")
    add_output_format(p, ("table", "json"), default="table")
    p.add_argument("--graph", action="store_true",
                   help="show the project graph (launch → script → loader → .wasm; build → artifact)")
    add_config_args(p)


def entries(results, scopes) -> list[dict]:
    """Per file {path, kind, scope, scope_reason, facts}; modules embedded in JS as
    their own entries. A fact whose scope is not its file's (a package.json
    script, a CI job) carries its own ``scope`` and ``scope_reason``."""
    out = []
    for r in results:
        groups: dict[str, list] = {r.path: []}
        for f in r.facts:
            groups.setdefault(getattr(f, "virtual_path", None) or r.path, []).append(f)
        for path, facts in groups.items():
            kind = r.kind if path == r.path else "wasm"
            own = scopes.of_path(path)
            out.append({"path": path, "kind": kind, "scope": own.scope, "scope_reason": own.reason,
                        "facts": [_fact_json(f, scopes, own) for f in facts]})
    return out


def _fact_json(fact, scopes, own) -> dict:
    data = fact.to_json()
    if fact.kind != "scope-hint":
        sc = scopes.of_fact(fact)
        if sc != own:
            data.update(scope=sc.scope, scope_reason=sc.reason)
    return data


def project_scopes(paths: list[str], cfg):
    """The scope map of the project the paths belong to."""
    from ..pipeline import run_check
    from ..runpaths import resolve_run_paths
    result = run_check(resolve_run_paths(paths, cfg.root).read, cfg, [], jobs=None)
    return result.project.scopes(cfg)


def run(args) -> int:
    from ..pipeline import inspect_paths

    if args.graph:
        from .graph_view import show_graph
        return show_graph(args, resolve_config(args))
    if not args.paths:
        print("wasmlint: error: inspect needs a PATH (or --graph)", file=sys.stderr)
        return 2
    cfg = resolve_config(args)
    data = entries(inspect_paths(args.paths, cfg), project_scopes(args.paths, cfg))
    if args.output_format == "json":
        sys.stdout.write(json.dumps(data[0] if len(data) == 1 else data, indent=2))
        print()
        return 0
    from ..cli_parser import console as output_console
    from rich.table import Table
    console = output_console()
    for entry in data:
        table = Table(title=f"{entry['path']} ({entry['kind']}) — {entry['scope']}: {entry['scope_reason']}",
                      title_justify="left", show_lines=False)
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
