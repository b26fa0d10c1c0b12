"""Run the selected rules over the project's facts (pipeline stage 4)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Callable

from . import spelling
from .condition import ConditionError, compile_expr, compile_template
from .config import Config, Target
from .diagnostics import Deferred, Diagnostic, Edit, Fix, Proposal, Related
from .facts import Fact, Span
from .pathmatch import match_any
from .report.escape import clip
from .ruleset import Rule, builtin_rules
from .scopes import UNKNOWN


@dataclass
class Context:
    """What a derived attribute may consult besides its own fact."""

    config: Config
    project: Any = None          # link.Project once linked
    notes: list[str] = field(default_factory=list)
    _targets: dict[int, tuple[Fact, list[Target]]] = field(default_factory=dict, repr=False)
    # what a fact's derived attribute computed once per check for the rules that read it:
    # (name, id(fact)) -> (fact, value)
    memo: dict[tuple[str, int], tuple[Fact, Any]] = field(default_factory=dict, repr=False)

    def targets_for(self, fact: Fact) -> list[Target]:
        """The fact's targets, without those that cannot load it at all (a memory64
        build on iOS): a budget is no verdict where the module does not load."""
        targets = self._targets_for(fact)
        if getattr(fact, "not_on", ()):      # a user-agent branch iOS never takes
            targets = [t for t in targets if t.name not in fact.not_on]
        if getattr(fact, "memory64", False):
            targets = [t for t in targets if t.loads_memory64]
        return targets

    def all_targets_for(self, fact: Fact) -> list[Target]:
        """The fact's targets, those that cannot load it included (WL603 reports them)."""
        return self._targets_for(fact)

    def _targets_for(self, fact: Fact) -> list[Target]:
        """Per-path config, then the fact's own hint (a build for node), then what
        the project graph shows (an artifact only node launches reach), then the
        configured targets. ``--target`` on the command line overrides all. Found
        once per fact, not once per rule that reads it."""
        known = self._targets.get(id(fact))
        if known is None or known[0] is not fact:
            known = self._targets[id(fact)] = (fact, self._find_targets(fact))
        return list(known[1])

    def _find_targets(self, fact: Fact) -> list[Target]:
        if not self.config.targets_from_cli:
            for pattern, names in self.config.targets_by_path.items():
                if match_any(fact.span.path, [pattern]):
                    return [self.config.target(t) for t in names]
            hint = getattr(fact, "target_hint", None)
            hint = hint(self) if callable(hint) else hint
            if hint:
                return [self.config.target(t) for t in ([hint] if isinstance(hint, str) else hint)]
            if self.project is not None and hasattr(self.project, "targets_for"):
                found = self.project.targets_for(fact, self.config)
                if found:
                    return found
        return self.configured_targets

    @cached_property
    def configured_targets(self) -> list[Target]:
        """The configuration's targets, made once: most facts have no targets of their own."""
        return [self.config.target(t) for t in self.config.targets]

    def once(self, name: str, fact: Fact, make: Callable[[], Any]) -> Any:
        """``make()``, computed once per check for this fact (``memo``): what every rule that
        reads a fact's derived attribute would otherwise work out again."""
        key = (name, id(fact))
        made = self.memo.get(key)
        if made is None or made[0] is not fact:
            made = self.memo[key] = (fact, make())
        return made[1]

    def scope_of(self, fact: Fact):
        """The fact's production scope (``wasmlint.scopes``), found once per fact: each rule
        that reports on it asks (a link with three findings asked three times)."""
        if not hasattr(self.project, "scopes"):
            return UNKNOWN
        return self.once("scope_of", fact, lambda: self.project.scopes(self.config).of_fact(fact))


