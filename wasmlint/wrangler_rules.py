"""Wrangler's module rules: the type a Worker's import of a non-JavaScript file gets
(``[[rules]]`` of wrangler.toml, ``rules`` of wrangler.json), as wrangler's
``parseRules`` orders them (read 2026-12-06 in cloudflare/workers-sdk
``packages/wrangler/src/deployment-bundle/rules.ts``): the user's rules, then the
defaults; the first rule of a type without ``fallthrough = true`` completes that type and
later rules of the type are dropped; an import takes the type of the first rule whose globs
match its path. ``CompiledWasm`` gives a ``WebAssembly.Module``; ``Data`` an
``ArrayBuffer``; ``Text`` a string."""
from __future__ import annotations

from .pathmatch import match_any

DEFAULT_RULES = (
    {"type": "Text", "globs": ["**/*.txt", "**/*.html", "**/*.sql"], "fallthrough": False, "default": True},
    {"type": "Data", "globs": ["**/*.bin"], "fallthrough": False, "default": True},
    {"type": "CompiledWasm", "globs": ["**/*.wasm", "**/*.wasm?module"], "fallthrough": False, "default": True},
)
NOT_A_MODULE = {"Data": "an `ArrayBuffer`", "Text": "a string"}


def effective(user_rules: list[dict]) -> list[dict]:
    out, completed = [], set()
    for rule in [*user_rules, *DEFAULT_RULES]:
        if rule["type"] in completed:
            continue
        out.append(rule)
        if not rule.get("fallthrough"):
            completed.add(rule["type"])
    return out


def type_of(spec: str, user_rules: list[dict]) -> dict | None:
    """The rule that decides what importing ``spec`` (as written) gives, or None."""
    path = spec.removeprefix("./")
    for rule in effective(user_rules):
        if match_any(path, [g.removeprefix("./") for g in rule["globs"]]):
            return rule
    return None


def rule_for(compile_fact, ctx) -> dict | None:
    """For a compile of an imported ``.wasm`` in code a wrangler deployment ships: the user
    rule that makes it bytes or a string (its type, what the import gives, its file, globs
    and related location), else None."""
    path = compile_fact.span.path
    for d in ctx.project.deployments_reaching(path):
        if d.platform != "cloudflare-workers" or not d.module_rules:
            continue
        rule = type_of(compile_fact.wasm_import, d.module_rules)
        if rule is not None and rule["type"] in NOT_A_MODULE and not rule.get("default"):
            span = rule.get("span")
            return {"type": rule["type"], "gives": NOT_A_MODULE[rule["type"]], "file": d.span.path,
                    "globs": ", ".join(f"`{g}`" for g in rule["globs"]),
                    "related": [(span, "the module rule that matches it")] if span else []}
    return None
