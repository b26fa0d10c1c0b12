"""Facts of node launch surfaces: ``node-launch``, ``node-options``,
``entry-script`` and ``docker-run-export`` (``node-version`` is in ``launch.version``).

Verdicts depend on the node version in use, so they are methods taking the
run's context: the flag database of that major decides what is known, what is
a V8 flag and what NODE_OPTIONS allows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..diagnostics import Edit, Proposal
from ..facts import Fact, Span, internal
from ..nodeflags import FlagDB
from ..scopes import Scoped
from . import verdicts, version
from .args import USER, Arg
from .flags import FlagUse, fresh, resolve, unknown


def _db(major: int) -> FlagDB:
    return FlagDB.for_major(major)


class _Versioned:
    """Node version resolution shared by launches and NODE_OPTIONS settings."""

    node_version: str | None
    span: Span

    def major(self, ctx) -> int:
        return self._version(ctx)[0]

    def _version(self, ctx) -> tuple:
        """(major, spec) of the node in use, resolved once per fact and run (every flag
        verdict asks for it: dozens of times a launch)."""
        cache = _per_run(ctx, "node-major")
        got = cache.get(id(self))
        if got is None:
            got = cache[id(self)] = version.resolve(ctx, self.node_version, self.span.path)
        return got

    def _resolved(self, ctx, what: str, make) -> list[FlagUse]:
        """``make()``'s flag uses, resolved once per fact and run; each call gets fresh
        copies (rules set their own fix and detail on them)."""
        cache = _per_run(ctx, what)
        got = cache.get(id(self))
        if got is None:
            got = cache[id(self)] = make()
        return fresh(got)

    def _unknown(self, ctx, uses: list[FlagUse]) -> list[FlagUse]:
        """Flags node does not know in this version: removed ones, typos."""
        major = self.major(ctx)
        db = _db(major)
        return [unknown(db, u, major) for u in uses if not u.known and not u.dynamic]

    def version_spec(self, ctx) -> str | None:
        return self._version(ctx)[1]


def _per_run(ctx, what: str) -> dict:
    """One memo of the run (``ctx``) by fact id, named ``what``."""
    memos = ctx.__dict__.get("_launch_memos")
    if memos is None:
        memos = ctx.__dict__["_launch_memos"] = {}
    memo = memos.get(what)
    if memo is None:
        memo = memos[what] = {}
    return memo


def _loads_wasm(ctx) -> bool:
    return bool(ctx.project is not None and getattr(ctx.project, "contains_wasm", False))


@dataclass
class NodeOptionsFact(_Versioned, Fact):
    """A place that sets NODE_OPTIONS (or npm's ``node-options``)."""

    kind: ClassVar[str] = "node-options"
    surface: str = ""
    variable: str = "NODE_OPTIONS"
    value: str = ""
    flags: list[str] = field(default_factory=list)
    error: str | None = None
    node_version: str | None = None
    unit: str = ""
    tokens: list[Arg] = internal(default_factory=list)
    launch_anchor: Arg | None = internal()
    launch_where: str = internal("before")
    launch_line: str | None = internal()
    launch_options: list[str] = internal(default_factory=list)   # that launch's options before its script

    def flag_uses(self, ctx) -> list[FlagUse]:
        return self._resolved(ctx, "node-options-uses", lambda: self._flag_uses(ctx))

    def _flag_uses(self, ctx) -> list[FlagUse]:
        db = _db(self.major(ctx))
        out, i = [], 0
        while i < len(self.tokens):
            t = self.tokens[i]
            if not t.value.startswith("-") or "$" in t.value:
                i += 1
                continue
            val = self.tokens[i + 1] if db.takes_value(t.value) and i + 1 < len(self.tokens) else None
            out.append(resolve(db, t.value, t, "NODE_OPTIONS", f"{self.span.path}:{self.span.line}", val))
            i += 2 if val else 1
        return out

    def not_allowed(self, ctx) -> list[FlagUse]:
        """Known flags node refuses in NODE_OPTIONS, with the move-to-command-line fix
        (only the removal when the command line already holds the flag: its value
        wins there anyway, node reads NODE_OPTIONS first)."""
        db = _db(self.major(ctx))
        held = {info.name: w for w in self.launch_options if (info := db.lookup(w)) is not None}
        out = []
        for u in self.flag_uses(ctx):
            if not u.known or u.allowed_in_node_options:
                continue
            edits: list[Edit] = []
            if self.launch_anchor is not None and u.is_v8 and u.name in held:
                edits = u.delete()
                if edits:
                    u.fix = Proposal(f"Remove `{u.spelling}` from {self.variable}: the node command line "
                                     f"already holds `{held[u.name]}`", tuple(edits))
                    out.append(u)
                    continue
            elif self.launch_anchor is not None and u.is_v8:
                ins = self.launch_anchor.insert(u.words(), self.launch_where, USER)
                dele = u.delete()
                edits = dele + ins if ins and dele else []
            u.fix = edits or self._suggest(u)
            out.append(u)
        return out

    def _suggest(self, u: FlagUse) -> str:
        if self.launch_line:
            return f"remove it here and write it on the node command line: `{self.launch_line}`"
        return (f"remove it here and write `{' '.join(u.words())}` on the node command line, before the "
                "script (workers inherit the command line's V8 flags)")

    def unknown_flags(self, ctx) -> list[FlagUse]:
        return self._unknown(ctx, self.flag_uses(ctx))


@dataclass
class EntryScript(Fact):
    """A launch surface's command that runs a script file of the project
    (``CMD ["./docker-entrypoint.sh"]``, ``web: sh bin/start.sh``)."""

    kind: ClassVar[str] = "entry-script"
    surface: str = ""
    unit: str = ""
    script: str = ""
    role: Scoped | None = None

    def graph_refs(self) -> list:
        from ..graph import Ref
        return [Ref("runs", self.script, self.span)]


@dataclass
class NodeLaunch(_Versioned, Fact):
    """One node invocation: its command line, NODE_OPTIONS and limits."""

    kind: ClassVar[str] = "node-launch"
    surface: str = ""
    unit: str = ""
    node_version: str | None = None
    options_before_script: list[str] = field(default_factory=list)
    script: str | None = None
    args_after_script: list[str] = field(default_factory=list)
    node_options: list[dict] = field(default_factory=list)      # {"flag", "from"}
    memory_limit_bytes: int | None = None
    address_space_limit_bytes: int | None = None
    eval: bool = False
    wrapper: str | None = None
    role: Scoped | None = None          # the scope its surface gives it (wasmlint.scopes)
    opaque: bool = internal(False)
    node_arg: Arg | None = internal()
    opt_args: list[Arg] = internal(default_factory=list)
    opt_values: list[Arg | None] = internal(default_factory=list)
    after_args: list[Arg] = internal(default_factory=list)
    anchor: Arg | None = internal()
    anchor_where: str = internal("before")
    env_options: list[NodeOptionsFact] = internal(default_factory=list)
    memory_limit_span: Span | None = internal()
    memory_limit_what: str = internal("")
    memory_limit_cgroup: bool = internal(True)    # False: PM2's restart threshold, which node never sees
    address_space_span: Span | None = internal()
    address_space_what: str = internal("")

    # ------------------------------------------------------------ flags
    def cli_flags(self, ctx) -> list[FlagUse]:
        return self._resolved(ctx, "cli-flags", lambda: self._cli_flags(ctx))

    def _cli_flags(self, ctx) -> list[FlagUse]:
        db = _db(self.major(ctx))
        return [resolve(db, a.value, a, "command line", value_arg=v)
                for a, v in zip(self.opt_args, self.opt_values)]

    def env_flags(self, ctx) -> list[FlagUse]:
        out = []
        for f in self.env_options:
            f.node_version = f.node_version or self.node_version
            out.extend(f.flag_uses(ctx))
        return out

    def effective(self, ctx) -> list[FlagUse]:
        """Flags that take effect: the command line, and NODE_OPTIONS flags node accepts there."""
        return self.cli_flags(ctx) + [u for u in self.env_flags(ctx) if u.known and u.allowed_in_node_options]

    def has_flag(self, ctx, name: str, negated: bool = False) -> FlagUse | None:
        found = None
        for u in self.effective(ctx):
            if u.name == name and u.negated == negated:
                found = u
        return found

    def production(self, ctx) -> bool:
        """In production: its scope is ``production``, or ``unknown`` (nothing says it is a
        test, bench, dev or CI launch); ``wasmlint.scopes``."""
        return ctx.scope_of(self).scope in ("production", "unknown")

    def loads_wasm(self, ctx) -> bool:
        project = ctx.project
        if project is not None and hasattr(project, "launch_loads_wasm"):
            return project.launch_loads_wasm(self)
        return _loads_wasm(ctx)

    def graph_refs(self) -> list:
        from ..graph import Ref
        return [Ref("runs", self.script, self.span)] if self.script and not self.eval else []

    # ------------------------------------------------------------ WL201
    def flag_needs(self, ctx) -> list:
        """The flags this launch lacks, each with its evidence (``needs.py``)."""
        key = ("needs", id(self))
        cache = ctx.__dict__.setdefault("_launch_cache", {})
        if key not in cache:
            from .needs import flag_needs
            cache[key] = flag_needs(self, ctx)
        return cache[key]

    def missing_feature_flags(self, ctx) -> list[dict]:
        from .features import missing_feature_flags
        return missing_feature_flags(self, ctx)

    def fix_insert_feature_flags(self, ctx) -> list[Edit]:
        if self.anchor is None:
            return []
        flags = sorted({need["flag"] for need in self.missing_feature_flags(ctx)})
        return self.anchor.insert(flags, self.anchor_where) if flags else []

    def feature_modules(self, ctx) -> list:
        return [(need["span"], f"{need['module']} needs {need['feature']}") for need in self.missing_feature_flags(ctx)]

    def with_value(self, ctx, flag: str) -> str | None:
        """The policy flag as inserted: a heap size without a value gets 3/4 of the
        unit's memory limit, or 4096 MiB (node's default on 64-bit machines with
        16 GB or more, facts.md §6) when no limit is stated; another flag that
        needs a value and has none is left out of the fix."""
        info = _db(self.major(ctx)).lookup(flag)
        if info is None or info.value_syntax != "=" or info.value is not None:
            return flag
        if info.name == "--max-old-space-size":
            return f"{flag}={self.heap_mib_for_limit or 4096}"
        return None

    @property
    def heap_mib_for_limit(self) -> int | None:
        """The heap bound advised under the stated memory limit: 3/4 of it, leaving
        room for WebAssembly memory and node itself (None without a limit)."""
        return self.memory_limit_bytes // (1 << 20) * 3 // 4 if self.memory_limit_bytes else None

    # ------------------------------------------------------------ WL202
    def heap_flag(self, ctx) -> FlagUse | None:
        cli = [u for u in self.cli_flags(ctx) if u.name == "--max-old-space-size" and u.value]
        env = [u for u in self.env_flags(ctx) if u.name == "--max-old-space-size" and u.value]
        pick = (cli or env or [None])[-1]
        if pick is not None and not pick.value.isdigit():
            return None
        return pick

    def heap_bytes(self, ctx) -> int | None:
        u = self.heap_flag(ctx)
        return int(u.value) << 20 if u else None

    # ------------------------------------------------------------ WL203
    def flags_after_script(self, ctx) -> list[FlagUse]:
        """V8 flags and node's ``--experimental-*``/``--disable-*`` options written
        after the script: node hands them to the script and ignores them."""
        if self.opaque or self.wrapper in ("nodemon",) or self.anchor is None:
            return []
        db = _db(self.major(ctx))
        held = {u.name: u.spelling for u in self.cli_flags(ctx) if u.name}
        out = []
        for a in self.after_args:
            if not a.value.startswith("-") or a.dynamic:
                continue
            u = resolve(db, a.value, a, "after the script")
            if not u.known:
                continue
            if not (u.is_v8 or u.name.startswith(("--experimental-", "--disable-"))):
                continue
            if u.name in held:     # the one before the script is the one node applies: keep it
                u.fix = Proposal(f"Remove `{u.spelling}` after the script: `{held[u.name]}` before it is "
                                 "the one node applies", tuple(a.delete()))
            else:
                u.fix = a.move_to(self.anchor, self.anchor_where)
                held[u.name] = u.spelling
            out.append(u)
        return out

    # ------------------------------------------------------------ WL206 and per-flag rules
    def unknown_flags(self, ctx) -> list[FlagUse]:
        return self._unknown(ctx, self.cli_flags(ctx))

    def flags_named(self, ctx, *names: str) -> list[FlagUse]:
        return [u for u in self.effective(ctx) if u.name in names]

    def jitless_flags(self, ctx) -> list[FlagUse]:
        out = [u for u in self.effective(ctx) if u.name == "--jitless" and not u.negated]
        for u in out:
            u.fix = u.delete()
        return out

    def stack_size_flags(self, ctx) -> list[FlagUse]:
        limit = int(ctx.config.policy.get("os-stack-kb") or 8192)
        out = []
        for u in self.cli_flags(ctx):
            if u.name == "--stack-size" and u.value and u.value.isdigit() and int(u.value) >= limit:
                u.extra["limit"] = limit
                u.fix = (f"lower it well below {limit} KiB (the OS thread stack, `ulimit -s`), "
                         "or raise the stack limit of the process first")
                out.append(u)
        return out

    def ineffective_flags(self, ctx) -> list[FlagUse]:
        major, off = self.major(ctx), self.dynamic_tiering_off(ctx)
        return [u for u in self.cli_flags(ctx) if verdicts.ineffective(major, u.name, u.negated, off)]

    def dynamic_tiering_off(self, ctx) -> bool:
        return self.has_flag(ctx, "--wasm-dynamic-tiering", negated=True) is not None

    def testing_flags(self, ctx) -> list[FlagUse]:
        out = []
        for u in self.cli_flags(ctx):
            detail = verdicts.testing_only(u.name, u.negated)
            if detail is None:
                continue
            u.detail, u.fix = detail, u.delete()
            out.append(u)
        return out

    def limit_related(self, ctx) -> list:
        return [(self.memory_limit_span, f"memory limit {self.memory_limit_what} stated here")] \
            if self.memory_limit_span else []

    def address_space_related(self, ctx) -> list:
        return [(self.address_space_span, f"address-space limit {self.address_space_what} set here")] \
            if self.address_space_span else []

    def heap_advice(self, ctx) -> str:
        return (f"lower `--max-old-space-size` to about {self.heap_mib_for_limit} (3/4 of the limit) or raise the limit, "
                "leaving room for WebAssembly memory, which lives outside the JS heap")

    # ------------------------------------------------------------ WL120
    def process_budget(self, ctx):
        """What this process can hold at its worst against its memory limit
        (``wasmlint.process_budget``), or None."""
        key = ("budget", id(self))
        cache = ctx.__dict__.setdefault("_launch_cache", {})
        if key not in cache:
            from ..process_budget import launch_budget
            cache[key] = launch_budget(self, ctx)
        return cache[key]

    # ------------------------------------------------------------ WL110
    def address_space_unsafe(self, ctx) -> bool:
        if self.address_space_limit_bytes is None or self.opaque:
            return False
        major = self.major(ctx)
        if major > 24:
            return False
        if major == 24:
            minor = version.minor_of(self.version_spec(ctx))
            if minor is None or minor >= 19:
                return False
        return self.has_flag(ctx, "--disable-wasm-trap-handler") is None

    def fix_disable_trap_handler(self, ctx) -> list[Edit]:
        return self.anchor.insert(["--disable-wasm-trap-handler"], self.anchor_where) if self.anchor else []

    @property
    def command_line(self) -> str:
        parts = ["node", *self.options_before_script]
        if self.script:
            parts.append(self.script)
        return " ".join(parts + self.args_after_script)


@dataclass
class DockerRunExport(Fact):
    """``RUN export NAME=…`` whose variable nothing in that RUN uses afterwards."""

    kind: ClassVar[str] = "docker-run-export"
    names: list[str] = field(default_factory=list)
    replacement: str | None = internal()
    replace_span: Span | None = internal()

    def fix_to_env(self, ctx) -> list[Edit] | str:
        if self.replacement is None or self.replace_span is None:
            return "declare the variable with `ENV` (or `ARG` for build-time only) instead"
        return [Edit(self.replace_span, self.replacement)]