class Names:
    """Name lookup for conditions and templates: loop variable, then the rule's
    context names, then the fact's attributes (methods are called with ctx)."""

    __slots__ = ("fact", "ctx", "names")

    def __init__(self, fact: Fact, ctx: Context, names: dict[str, Any]):
        self.fact, self.ctx, self.names = fact, ctx, names

    def lookup(self, name: str) -> Any:
        value = self.names.get(name, _MISSING)      # one dict lookup: most names are the fact's
        if value is not _MISSING:
            return value
        value = getattr(self.fact, name, _MISSING)
        if value is _MISSING:
            value = getattr(self.fact, name + "_", _MISSING)  # import_ and other keywords
        if value is _MISSING:
            raise ConditionError(f"fact `{self.fact.kind}` has no attribute `{name}`")
        if callable(value):
            return value(self.ctx)
        return value


_MISSING = object()


class _Policy(dict):
    def __getattr__(self, name: str) -> Any:
        return self.get(name.replace("_", "-"))


def _severity(rule: Rule, ctx: Context, look: Names) -> str:
    sev = ctx.config.severity.get(rule.code) or ctx.config.severity.get(rule.name)
    if sev:
        return sev
    for case in rule.severity_when:
        if compile_expr(case["condition"])(look):
            return case["severity"]
    return rule.severity


def _fix(rule: Rule, fact: Fact, look: Names) -> Fix | None:
    if rule.fix is None:
        return None
    title = compile_template(rule.fix.title)(look)
    edits: tuple[Edit, ...] = ()
    if rule.fix.builder:
        made = compile_expr(rule.fix.builder)(look)
        if made is None:
            return None
        if isinstance(made, str):
            title = f"{title}: {made}" if title else made
        elif isinstance(made, Proposal):
            title, edits = made.title, tuple(made.edits)
        else:
            edits = tuple(made)
            if not edits and rule.fix.applicability != "suggestion":
                return None
    applicability = rule.fix.applicability if edits or rule.fix.applicability == "suggestion" else "suggestion"
    return Fix(title, applicability, edits)


def _later_fix(rule: Rule, fact: Fact, look: Names) -> Fix | Deferred | None:
    """A built-in rule's fix, built when it is first read (``Deferred``): most findings are
    never shown (one per root cause) and a check alone shows none; it is built from what
    this finding saw (its target and item, the spelling bound of its file). A fix that
    cannot be built then is none. A project's own rule's fix is built now: an error in it
    skips the finding, with a note, as its condition's does."""
    if rule.fix is None:
        return None
    if id(rule) not in _builtin_ids():
        return _fix(rule, fact, look)
    seen = Names(fact, look.ctx, dict(look.names))
    file = spelling.checked_file()

    def make() -> Fix | None:
        token = spelling.checking(file)
        try:
            return _fix(rule, fact, seen)
        except _RULE_ERRORS:
            return None
        finally:
            spelling.done_checking(token)
    return Deferred(make)


@lru_cache(maxsize=1)
def _builtin_ids() -> frozenset[int]:
    return frozenset(map(id, builtin_rules()))


def _related(rule: Rule, look: Names) -> list[Related]:
    if not rule.related:
        return []
    out = []
    for item in compile_expr(rule.related)(look) or ():
        if isinstance(item, Related):
            out.append(item)
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], Span):
            out.append(Related(item[0], item[1]))
    return out


QUOTE_LIMIT = 80      # characters of one `quoted` value a message shows


def clip_quoted(message: str) -> str:
    """Values quoted in a message (`…`) come from the linted files: a long one is shown
    shortened, so one finding cannot print megabytes."""
    if len(message) <= QUOTE_LIMIT * 2:
        return message
    parts = message.split("`")
    for k in range(1, len(parts), 2):
        parts[k] = clip(parts[k], QUOTE_LIMIT)
    return clip("`".join(parts), 1000)


def evaluate(rules: list[Rule], facts: list[Fact], ctx: Context) -> list[Diagnostic]:
    by_kind: dict[str, list[Fact]] = {}
    for f in facts:
        by_kind.setdefault(f.kind, []).append(f)
    out: list[Diagnostic] = []
    policy = _Policy(ctx.config.policy)
    files: dict[str, spelling.Checked] = {}     # a file's made-up names get a bounded number of suggestions
    token = spelling.checking(None)
    try:
        _evaluate(rules, by_kind, ctx, policy, files, out)
    finally:
        spelling.done_checking(token)
    return out


