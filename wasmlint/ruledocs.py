"""A rule's documentation as Markdown, from its rule file (``wasmlint rule``, docs/rules/)."""
from __future__ import annotations

from .ruleset import Rule
from .scopes import SCOPES

HEADINGS = (("what", "What it does"), ("why", "Why it matters"), ("example", "Example"),
            ("use-instead", "Use instead"), ("fix", "Fix"))


def to_markdown(rule: Rule) -> str:
    lines = [f"# {rule.code} {rule.name}", ""]
    enabled = "on by default" if rule.default_enabled else "not selected by default"
    per_target = ("; reported once, against the smallest budget it exceeds" if rule.tightest
                  else "; checked once per target" if rule.per_target else "")
    lines += [f"Severity: **{rule.severity}**, {enabled}{per_target}. Since {rule.since}.", ""]
    if rule.scopes == SCOPES:
        lines += ["Scopes: all (tests, benchmarks, examples and tooling too).", ""]
    else:
        lines += [f"Scopes: {', '.join(f'`{s}`' for s in rule.scopes)}; findings in other scopes "
                  "(tests, benchmarks, examples, …) are reported with `--scope all`.", ""]
    for key, title in HEADINGS:
        body = rule.docs.get(key)
        if not body:
            continue
        lines += [f"## {title}", ""]
        if key in ("example", "use-instead"):
            lang = rule.docs.get("example-lang", "")
            lines += [f"```{lang}", str(body).rstrip("\n"), "```", ""]
        else:
            lines += [str(body).strip(), ""]
    if rule.fix:
        lines += [f"Fix safety: **{rule.fix.applicability}** — {rule.fix.title.split('{')[0].strip() or rule.fix.title}", ""]
    refs = rule.docs.get("references")
    if refs:
        lines += ["## References", ""] + [f"- {r}" for r in refs] + [""]
    return "\n".join(lines)
