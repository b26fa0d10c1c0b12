"""A rule's documentation as Markdown, from its rule file (``wasmlint rule``, docs/rules/)."""
from __future__ import annotations

import re

from .ruleset import Rule
from .scopes import SCOPES

EVIDENCE = "../evidence.md"     # docs/evidence.md, from a page in docs/rules/
# "facts.md §1 (memory growth), §4 (limits)": a citation and the sections that follow it
_CITATION = re.compile(r"facts\.md((?:(?:,|;|\s+and)?\s*§\s?\d+(?:\.\d+)?(?:\s*\([^()]*\))?)*)")
_SECTION = re.compile(r"§\s?(\d+)(\.\d+)?")

HEADINGS = (("what", "What it does"), ("why", "Why it matters"), ("example", "Example"),
            ("use-instead", "Use instead"), ("fix", "Fix"))


def cite(text: str) -> str:
    """Citations of the measured facts as links into docs/evidence.md (shipped with
    wasmlint), not to a file users do not have."""
    def one(m: re.Match) -> str:
        sections = _SECTION.sub(lambda s: f"[§{s.group(1)}{s.group(2) or ''}]({EVIDENCE}#evidence-{s.group(1)})",
                                m.group(1))
        return f"[evidence]({EVIDENCE}){sections}" if not sections.strip() else f"evidence{sections}"
    return _CITATION.sub(one, text)


def template_text(template: str) -> str:
    """A message or fix template for reading: ``{expr}`` parts shown as ``‹expr›``,
    ``{{``/``}}`` as braces."""
    out, i = [], 0
    while i < len(template):
        c = template[i]
        if template.startswith("{{", i) or template.startswith("}}", i):
            out.append(c)
            i += 2
        elif c == "{" and "}" in template[i:]:
            end = template.index("}", i)
            out.append("‹" + template[i + 1:end].split(":")[0].strip() + "›")
            i = end + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def policy_keys(rule: Rule) -> list[str]:
    """The ``policy`` settings a rule reads, in kebab-case as configuration spells them."""
    from .config import POLICY_DEFAULTS
    text = " ".join(str(x) for x in (rule.condition, rule.message, rule.each, rule.location, rule.related,
                                     rule.severity_when, rule.fix.builder if rule.fix else None))
    return [k for k in POLICY_DEFAULTS if f"policy.{k.replace('-', '_')}" in text or f"policy.{k}" in text]


def options_section(rule: Rule) -> list[str]:
    from .config import POLICY_DEFAULTS
    rows = [f"- `policy.{k}` (default `{POLICY_DEFAULTS[k]!r}`)" for k in policy_keys(rule)]
    rows += [f"- rule option `{k}` (default `{v!r}`)" for k, v in rule.options.items()]
    if rule.per_target:
        rows.append("- `targets` and `custom-targets`: the budgets it checks against (`--target` on the command line)")
    if not rows:
        return []
    return ["## Options", "", "Settings that change what this rule reports "
            "([settings reference](../settings.md)):", "", *rows, ""]


def ignore_section(rule: Rule) -> list[str]:
    c = rule.code
    return ["## When to ignore it", "",
            "When the finding is deliberate, suppress it where it is reported, in that file's own "
            "comment syntax, and say why:", "",
            f"- shell, Makefile, Dockerfile, YAML, TOML, CMake, Meson, nginx: `# wasmlint: disable={c}` at the "
            f"end of the line, `# wasmlint: disable-next-line={c}` on the line before",
            f"- JavaScript, TypeScript, Rust: `// wasmlint: disable={c}` or `// wasmlint: disable-next-line={c}`",
            f"- a whole file: `wasmlint: disable-file={c}` in a comment anywhere in it",
            f"- files without comments (`.wasm`, `package.json`): `per-file-ignores = {{ \"path/**\" = "
            f"[\"{c}\"] }}` in the configuration; everywhere: `ignore = [\"{c}\"]`",
            "", "A suppression that no longer hides anything is reported (WL004).", ""]


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
            lines += [cite(str(body).strip()), ""]
    if rule.fix:
        lines += [f"Fix safety: **{rule.fix.applicability}** — {template_text(rule.fix.title)}", ""]
    lines += options_section(rule)
    lines += ignore_section(rule)
    refs = rule.docs.get("references")
    if refs:
        lines += ["## References", ""] + [f"- {cite(str(r))}" for r in refs] + [""]
    return "\n".join(lines)