def _evaluate(rules, by_kind, ctx, policy, files, out) -> None:
    for rule in rules:
        if not any(by_kind.get(kind) for kind in rule.facts):
            continue   # nothing to read: its expressions are not even compiled
        cond = compile_expr(rule.condition)
        message = compile_template(rule.message)
        each_var, each_expr = None, None
        if rule.each:
            var, _, expr = rule.each.partition(" in ")
            each_var, each_expr = var.strip(), compile_expr(expr.strip())
        base = {"policy": policy, "options": rule.options, "rule": rule, "ctx": ctx, "target": None}
        # the names a condition reads besides the fact's: one dict for every fact of the rule,
        # copied per fact only where a fact's evaluation sets names of its own (a target, an item)
        shared = not (rule.per_target or each_var)
        look = Names(None, ctx, base)       # a shared rule's: its fact is set for each fact
        path, file = None, None
        for kind in rule.facts:
            for fact in by_kind.get(kind, ()):
                if fact.span.path != path:      # a file's facts come together: set once for them
                    path = fact.span.path
                    file = files.get(path)
                    if file is None:
                        file = files[path] = spelling.Checked()
                    spelling.checking(file)
                found = len(out)
                if shared:      # one condition, no target, no item: most facts end here
                    look.fact = fact
                    try:
                        if cond(look):
                            _report(rule, fact, ctx, None, look, message, out)
                    except _RULE_ERRORS as exc:
                        _skipped(rule, fact, ctx, exc, found, out)
                    continue
                targets = ctx.targets_for(fact) if rule.per_target else _NO_TARGET
                if rule.tightest:
                    targets = sorted(targets, key=lambda t: (t.budget_bytes is None, t.budget_bytes or 0))
                look = Names(fact, ctx, dict(base))
                try:
                    _each_target(rule, fact, ctx, targets, look, each_var, each_expr, cond, message, found, out)
                except _RULE_ERRORS as exc:
                    _skipped(rule, fact, ctx, exc, found, out)


# what a rule (often a project's own) may raise on one fact: that fact is skipped, the run goes on
_RULE_ERRORS = (ConditionError, ArithmeticError, ValueError, TypeError, MemoryError, RecursionError)
_NO_TARGET = (None,)
_ONE_ITEM = (None,)


def _skipped(rule, fact, ctx, exc, found, out) -> None:
    del out[found:]
    ctx.notes.append(f"rule {rule.code} could not be evaluated on {fact.span.path}:"
                     f"{fact.span.line} ({type(exc).__name__}: {clip(str(exc), 160)}); skipped")


def _each_target(rule, fact, ctx, targets, look, each_var, each_expr, cond, message, found, out) -> None:
    names = look.names
    for target in targets:
        if rule.tightest and len(out) > found:
            break
        if target is not None:
            names["target"] = target
        items = each_expr(look) if each_expr else _ONE_ITEM
        for item in items or ():
            if each_var:
                names[each_var] = item
            if cond(look):
                _report(rule, fact, ctx, target, look, message, out)


def _report(rule, fact, ctx, target, look, message, out) -> None:
    """The finding of ``rule`` on ``fact`` (for ``target``), its condition being true."""
    span = fact.span
    if rule.location:
        loc = compile_expr(rule.location)(look)
        span = loc if isinstance(loc, Span) else span
    out.append(Diagnostic(
        code=rule.code, name=rule.name, severity=_severity(rule, ctx, look),
        message=clip_quoted(message(look)), span=span,
        target=target.name if target is not None else None,
        related=_related(rule, look), fix=_later_fix(rule, fact, look), url=rule.url,
        fact=fact, scope=ctx.scope_of(fact).scope, data=_data(rule, look)))


def _data(rule: Rule, look: Names) -> dict | None:
    """The rule's structured data for this finding (``data`` key): a JSON object."""
    if not rule.data:
        return None
    made = compile_expr(rule.data)(look)
    return made if isinstance(made, dict) else None
