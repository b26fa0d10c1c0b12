"""``wasmlint targets [NAME…]``: every target (the browser and node budgets, the deployment
platforms of ``data/platforms/``, the configuration's custom targets) with its limits and
where each limit comes from."""
from __future__ import annotations

import json
import sys

from ..cli_parser import add_output_format, add_output_args


def add_parser(sub) -> None:
    p = sub.add_parser("targets", help="list the targets and platforms with their limits and sources")
    p.add_argument("names", nargs="*", metavar="NAME", help="only these targets")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: found by walking up)")
    add_output_format(p, ("text", "json"), default="text")
    add_output_args(p)


def _row(target) -> dict:
    p = target.profile
    row = {"name": target.name, "memory_bytes": target.budget_bytes,
           "loads_memory64": target.loads_memory64, "platform": None}
    if p is not None:
        row["platform"] = p.to_json()
    return row


def _size(n: int | None) -> str:
    from ..condition import _fmt_bytes
    if n is None:
        return "—"
    text = _fmt_bytes(n)
    return text if "." not in text else f"{text} ({n:,} bytes)"


def _text(row: dict) -> list[str]:
    p = row["platform"]
    kind = "custom target" if p and p["custom"] else "platform" if p else "built-in target"
    lines = [f"{row['name']}  ({p['title'] if p and p['title'] else kind})"]
    memory = _size(row["memory_bytes"]) if row["memory_bytes"] else \
        "not published" if p else "unbounded unless a memory limit is stated"
    if p and p["memory_configurable"]:
        memory += " (the deployment's files may set it)"
    lines.append(f"  memory     {memory}")
    if p is None:
        return lines + [f"  memory64   {'loads' if row['loads_memory64'] else 'cannot load'} memory64 modules"]
    if p["size_bytes"]:
        lines.append(f"  size       {_size(p['size_bytes'])} {p['size_compression']}, per {p['size_counts']}")
    if p["startup_ms"]:
        lines.append(f"  startup    {p['startup_ms']} ms")
    if p["compile_from_bytes"] is False:
        lines.append("  loading    no WebAssembly compiled from bytes: import the .wasm as a module")
    for feature in ("memory64", "threads"):
        if p[feature] is not None:
            extra = " (needs cross-origin isolation)" if feature == "threads" and p["threads_need_isolation"] else ""
            lines.append(f"  {feature:<10} {'supported' if p[feature] else 'not supported'}{extra}")
    for limit, src in p["sources"].items():
        if src["url"]:
            lines.append(f"  source     {limit}: {src['url']} (read {src['read'] or '?'}, "
                         f"{src['confidence'] or 'confidence not stated'})")
        if src["note"]:
            lines.append(f"             {src['note']}")
    return lines


def run(args) -> int:
    from ..cli_parser import did_you_mean
    from .common import resolve_config
    cfg = resolve_config(args)
    known = cfg.known_targets()
    for name in args.names:
        if name not in known:
            print(f"wasmlint: error: unknown target `{name}`{did_you_mean(name, known)} "
                  f"(see `wasmlint targets`)", file=sys.stderr)
            return 2
    rows = [_row(cfg.target(n)) for n in (args.names or known)]
    if args.output_format == "json":
        json.dump(rows, sys.stdout, indent=2)
        print()
        return 0
    out = []
    for row in rows:
        out += [*_text(row), ""]
    sys.stdout.write("\n".join(out))
    return 0
