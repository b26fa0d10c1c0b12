"""One flag as a rule sees it: where it was written, what the flag database of
the node version in use says about it, and the edits that fix it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Edit
from ..facts import Span
from .args import Arg


@dataclass
class FlagUse:
    spelling: str                  # as written: --max_old_space_size=4096
    arg: Arg
    where: str                     # "command line" | "NODE_OPTIONS"
    origin: str = ""               # NODE_OPTIONS: path:line of the assignment
    name: str | None = None        # canonical name, None when node does not know it
    negated: bool = False
    value: str | None = None
    is_v8: bool = False
    allowed_in_node_options: bool = False
    value_arg: Arg | None = None   # ``-r mod``: the separate value word
    dynamic: bool = False          # the value holds an expansion not known statically
    removed_in: int | None = None
    suggestion: str | None = None
    fix: Any = None                # list[Edit] or a suggestion text, set per rule
    detail: str = ""               # rule-specific explanation, set per rule
    extra: dict = field(default_factory=dict)

    @property
    def span(self) -> Span:
        return self.arg.span

    @property
    def as_node_says(self) -> str:
        """The flag as node names it in its errors (``--stack-size=`` for ``--stack-size=4000``)."""
        return self.spelling.split("=", 1)[0] + "=" if "=" in self.spelling else self.spelling

    @property
    def known(self) -> bool:
        return self.name is not None

    @property
    def canonical(self) -> str:
        if self.name is None:
            return self.spelling
        base = ("--no-" + self.name[2:]) if self.negated else self.name
        return base if self.value is None else f"{base}={self.value}"

    def delete(self) -> list[Edit]:
        return delete_args([self.arg] + ([self.value_arg] if self.value_arg else []))

    def words(self) -> list[str]:
        return [self.spelling] + ([self.value_arg.value] if self.value_arg else [])


def fresh(uses: list[FlagUse]) -> list[FlagUse]:
    """Copies of resolved uses, as ``resolve`` made them, for a caller to set its rule's
    ``fix``/``detail``/``extra`` on: a launch's flags are resolved once per run
    (``launch.facts``) and every rule reads them dozens of times."""
    out = []
    for u in uses:
        new = object.__new__(FlagUse)
        d = new.__dict__
        d.update(u.__dict__)
        d["extra"] = {}
        out.append(new)
    return out


def resolve(db, spelling: str, arg: Arg, where: str, origin: str = "",
            value_arg: Arg | None = None) -> FlagUse:
    """A FlagUse filled from the database; dynamic values are looked up by name."""
    use = FlagUse(spelling, arg, where, origin, value_arg=value_arg, dynamic=arg.dynamic)
    probe = spelling
    if arg.dynamic:
        head = spelling.split("$", 1)[0]
        if "=" not in head:
            return use
        probe = head.split("=", 1)[0] + "=0"
    info = db.lookup(probe)
    if info is None:
        return use
    use.name, use.negated, use.is_v8 = info.name, info.negated, info.is_v8
    use.value = None if arg.dynamic else info.value
    use.allowed_in_node_options = info.allowed_in_node_options
    return use


def unknown(db, use: FlagUse, major: int) -> FlagUse:
    """Fill why an unknown flag is unknown: removed (and when) or a typo."""
    from ..nodeflags import removed_in
    use.removed_in = removed_in(use.spelling)
    refuse = (f"node {major} refuses it in NODE_OPTIONS and exits at start (exit code 9)"
              if use.where == "NODE_OPTIONS" else f"node {major} refuses to start (\"bad option\", exit code 9)")
    if use.removed_in is not None and use.removed_in <= major:
        use.detail = (f"`{use.spelling}` was removed in node {use.removed_in}, where the feature ships "
                      f"by default: {refuse}")
        use.fix = use.delete()
        return use
    use.removed_in = None
    use.suggestion = db.did_you_mean(use.spelling)
    hint = f"; did you mean `{use.suggestion}`?" if use.suggestion else ""
    use.detail = f"unknown node flag `{use.spelling}`: {refuse}{hint}"
    use.fix = f"replace it with `{use.suggestion}`" if use.suggestion else None
    return use


def delete_args(args: list[Arg]) -> list[Edit]:
    """One edit removing several adjacent args (their delete ranges may touch)."""
    if not args or not all(a.editable and a.del_span for a in args):
        return []
    spans = [a.del_span for a in args]
    start = min(spans, key=lambda s: (s.line, s.column))
    end = max(spans, key=lambda s: (s.end_line, s.end_column))
    return [Edit(Span(start.path, start.line, start.column, end.end_line, end.end_column,
                      start.offset, end.end_offset), "")]
