"""Turn what a surface found into facts: the one place where words become
``node-launch`` and NODE_OPTIONS settings become ``node-options``.

A surface (package.json, Dockerfile, compose, …) builds a ``Unit`` — the file,
its surface name, what it knows about the unit (node version, memory and
address-space limits, its ``role``: the scope the surface gives its launches,
``wasmlint.scopes``) — and feeds it shell scripts (``run_script``), argument
lists (``launch``) and NODE_OPTIONS assignments (``node_options``). The unit
collects the facts and the words of every command it ran (``commands``).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Callable

from .. import budget, nodeoptions, shellparse
from ..facts import Fact, Span
from ..scopes import Scoped
from ..scopes.hint import ScopeHint
from ..shellparse import Assign, Word
from ..textpos import LineIndex, MappedText
from ..units import parse_size
from . import argv
from .args import Arg, escape_name, word_arg, word_args
from .facts import EntryScript, NodeLaunch, NodeOptionsFact
from .go_exec import exec_program

MAX_DEPTH = 8
NODE_OPTIONS_VARS = ("NODE_OPTIONS",)
@dataclass
class Limit:
    bytes: int
    span: Span
    what: str
    cgroup: bool = True     # enforced by the kernel (node can read it); False: a PM2 restart threshold


@dataclass
class Unit:
    idx: LineIndex
    surface: str
    name: str = ""
    node_version: str | None = None
    memory_limit: Limit | None = None
    address_space: Limit | None = None
    role: Scoped | None = None
    reader: object = None        # bash.Reader: the project files its shell text sources or runs
    folder: str = ""             # where its commands start, when not its file's folder: scripts it names are there
    root: object = None          # bash.Loaded: the file it is, when it is a script
    facts: list[Fact] = field(default_factory=list)
    commands: list[list[str]] = field(default_factory=list)
    _options: dict = field(default_factory=dict)

    @property
    def path(self) -> str:
        return self.idx.path

    def settle(self, role: Scoped | None) -> None:
        """Give the unit's launches the role decided after its commands were read."""
        self.role = role
        for f in self.facts:
            if isinstance(f, (NodeLaunch, EntryScript)) or getattr(f, "launched", False):
                f.role = role

    def hint(self, start: int, end: int) -> ScopeHint | None:
        """The unit's role as a ``scope-hint`` over the file's ``start``–``end``."""
        if self.role is None:
            return None
        return ScopeHint(self.idx.span(start, end), scope=self.role.scope, reason=self.role.reason, name=self.name)

    def at(self, idx: LineIndex | None) -> "Unit":
        """This unit for text written in another file (a sourced or run script)."""
        return self if idx is None or idx is self.idx else replace(self, idx=idx)

    # ------------------------------------------------------------ toks
    def toks(self, words: list[Word], escape: str | None = None) -> list[argv.Tok]:
        if not words:
            return []
        lists: list = []       # what ``word_arg`` reads of every word, made when a first Arg is

        def arg(k: int) -> Arg:
            w = words[k]
            if w.idx is not None and w.idx is not self.idx:     # written in another file: shown there, never edited
                return Arg(w.value, w.idx.span(w.start, w.end), dynamic=w.dynamic, splat=w.splat,
                           raw=w.idx.text[w.start:w.end])
            if not lists:
                lists.extend(([w.text for w in words], [(w.start, w.end) for w in words], [w.dynamic for w in words],
                              [w.splat for w in words], escape or escape_name(words[0].text.escape),
                              [w.placed for w in words]))
            texts, ranges, dynamic, splat, esc, placed = lists
            return word_arg(self.idx, texts, ranges, k, dynamic, splat, esc, placed)
        return [argv.LazyTok(w.text, partial(arg, k), w.dynamic) for k, w in enumerate(words)]

    def _env_s(self, tok: argv.Tok) -> list[argv.Tok]:
        return self.toks(shellparse.split_words(tok.text))

    # ------------------------------------------------------------ NODE_OPTIONS
    def node_options(self, assign: Assign, variable: str = "NODE_OPTIONS") -> NodeOptionsFact | None:
        if getattr(assign, "idx", None) not in (None, self.idx):
            return self.at(assign.idx).node_options(assign, variable)
        key = (self.idx.path, assign.start, assign.end)
        if key in self._options:
            return self._options[key]
        if assign.value is None:
            self._options[key] = None
            return None
        value = assign.value
        tokens, error = nodeoptions.split(value)
        budget.charge(1 + len(tokens), "NODE_OPTIONS settings and their words")
        args = word_args(self.idx, tokens, escape=escape_name(value.escape)) if tokens else []
        s, e = (value.src_start, value.src_end) if value.exact else (assign.start, assign.end)
        fact = NodeOptionsFact(self.idx.span(s, e), surface=self.surface, variable=variable,
                               value=value.value, flags=[a.value for a in args], error=error,
                               node_version=self.node_version, unit=self.name, tokens=args)
        self._options[key] = fact
        self.facts.append(fact)
        return fact

    # ------------------------------------------------------------ scripts
    def run_script(self, script: MappedText, env: dict[str, Assign] | None = None,
                   on_command: Callable[[shellparse.Command], bool] | None = None,
                   depth: int = 0) -> shellparse.Script:
        """Every command of a shell script; ``on_command`` may claim a command
        (package.json's ``npm run x``) by returning True."""
        parsed = shellparse.parse(script, env, self.reader, self.root if depth == 0 else None, self.idx)
        for a in parsed.assigns_of(NODE_OPTIONS_VARS):
            self.node_options(a)
        limit = self.address_space
        for cmd in parsed.commands:
            unit = self.at(cmd.idx)
            if cmd.values and not cmd.in_substitution:
                self.commands.append(cmd.values)
            for a in cmd.prefix:
                if a.name in NODE_OPTIONS_VARS:
                    unit.node_options(a)
            if cmd.values and cmd.values[0] == "ulimit":
                limit = _ulimit(unit.idx, cmd, limit)
                continue
            if on_command is not None and on_command(cmd):
                continue
            if cmd.head is not None and may_act(*cmd.head):
                unit.launch(unit.toks(cmd.words), cmd.env, (cmd.start, cmd.end), depth=depth, address_space=limit)
        return parsed

    # ------------------------------------------------------------ launches
    def launch(self, toks: list[argv.Tok], env: dict[str, Assign] | None = None,
               rng: tuple[int, int] | None = None, depth: int = 0,
               address_space: Limit | None = None, script_override: str | None = None,
               anchor: tuple[Arg, str] | None = None) -> NodeLaunch | None:
        if not toks or depth > MAX_DEPTH:
            return None
        env = env if env is not None else {}
        un = argv.unwrap(toks, self._env_s)
        if un.env:
            env = dict(env)       # a command's environment is read, not copied, unless it adds to it
        for e in un.env:
            a = Assign(e.name, e.value, *_range(self.idx, e.tok.arg.span), exported=True)
            env[e.name] = a
            if e.name in NODE_OPTIONS_VARS:
                self.node_options(a)
        if un.what == "shell" and un.shell_script is not None:
            self.run_script(un.shell_script.text, env, depth=depth + 1)
            return None
        if un.what != "node":
            whole = rng or (_range(self.idx, toks[0].arg.span)[0], _range(self.idx, toks[-1].arg.span)[1])
            if un.toks and not un.toks[0].dynamic and argv.basename(un.toks[0].value) == "wasmtime":
                self._wasmtime(un.toks, whole)
            self._entry_script(un.toks, env, whole)
            return None
        budget.charge(1 + len(un.toks), "node launches and their words")
        if un.as_limit is not None:
            n, opt = un.as_limit
            address_space = Limit(n, opt.arg.span, f"`{opt.value}`")
        from ..nodeflags import FlagDB, resolve_major
        db = FlagDB.for_major(resolve_major(self.node_version)[0])
        sp = argv.split(un.toks, db, un.wrapper)
        if rng is None:
            rng = (_range(self.idx, toks[0].arg.span)[0], _range(self.idx, toks[-1].arg.span)[1])
        opts_env = [f for f in (self.node_options(env[v]) for v in NODE_OPTIONS_VARS if v in env) if f]
        launch = NodeLaunch(
            self.idx.span(*rng), surface=self.surface, unit=self.name, node_version=self.node_version,
            options_before_script=[w for o in sp.options for w in
                                   ([o.tok.value] + ([o.value.value] if o.value else []))],
            script=script_override or (None if sp.script is None else sp.script.value if sp.script.dynamic
                                       else self.in_folder(sp.script.value)),
            args_after_script=[t.value for t in sp.after],
            node_options=[{"flag": t.value, "from": f"{f.span.path}:{f.span.line}"}
                          for f in opts_env for t in f.tokens],
            memory_limit_bytes=self.memory_limit.bytes if self.memory_limit else None,
            address_space_limit_bytes=address_space.bytes if address_space else None,
            eval=sp.eval_code is not None, wrapper=un.wrapper, role=self.role,
            opaque=sp.opaque, node_arg=sp.node.arg,
            opt_args=[o.tok.arg for o in sp.options],
            opt_values=[o.value.arg if o.value else None for o in sp.options],
            after_args=[t.arg for t in sp.after], env_options=opts_env,
            memory_limit_span=self.memory_limit.span if self.memory_limit else None,
            memory_limit_what=self.memory_limit.what if self.memory_limit else "",
            memory_limit_cgroup=self.memory_limit.cgroup if self.memory_limit else True,
            address_space_span=address_space.span if address_space else None,
            address_space_what=address_space.what if address_space else "")
        launch.anchor, launch.anchor_where = anchor or _anchor(sp)
        if script_override:
            launch.script = script_override
        for f in opts_env:
            if f.launch_anchor is None and launch.anchor is not None:
                f.launch_anchor, f.launch_where = launch.anchor, launch.anchor_where
                f.launch_line = launch.command_line
                f.launch_options = list(launch.options_before_script)
        self.facts.append(launch)
        return launch


    def _wasmtime(self, toks: list[argv.Tok], rng: tuple[int, int]) -> None:
        """``wasmtime run|serve … app.wasm``: a deployment of that module on wasmtime, with
        the memory ``-W max-memory-size=N`` lets one linear memory reach."""
        from ..deployment import Deployment
        from .wasmtime_cli import parse
        run = parse(toks)
        if run is None:
            return
        memory = {}
        if run.max_memory:
            memory = {"memory_bytes": run.max_memory, "memory_setting": f"-W {run.max_memory_text}",
                      "memory_span": run.max_memory_tok.arg.span}
        where = f"{self.surface} {self.name}".strip() if self.name else self.surface
        self.facts.append(Deployment(self.idx.span(*rng), platform="wasmtime",
                                     via=f"`wasmtime {run.subcommand}` ({where})", entries=[run.module.value],
                                     launched=True, role=self.role, **memory))

    def _entry_script(self, toks: list[argv.Tok], env: dict[str, Assign], rng: tuple[int, int]) -> None:
        """A command that runs a script file (``./start.sh``, ``sh docker-entrypoint.sh``, the
        ``go_js_wasm_exec`` that ``go test`` finds on PATH): an ``entry-script`` fact, so the
        launches inside the script take this unit's scope."""
        if not toks or any(t.dynamic for t in toks[:2]):
            return
        words = [t.value for t in toks]
        if argv.basename(words[0]) == "go":
            script = exec_program(words, env)
        elif argv.basename(words[0]) in argv.SHELLS:
            script = next((w for w in words[1:] if not w.startswith("-")), None)
        elif words[0].endswith(_SCRIPT_SUFFIXES) or "/" in words[0] and not words[0].startswith("/"):
            script = words[0]      # ./start.sh, bin/serve, /docker-entrypoint.sh (not /usr/bin/python3)
        else:
            script = None
        if script and "node_modules/" not in script:
            self.facts.append(EntryScript(self.idx.span(*rng), surface=self.surface, unit=self.name,
                                          script=self.in_folder(script), role=self.role))

    def in_folder(self, path: str) -> str:
        """A relative path a command names, from the folder the unit's commands start in."""
        if not self.folder or path.startswith("/"):
            return path
        return posixpath.normpath(posixpath.join(self.folder, path))


