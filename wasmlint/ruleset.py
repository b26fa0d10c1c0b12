"""Load the rule catalog: one TOML file per rule in ``rules/`` (plus the
user's ``extend-rules`` folders). A rule is data; see rules/README.md."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .resources import data_dir
from .scopes import DEFAULT_REPORTED, parse_scopes

CODE_RE = re.compile(r"^WL\d{3}$")
# The one place the project's address is written: rule pages are docs/rules/<CODE>.md there.
PROJECT_URL = "https://github.com/wasmlint/wasmlint"
DOCS_URL = f"{PROJECT_URL}/blob/main/docs/rules"
DOC_PARTS = ("what", "why", "example", "use-instead", "fix")
RULE_KEYS = {
    "code", "name", "severity", "since", "status", "default-enabled", "facts", "per-target",
    "condition", "each", "message", "location", "related", "severity-when", "fix", "options",
    "docs", "targets", "scopes", "data", "refines",
}


class RuleError(Exception):
    pass


@dataclass
class RuleFix:
    title: str
    applicability: str = "suggestion"
    builder: str | None = None   # a fact method returning edits (or a description string)


@dataclass
class Rule:
    code: str
    name: str
    severity: str
    facts: list[str]
    condition: str = "true"
    message: str = ""
    per_target: bool = False
    tightest: bool = False        # per-target = "tightest": only the smallest budget it exceeds
    each: str | None = None
    location: str | None = None
    related: str | None = None
    data: str | None = None       # an expression giving a JSON object the finding carries as `data`
    severity_when: list[dict] = field(default_factory=list)
    default_enabled: bool = True
    since: str = "0.1.0"
    status: str = "stable"
    fix: RuleFix | None = None
    options: dict[str, Any] = field(default_factory=dict)
    docs: dict[str, Any] = field(default_factory=dict)
    scopes: tuple[str, ...] = DEFAULT_REPORTED    # where its findings are reported (wasmlint.scopes)
    refines: str | None = None    # the rule whose finding on the same fact it sharpens (rootcause.py)
    source: str = ""

    @property
    def url(self) -> str:
        return f"{DOCS_URL}/{self.code}.md"

    @property
    def summary(self) -> str:
        return str(self.docs.get("summary") or self.docs.get("what", "")).strip().split("\n")[0]


RULE_FILE_LIMIT = 1 << 20


def _load_toml(path: Path) -> dict:
    """A rule file: a regular file (not a FIFO, device or link to one) of at most 1 MiB."""
    from .paths import read_regular
    from .tomlsafe import loads
    data = read_regular(path, RULE_FILE_LIMIT, follow=True)
    if len(data) > RULE_FILE_LIMIT:
        raise ValueError("rule file larger than 1 MiB")
    return loads(data.decode("utf-8"))


def parse_rule(raw: dict, source: str) -> Rule:
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise RuleError(f"{source}: unknown rule key `{sorted(unknown)[0]}`")
    for key in ("code", "name", "severity", "facts"):
        if key not in raw:
            raise RuleError(f"{source}: missing `{key}`")
    if not CODE_RE.match(raw["code"]):
        raise RuleError(f"{source}: code {raw['code']!r} is not of the form WL123")
    if raw["severity"] not in ("error", "warning", "info"):
        raise RuleError(f"{source}: severity must be error, warning or info")
    fix = None
    if "fix" in raw:
        f = raw["fix"]
        fix = RuleFix(title=f["title"], applicability=f.get("applicability", "suggestion"),
                      builder=f.get("builder"))
        if fix.applicability not in ("safe", "unsafe", "suggestion"):
            raise RuleError(f"{source}: fix applicability must be safe, unsafe or suggestion")
    if raw.get("per-target", False) not in (True, False, "tightest"):
        raise RuleError(f"{source}: per-target must be true, false or \"tightest\"")
    try:
        scopes = parse_scopes(raw["scopes"], "scopes") if "scopes" in raw else DEFAULT_REPORTED
    except ValueError as exc:
        raise RuleError(f"{source}: {exc}") from None
    return Rule(
        code=raw["code"], name=raw["name"], severity=raw["severity"], facts=list(raw["facts"]),
        condition=raw.get("condition", "true"), message=raw.get("message", ""),
        per_target=bool(raw.get("per-target", False)), tightest=raw.get("per-target") == "tightest",
        each=raw.get("each"),
        location=raw.get("location"), related=raw.get("related"), data=raw.get("data"),
        severity_when=list(raw.get("severity-when", [])),
        default_enabled=bool(raw.get("default-enabled", True)), since=raw.get("since", "0.1.0"),
        status=raw.get("status", "stable"), fix=fix, options=dict(raw.get("options", {})),
        docs=dict(raw.get("docs", {})), scopes=scopes, refines=raw.get("refines"), source=source)


def load_folder(folder: Path) -> list[Rule]:
    rules = []
    for p in sorted(folder.glob("WL*.toml")):
        try:
            raw = _load_toml(p)
        except Exception as exc:  # a broken rule file is a configuration error
            raise RuleError(f"{p}: {exc}") from None
        rule = parse_rule(raw, str(p))
        if p.stem != rule.code:
            raise RuleError(f"{p}: file name must be the rule code ({rule.code}.toml)")
        rules.append(rule)
    return rules


def _check_expressions(rule: Rule) -> None:
    """A project's own rule (``extend-rules``) is compiled when loaded, so a bad or
    forbidden expression is a configuration error, not a failure mid-run."""
    from .condition import ConditionError, compile_expr, compile_template
    exprs = [rule.condition, rule.location, rule.related, rule.data, rule.each and rule.each.partition(" in ")[2],
             rule.fix and rule.fix.builder, *(c.get("condition") for c in rule.severity_when)]
    try:
        for e in exprs:
            if e:
                compile_expr(e.strip())
        compile_template(rule.message)
        if rule.fix is not None:
            compile_template(rule.fix.title)
    except ConditionError as exc:
        raise RuleError(f"{rule.source}: {exc}") from None


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    return tuple(_cached_folder(data_dir("rules")))


def _cached_folder(folder: Path) -> list[Rule]:
    """``load_folder`` with the parsed TOML kept as JSON in the user's cache, keyed
    by every rule file's name, size and mtime (TOML parsing is most of start-up)."""
    import hashlib
    import json

    from . import __version__
    from .usercache import prune, user_cache_dir, write_atomic
    files = sorted(folder.glob("WL*.toml"))
    cache = user_cache_dir()
    if cache is None:
        return load_folder(folder)
    stamp = hashlib.sha256(repr([__version__, str(folder)] + [
        (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files]).encode()).hexdigest()[:24]
    path = cache / f"rules-{stamp}.json"
    try:
        raws = json.loads(path.read_text(encoding="utf-8"))
        return [parse_rule(raw, src) for src, raw in raws]
    except (OSError, ValueError, KeyError, TypeError, RuleError):
        pass
    rules = load_folder(folder)
    raws = [(str(p), _load_toml(p)) for p in files]
    write_atomic(path, json.dumps(raws).encode())
    prune(cache, ".json", 8, prefix="rules-")
    return rules


def all_rules(extend: list[str] | tuple[str, ...] = ()) -> list[Rule]:
    rules = list(builtin_rules())
    for folder in extend:
        for rule in load_folder(Path(folder)):
            _check_expressions(rule)
            rules.append(rule)
    seen: dict[str, str] = {}
    for r in rules:
        for key in (r.code, r.name):
            if key in seen:
                raise RuleError(f"{r.source}: `{key}` is already used by {seen[key]}")
            seen[key] = r.source
    return sorted(rules, key=lambda r: r.code)


def find_rule(key: str, rules: list[Rule]) -> Rule | None:
    key = key.strip()
    for r in rules:
        if key.upper() == r.code or key.lower() == r.name:
            return r
    return None


def select_rules(rules: list[Rule], select: list[str] | None, ignore: list[str],
                 extend_select: list[str] = ()) -> list[Rule]:
    """ruff semantics: codes, names, code prefixes (``WL1``) and ``ALL``."""
    def matches(r: Rule, sel: str) -> bool:
        s = sel.strip()
        if s.upper() == "ALL":
            return True
        if s.lower() == r.name:
            return True
        return r.code.startswith(s.upper()) and s.upper().startswith("WL")

    for s in [*(select or []), *ignore, *extend_select]:
        if not any(matches(r, s) for r in rules):
            from .cli_parser import did_you_mean
            hint = did_you_mean(s.upper() if s.upper().startswith("WL") else s.lower(),
                                [r.code for r in rules] + [r.name for r in rules])
            raise RuleError(f"unknown rule selector `{s}`{hint}")
    if select is None:
        chosen = [r for r in rules if r.default_enabled]
    else:
        # An explicitly named rule (code or name) is selected even when not on by default;
        # a prefix or ALL brings only the default-enabled ones of that group, plus exact codes.
        chosen = [r for r in rules if any(matches(r, s) for s in select)
                  and (r.default_enabled or any(s.upper() == r.code or s.lower() == r.name
                                                 or s.upper() == "ALL" for s in select))]
    chosen += [r for r in rules if r not in chosen and any(matches(r, s) for s in extend_select)]
    return [r for r in chosen if not any(matches(r, s) for s in ignore)]
