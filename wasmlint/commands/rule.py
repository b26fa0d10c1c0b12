"""``wasmlint rule CODE|NAME`` / ``--all``: a rule's documentation."""
from __future__ import annotations

import json
import sys

from ..cli_parser import add_output_format, add_output_args


def add_parser(sub) -> None:
    p = sub.add_parser("rule", aliases=["explain"], help="show a rule's documentation (alias: explain)")
    p.add_argument("rule", nargs="?", metavar="CODE|NAME")
    p.add_argument("--all", action="store_true", help="list every rule")
    add_output_format(p, ("text", "json"), default="text")
    add_output_args(p)


def run(args) -> int:
    from ..ruledocs import to_markdown
    from ..ruleset import all_rules, find_rule

    rules = all_rules()
    if args.all:
        if args.output_format == "json":
            json.dump([{"code": r.code, "name": r.name, "severity": r.severity,
                        "default_enabled": r.default_enabled, "summary": r.summary, "url": r.url}
                       for r in rules], sys.stdout, indent=2)
            print()
        else:
            for r in rules:
                mark = " " if r.default_enabled else "*"
                print(f"{r.code}{mark} {r.name:<34} {r.severity:<8} {r.summary}")
            print("\n* not selected by default")
        return 0
    if not args.rule:
        print("wasmlint: error: give a rule code or name, or --all", file=sys.stderr)
        return 2
    rule = find_rule(args.rule, rules)
    if rule is None:
        print(f"wasmlint: error: no rule {args.rule!r} (see `wasmlint rule --all`)", file=sys.stderr)
        return 2
    if args.output_format == "json":
        json.dump({"code": rule.code, "name": rule.name, "severity": rule.severity,
                   "default_enabled": rule.default_enabled, "docs": rule.docs, "url": rule.url},
                  sys.stdout, indent=2)
        print()
        return 0
    md = to_markdown(rule)
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown
        Console().print(Markdown(md))
    else:
        sys.stdout.write(md)
    return 0
