"""``wasmlint doctor``: the external tools wasmlint uses, the node flag database,
the project's node and Emscripten versions, and how to install what is missing.
Exit 1 when a tool that the selected rules need is missing."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .common import add_config_args, resolve_config, split_codes
from ..paths import real
from ..cli_parser import add_output_format

# tool -> what needs it, and the rule codes that cannot run without it.
TOOLS = {
    "wasm-tools": ("WL002 (invalid-module)", ("WL002",)),
    "wasm-opt": ("WL507 (unoptimized-module, check --deep)", ("WL507",)),
    "node": ("wasmlint probe", ()),
}


def add_parser(sub) -> None:
    p = sub.add_parser("doctor", help="show external tools, versions and how to install what is missing")
    p.add_argument("paths", nargs="*", metavar="PATH", help="the project (default: .)")
    p.add_argument("--select", action="append", metavar="CODES", help="rules to check the tools for")
    p.add_argument("--extend-select", action="append", metavar="CODES", help="add rules to the selection")
    p.add_argument("--deep", action="store_true", help="as `check --deep`: WL507 needs wasm-opt")
    add_output_format(p, ("text", "json"), default="text")
    add_config_args(p)


def tool_report() -> list[dict]:
    from ..tools import INSTALL_HINTS, find_tool, tool_version
    out = []
    for name, (needed_by, _) in TOOLS.items():
        path = find_tool(name)
        out.append({"tool": name, "path": path, "version": tool_version(name) if path else None,
                    "needed_by": needed_by, "install": None if path else INSTALL_HINTS[name]})
    return out


def flag_database(node_version: str | None) -> dict:
    from ..nodeflags import FlagDB, available_majors, resolve_major
    majors = available_majors()
    out = {"majors": {str(m): {"node": FlagDB.for_major(m).node_version, "v8": FlagDB.for_major(m).v8_version}
                      for m in majors}, "installed_node_uses": None, "note": None}
    if node_version:
        major, note = resolve_major(node_version)
        out.update(installed_node_uses=major, note=note)
    return out


def project_versions(root: Path, cfg) -> dict:
    """Best effort: config first, then the files that pin versions in the project root."""
    node = {"version": cfg.node_version, "from": "configuration"} if cfg.node_version else None
    emsdk = {"version": cfg.emscripten_version, "from": "configuration"} if cfg.emscripten_version else None
    for name in (".nvmrc", ".node-version"):
        if node is None and (root / name).is_file():
            text = (root / name).read_text(encoding="utf-8", errors="replace").strip().splitlines()
            if text and text[0].strip():
                node = {"version": text[0].strip(), "from": name}
    pkg = root / "package.json"
    if node is None and pkg.is_file():
        try:
            engines = json.loads(pkg.read_text(encoding="utf-8")).get("engines") or {}
        except (ValueError, AttributeError, UnicodeDecodeError):
            engines = {}
        if isinstance(engines, dict) and isinstance(engines.get("node"), str):
            node = {"version": engines["node"], "from": "package.json engines.node"}
    for image, tag in _dockerfile_images(root / "Dockerfile"):
        if node is None and image in ("node", "library/node", "docker.io/library/node"):
            node = {"version": tag, "from": "Dockerfile FROM"}
        if emsdk is None and image in ("emscripten/emsdk", "docker.io/emscripten/emsdk"):
            emsdk = {"version": tag, "from": "Dockerfile FROM"}
    return {"node": node, "emscripten": emsdk}


def _dockerfile_images(path: Path) -> list[tuple[str, str]]:
    """``(image, tag)`` of each ``FROM`` instruction (words of each line, not a regex)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    out = []
    for line in lines:
        words = line.split()
        if len(words) < 2 or words[0].upper() != "FROM":
            continue
        ref = next((w for w in words[1:] if not w.startswith("--")), "")
        image, _, tag = ref.split("@", 1)[0].partition(":")
        if tag:
            out.append((image.lower(), tag))
    return out


def run(args) -> int:
    from ..ruleset import all_rules, select_rules

    cfg = resolve_config(args)
    rules = all_rules(cfg.extend_rules)
    select = split_codes(args.select) if args.select else cfg.select
    extend = [*cfg.extend_select, *(split_codes(args.extend_select) or []), *(["WL507"] if args.deep else [])]
    selected = {r.code for r in select_rules(rules, select, cfg.ignore, extend)}
    tools = tool_report()
    node = next(t for t in tools if t["tool"] == "node")
    from ..runpaths import project_root
    start = real(args.paths[0] if args.paths else ".")
    root = project_root(start) or (start.parent if start.is_file() else start)
    report = {"tools": tools, "node_flag_database": flag_database(node["version"]),
              "project": project_versions(root, cfg)}
    missing = [t for t in tools if not t["path"] and set(TOOLS[t["tool"]][1]) & selected]
    report["missing_for_selected_rules"] = [t["tool"] for t in missing]
    if args.output_format == "json":
        json.dump(report, sys.stdout, indent=2)
        print()
    else:
        _print(report)
    return 1 if missing else 0


def _print(report: dict) -> None:
    from ..cli_parser import console as output_console
    from rich.markup import escape
    from rich.table import Table

    con = output_console(soft_wrap=True)
    t = Table(title="external tools", title_justify="left")
    for col in ("tool", "version", "path", "needed by"):
        t.add_column(col)
    for tool in report["tools"]:
        found = tool["path"] is not None
        t.add_row(tool["tool"], escape(tool["version"] or "–") if found else "[red]not found[/]",
                  escape(tool["path"] or f"install: {tool['install']}"), tool["needed_by"])
    con.print(t)
    db = report["node_flag_database"]
    majors = ", ".join(f"{m} ({v['node']}, V8 {v['v8']})" for m, v in db["majors"].items())
    con.print(f"node flag database: {majors}")
    if db["installed_node_uses"] is not None:
        con.print(f"the installed node is judged with the node {db['installed_node_uses']} data"
                  + (f" ({escape(db['note'])})" if db["note"] else ""))
    for what in ("node", "emscripten"):
        found = report["project"][what]
        con.print(f"project {what} version: "
                  + (f"{escape(found['version'])} (from {found['from']})" if found else "not stated"))
    for name in report["missing_for_selected_rules"]:
        con.print(f"[bold red]missing:[/] {name} is needed by the selected rules", style=None)
