"""``wasmlint check [PATH...]``: lint (the default command)."""
from __future__ import annotations

import os
import sys
from collections import Counter

from ..report import FORMATS
from .common import add_config_args, resolve_config, split_codes


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="lint files and folders (default command)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    p.add_argument("--output-format", choices=FORMATS, default=None,
                   help="output format (default: $WASMLINT_OUTPUT_FORMAT or text)")
    p.add_argument("--select", action="append", metavar="CODES", help="only these rules (codes, names, prefixes, ALL)")
    p.add_argument("--ignore", action="append", metavar="CODES", help="skip these rules")
    p.add_argument("--extend-select", action="append", metavar="CODES", help="add rules to the selection")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default="warning",
                   help="lowest severity that makes the exit code 1 (default: warning)")
    p.add_argument("--statistics", action="store_true", help="print counts per rule instead of findings")
    p.add_argument("--deep", action="store_true",
                   help="also run binaryen's wasm-opt on each module to measure what it would save (WL507)")
    p.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes (default: all cores)")
    add_config_args(p)


def run(args) -> int:
    from ..pipeline import fails, run_check
    from ..progress import Progress
    from ..report import renderer
    from ..ruleset import all_rules, select_rules

    cfg = resolve_config(args)
    fmt = args.output_format or os.environ.get("WASMLINT_OUTPUT_FORMAT") or "text"
    if fmt not in FORMATS:
        print(f"wasmlint: error: unknown output format {fmt!r}", file=sys.stderr)
        return 2
    rules = all_rules(cfg.extend_rules)
    select = split_codes(args.select) if args.select else cfg.select
    ignore = [*cfg.ignore, *(split_codes(args.ignore) or [])]
    extend = [*cfg.extend_select, *(split_codes(args.extend_select) or []), *(["WL507"] if args.deep else [])]
    chosen = select_rules(rules, select, ignore, extend)
    with Progress("checking files") as progress:
        result = run_check(args.paths or ["."], cfg, chosen, jobs=args.jobs, progress=progress)
    diags = result.diagnostics
    out = sys.stdout
    for note in dict.fromkeys(result.ctx.notes):
        print(f"wasmlint: {note}", file=sys.stderr)
    if args.statistics:
        counts = Counter((d.code, d.name) for d in diags)
        for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            out.write(f"{n:>5}  {code}  {name}\n")
    else:
        renderer(fmt)(diags, out, paths={e.path: e.abspath for e in result.files})
    if args.exit_zero:
        return 0
    return 1 if fails(diags, args.fail_on) else 0
