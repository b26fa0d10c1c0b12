"""Production scope: what part of the project a file, a launch or a fact belongs to.

``production`` is what the project deploys or publishes; ``test``, ``bench``,
``example``, ``fixture``, ``docs``, ``vendored`` (another project's build files, copied
in), ``debug`` (a link made to debug, or only by hand, beside the one that ships) and ``tooling`` are the rest; ``unknown`` is
what nothing decides. The project graph decides first (``assign.py``: what a
production entry point reaches is production), then each ecosystem's conventions
(``conventions.py`` for paths and names, ``commands.py`` for what a command
runs), then ``[tool.wasmlint.scopes]``, which overrides both. Rules report in
the scopes their TOML lists (``scopes``; default :data:`DEFAULT_REPORTED`).
"""
from __future__ import annotations

from dataclasses import dataclass

SCOPES = ("production", "test", "bench", "example", "fixture", "docs", "vendored", "debug", "tooling", "unknown")
DEFAULT_REPORTED = ("production", "unknown")
# what the project does not deploy or build
QUIET = ("test", "bench", "example", "fixture", "docs", "vendored")


@dataclass(frozen=True)
class Scoped:
    """A scope and why: ``Scoped("test", "under `test/`")``."""

    scope: str
    reason: str

    def to_json(self) -> dict:
        return {"scope": self.scope, "reason": self.reason}


UNKNOWN = Scoped("unknown", "no production entry point reaches it and no convention applies")


def parse_scopes(value, what: str) -> tuple[str, ...]:
    """A list of scope names (or ``"all"``) from a rule or a configuration;
    ``ValueError`` names ``what`` and the first unknown name."""
    if value == "all" or value == ["all"]:
        return SCOPES
    names = [v.strip() for v in value.split(",")] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValueError(f"`{what}` must be \"all\" or a list of scopes ({', '.join(SCOPES)})")
    for n in names:
        if n not in SCOPES:
            raise ValueError(f"`{what}`: unknown scope `{n}` (known: {', '.join(SCOPES)}; or \"all\")")
    return tuple(n for n in SCOPES if n in names)


def reported(diags: list, rules: list, config, project) -> list:
    """The findings in the scopes their rule reports in (``scopes`` in its TOML),
    or in the configured ones (``scope``, ``--scope``). A finding made outside a
    fact (WL004) takes its file's scope."""
    own = {r.code: r.scopes for r in rules}
    for d in diags:
        if d.scope is None:
            d.scope = project.scopes(config).of_path(d.span.path).scope
    return [d for d in diags if d.scope in (config.report_scopes or own.get(d.code, DEFAULT_REPORTED))]