def may_act(first: str, dynamic: bool) -> bool:
    """Whether ``Unit.launch`` can find anything in a command whose first word is ``first``:
    node (or a variable naming it), a launcher ``argv.unwrap`` looks through or a shell it
    reads, wasmtime (``_wasmtime``), or a script or ``go`` (``_entry_script``). Any other
    command is "other" at its first word, and its words need not be mapped to the file."""
    if dynamic:
        return argv.names_node_text(first)
    return argv.basename(first) in _ACTS_ON or first.endswith(_SCRIPT_SUFFIXES) or "/" in first


_ACTS_ON = argv.LEADS | {"wasmtime", "go"}
_SCRIPT_SUFFIXES = (".sh", ".bash")


def _anchor(sp: argv.Split) -> tuple[Arg, str]:
    """Where new node options go: before the script (or the first option of an
    ``-e`` launch), else after the last option, else after ``node``."""
    if sp.script is not None:
        return (sp.end_of_options.arg if sp.end_of_options else sp.script.arg), "before"
    if sp.eval_code is not None and sp.options:
        return sp.options[0].tok.arg, "before"
    if sp.options:
        last = sp.options[-1]
        return (last.value or last.tok).arg, "after"
    return sp.node.arg, "after"


def _range(idx: LineIndex, span: Span) -> tuple[int, int]:
    return idx.offset(span.line, span.column), idx.offset(span.end_line or span.line,
                                                          span.end_column or span.column)


def _ulimit(idx: LineIndex, cmd: shellparse.Command, current: Limit | None) -> Limit | None:
    """``ulimit -v N`` / ``-d N`` (KiB; ``-Sv``, ``-Hv`` too); ``unlimited`` lifts it."""
    words = cmd.words[1:]
    for k, w in enumerate(words):
        v = w.value
        if not v.startswith("-") or not any(c in v for c in "vd") or k + 1 >= len(words):
            continue
        n = words[k + 1].value
        if n == "unlimited":
            return None
        if n.isdigit():
            which = "-v" if "v" in v else "-d"
            return Limit(int(n) * 1024, idx.span(cmd.start, cmd.end), f"`ulimit {which} {n}`")
    return current


def memory_limit(text: str | None, span: Span, what: str, binary_letters: bool = True,
                 cgroup: bool = True) -> Limit | None:
    if text is None:
        return None
    n = parse_size(str(text).strip(), binary_letters=binary_letters)
    return Limit(n, span, what, cgroup) if n else None
