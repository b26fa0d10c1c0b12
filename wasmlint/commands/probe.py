"""``wasmlint probe FILE.wasm``: run the module under node and measure (WL901–WL904)."""
from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from .common import add_config_args, note, resolve_config
from ..cli_parser import add_output_format

# The flag sets compared besides the defaults and the policy's (rules-catalog.md WL9xx, facts.md §3).
STANDARD_SETS = (["--no-liftoff"], ["--no-liftoff", "--no-wasm-lazy-compilation"], ["--liftoff-only"])


def add_parser(sub) -> None:
    p = sub.add_parser("probe", help="run a module under node and measure compile, workers, allocation")
    p.add_argument("module", metavar="FILE.wasm")
    p.add_argument("--node", metavar="PATH", help="node binary (default: $WASMLINT_NODE or node on PATH)")
    p.add_argument("--runs", type=int, default=5, metavar="N", help="fresh processes per flag set (default 5)")
    p.add_argument("--workers", type=int, default=4, metavar="N",
                   help="workers for the scaling test; 1 turns it off (default 4)")
    p.add_argument("--call", metavar="EXPORT[:ARG,...]", help="workload: call this export with these arguments")
    p.add_argument("--calls", type=int, default=10, metavar="N", help="calls after the first for the steady time")
    p.add_argument("--flags", action="append", default=[], metavar='"FLAGS"',
                   help="another flag set to compare, written --flags=\"--a --b\" (repeatable)")
    p.add_argument("--only-flags", action="store_true",
                   help="compare only the default flags and the --flags sets (not the policy's or the standard sets)")
    p.add_argument("--ulimit-v", type=int, metavar="KB",
                   help="also allocate under this address-space limit (default: your ulimit -v, if set)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="S", help="per node process (default 60)")
    add_output_format(p, ("table", "json"), default="table")
    p.add_argument("--write-config", action="store_true",
                   help="write the recommended flags (only those measured faster than the defaults) as "
                        "policy.required-node-flags to the project's configuration file")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default="warning")
    add_config_args(p)


def _fail(message: str) -> int:
    print(f"wasmlint: error: {message}", file=sys.stderr)
    return 2


def run(args) -> int:
    from ..pipeline import fails
    from ..probe import setup
    from ..probe.runner import ProbeError, run_probe, steps
    from ..probe.verdicts import diagnose, recommend
    from ..progress import Progress
    from ..ruleset import all_rules, select_rules

    args.paths = [args.module]
    cfg = resolve_config(args)
    try:
        user_sets = [shlex.split(s) for s in args.flags]
    except ValueError as exc:
        return _fail(f"--flags: {exc}")
    try:
        plan, notes = setup.make_plan(args, cfg, user_sets, [] if args.only_flags else list(STANDARD_SETS))
    except setup.UsageError as exc:
        return _fail(str(exc))
    for text in notes:
        note(args, text)
    with Progress("probe", steps(plan), delay=0.0) as bar:
        try:
            result = run_probe(plan, tick=bar.begin)
        except ProbeError as exc:
            return _fail(str(exc))
    rules = select_rules(all_rules(cfg.extend_rules), cfg.select, cfg.ignore, cfg.extend_select)
    diags = diagnose(result, cfg, rules, plan.display)
    out = {k: result[k] for k in ("module", "node", "v8", "cores", "flag_sets", "allocation")}
    out["diagnostics"] = [d.to_json() for d in diags]
    out["recommendation"] = recommend(result)
    out.update({k: v for k, v in result.items() if k not in out})
    out["notes"] = notes
    if args.write_config:
        from ..config import ConfigError
        from ..probe.writeconfig import write_policy_flags
        flags = out["recommendation"]["flags"]
        try:
            path = write_policy_flags(cfg.path, Path(args.module), flags)
        except (ConfigError, OSError, UnicodeDecodeError) as exc:
            return _fail(f"--write-config: {exc}")
        print(f"wasmlint: wrote policy.required-node-flags = {json.dumps(flags)} to {path}", file=sys.stderr)
    if args.output_format == "json":
        json.dump(out, sys.stdout, indent=2)
        print()
    else:
        from ..probe.table import render
        render(out, diags, sys.stdout)
    return 1 if fails(diags, args.fail_on) else 0

