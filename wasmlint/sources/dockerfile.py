"""Dockerfiles → ``node-launch``, ``node-options``, ``node-version`` and
``docker-run-export`` facts.

Stages are followed from ``FROM``; the final stage is the one that runs, and it
inherits ``ENV`` from an earlier stage it is built ``FROM``. ``ARG`` values
(global ones in ``FROM``) and ``ENV`` expand in later instructions. ``CMD`` and
``ENTRYPOINT`` in exec (JSON array) or shell form are composed as Docker does
(an exec-form ENTRYPOINT receives CMD as arguments); ``RUN`` commands are
build-time launches (`tooling`); the final stage's command is production. ``RUN export X=…`` with nothing after it
in that RUN does not reach later layers (WL213).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from .. import jsonpos
from ..bash import VALUE_LIMIT
from ..budget import ExpansionBudget
from ..facts import Fact
from ..launch import argv
from ..launch.args import JSON_LIST, list_args
from ..launch.build import NODE_OPTIONS_VARS, Unit
from ..launch.dockerparse import Instr, instructions
from ..launch.facts import DockerRunExport
from ..launch.version import NodeVersionFact, major_of, node_image_tag
from ..launch.words import lex
from ..scopes import Scoped
from ..shellparse import Assign
from ..textpos import LineIndex, MappedText, compose, json_escape
from ..toolchain.emver import EmscriptenVersion, image_pin, version_in_image
from ..toolchain.shell_argv import build_facts_in
from . import SourceFile


IMAGE_BUILD = Scoped("tooling", "Dockerfile `RUN`, a step of the image build")


@dataclass
class Stage:
    name: str | None
    image: str
    node_spec: str | None
    from_instr: Instr
    env: dict[str, Assign] = field(default_factory=dict)
    args: dict[str, MappedText | None] = field(default_factory=dict)
    cmd: Instr | None = None
    entrypoint: Instr | None = None
    runs: list[Instr] = field(default_factory=list)
    # the WORKDIR each RUN runs in (None: one computed from a variable), and the COPY/ADD
    # lines with the WORKDIR their relative destination is taken from (``docker_routes``)
    run_dirs: list[str | None] = field(default_factory=list)
    copies: list[tuple[Instr, str | None]] = field(default_factory=list)
    workdir: str | None = "/"


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    idx = LineIndex(text, src.path)
    stages = _stages(idx, instructions(idx), ExpansionBudget(len(idx.text)))
    if not stages:
        return []
    final = stages[-1]
    names = {s.name for s in stages if s.name}
    facts: list[Fact] = [f for st in stages for f in _emscripten_of(idx, st, names)]
    if final.node_spec and major_of(final.node_spec) is not None:
        s = final.from_instr
        facts.append(NodeVersionFact(idx.span(s.start, s.end), spec=final.node_spec, source="dockerfile",
                                     major=major_of(final.node_spec)))
    for st in stages:
        build = Unit(idx, "dockerfile", name=f"stage {st.name or st.image}", node_version=st.node_spec,
                     role=IMAGE_BUILD)
        for a in st.env.values():
            if a.name in NODE_OPTIONS_VARS and st is not final:
                build.node_options(a)
        for run in st.runs:
            facts.extend(_run(idx, build, run, st))
            if not run.is_json():   # emcc / cargo invocations of the build
                made = build_facts_in(run.heredoc or run.args, idx, src, st.env, version_in_image(st.image),
                                      run_files=False)
                base = _root_image(st, stages)
                for f in made if image_pin(base) is None else ():
                    if f.kind == "emcc-setting":
                        f.base_image = base
                facts.extend(made)
        facts.extend(build.facts)
    unit = Unit(idx, "dockerfile", name="final stage", node_version=final.node_spec,
                role=Scoped("production", f"Dockerfile final stage `{'ENTRYPOINT' if final.entrypoint else 'CMD'}`"))
    for a in final.env.values():
        if a.name in NODE_OPTIONS_VARS:
            unit.node_options(a)
    _command(idx, unit, final)
    facts.extend(unit.facts)
    return facts


def _root_image(st: Stage, stages: list[Stage]) -> str:
    """The image a stage starts from, through the earlier stages it is built ``FROM``."""
    return stage_chain(st, stages)[0].image


def stage_chain(st: Stage, stages: list[Stage]) -> list[Stage]:
    """The stage and the earlier stages it is built ``FROM``, first to last."""
    k = next(i for i, s in enumerate(stages) if s is st)
    chain = [st]
    while (j := next((j for j in range(k - 1, -1, -1) if stages[j].name == stages[k].image), None)) is not None:
        chain.insert(0, stages[j])
        k = j
    return chain


EMSCRIPTEN_TOOLS = ("emcc", "em++", "emmake", "emcmake", "emconfigure")


def _emscripten_of(idx: LineIndex, st: Stage, names: set[str]) -> list[Fact]:
    """The Emscripten release a stage builds with: an emsdk image (its tag, LATEST when
    unpinned, a ``${ARG}`` that ``--build-arg`` sets), or "" for a pinned image whose
    release is not in its tag (``dockcross/web-wasm:DATE``, a builder image of fixed tag
    whose ``RUN`` calls emcc/emmake and installs no emsdk). ``names``: the file's stage names."""
    if st.image in names:
        return []           # FROM an earlier stage: that stage's image says it
    raw = next((w for w in st.from_instr.args.value.split() if not w.startswith("--")), "")
    tag = raw.rpartition(":")[2] if ":" in raw.rsplit("/", 1)[-1] else ""
    arg = tag[2:-1] if tag.startswith("${") and tag.endswith("}") else tag[1:] if tag.startswith("$") else None
    pin = image_pin(st.image)
    if pin is None:
        words = [w.rsplit("/", 1)[-1] for r in st.runs for w in r.args.value.split()]
        if not any(w in EMSCRIPTEN_TOOLS for w in words) or any(w.startswith("emsdk") for w in words):
            return []
        if tag in ("", "latest"):
            return []        # an unpinned image of unknown content: no evidence either way
        pin = ""
    span = idx.span(st.from_instr.start, st.from_instr.end)
    return [EmscriptenVersion(span, version=pin, source="image", extra={"arg": arg} if arg else {})]


def wrapper_environment(text: str, path: str) -> tuple[LineIndex, dict] | None:
    """When the final stage runs Emscripten's ``emmake make`` / ``emconfigure`` (``CMD``,
    ``ENTRYPOINT`` or ``RUN``): (the file's index, its ``ENV`` as the environment of that
    make, values processed as Docker does: quotes removed, ``${VAR}`` expanded). Else None."""
    from ..toolchain.emscripten_wrappers import runs_wrapper
    idx = LineIndex(text, path)
    stages = _stages(idx, instructions(idx), ExpansionBudget(len(text)))
    if not stages:
        return None
    final = stages[-1]
    commands = [i for i in (final.cmd, final.entrypoint, *final.runs) if i is not None]
    if not any(runs_wrapper(i.args.value) for i in commands):
        return None
    env = _stage_env(final)
    return idx, {k: v for k, v in env.items() if k in final.env}


def run_scripts(text: str, path: str) -> list[tuple[MappedText, dict[str, MappedText]]]:
    """Each shell-form ``RUN``'s script (the body of ``RUN <<EOF … EOF``) with the variables
    Docker sets in its environment: its stage's ``ARG`` values (the declared defaults, which
    ``--build-arg`` may replace) and ``ENV`` over them (Dockerfile reference: an ``ENV`` of
    the same name wins). ``RUN cmake -DCMAKE_BUILD_TYPE=${BUILD_TYPE}`` after ``ARG
    BUILD_TYPE=Release`` configures a Release build."""
    idx = LineIndex(text, path)
    out = []
    for st in _stages(idx, instructions(idx), ExpansionBudget(len(text))):
        env = _stage_env(st) if st.runs else {}
        out += [(script(run), env) for run in st.runs if not run.is_json()]
    return out


def file_stages(text: str, path: str) -> tuple[LineIndex, list[Stage]]:
    """The file's stages, read as ``extract`` reads them (``docker_routes``)."""
    idx = LineIndex(text, path)
    return idx, _stages(idx, instructions(idx), ExpansionBudget(len(text)))


def script(run: Instr) -> MappedText:
    """What the shell runs: the here-document of ``RUN [--mount=…] <<EOF``; in ``RUN cat
    <<EOF > file`` it is only the input of the command."""
    first = next((w for w in run.args.value.split() if not w.startswith("--")), "")
    return run.heredoc if run.heredoc is not None and first.startswith("<<") else run.args


def _stage_env(st: Stage) -> dict[str, MappedText]:
    """A stage's ARG values and its ENV over them, processed as Docker does (quotes
    removed, ``${VAR}`` expanded)."""
    env: dict[str, MappedText | None] = dict(st.args)
    for name, a in st.env.items():
        words = lex(a.value, env) if a.value is not None else []
        env[name] = _joined(words) if words else a.value
    return {k: v for k, v in env.items() if v is not None}


def _joined(words) -> MappedText:
    """Words of a value joined by single blanks (each word keeps its place in the file)."""
    value, starts, ends = "", [], []
    for k, w in enumerate(words):
        if k:
            value += " "
            starts.append(-1)
            ends.append(-1)
        value += w.text.value
        starts += list(w.text.starts)
        ends += list(w.text.ends)
    return MappedText(value, starts, ends, words[0].start, words[-1].end, False)


class _StageVars:
    """What ``$NAME`` expands to in a stage: its ENV over its ARGs, read in place (a copy
    per instruction made a file of many ENV lines quadratic). Expansions draw on the
    file's budget: past it a variable is unknown, so ``ENV A$i=${A$j}x`` chains stay linear."""

    def __init__(self, st: Stage, budget: ExpansionBudget):
        self.st, self.budget = st, budget

    def get(self, name: str) -> MappedText | None:
        a = self.st.env.get(name)
        value = (None if a.dynamic else a.value) if a is not None else self.st.args.get(name)
        return value if value is None or self.budget.spend(len(value.value)) else None


def _bounded(value: MappedText | None) -> MappedText | None:
    """A value too long to be real (``ENV A=$A$A`` doubling) is unknown."""
    return None if value is not None and len(value.value) > VALUE_LIMIT else value


def _stages(idx: LineIndex, instrs: list[Instr], budget: ExpansionBudget) -> list[Stage]:
    stages: list[Stage] = []
    named: dict[str, Stage] = {}          # the latest stage of each name (FROM name reads it)
    global_args: dict[str, MappedText | None] = {}
    for ins in instrs:
        kw = ins.keyword
        if kw == "FROM":
            words = [w for w in lex(ins.args, global_args) if not w.value.startswith("--")]
            if not words:
                continue
            image = words[0].value
            name = words[2].value if len(words) >= 3 and words[1].value.lower() == "as" else None
            parent = named.get(image)
            spec = parent.node_spec if parent else node_image_tag(image)
            st = Stage(name, image, spec, ins)
            if parent:
                st.env = dict(parent.env)
                st.workdir, st.copies = parent.workdir, list(parent.copies)
            stages.append(st)
            if name:
                named[name] = st
            continue
        if kw == "ARG":
            for w in lex(ins.args, _StageVars(stages[-1], budget) if stages else global_args):
                k, _, v = w.value.partition("=")
                val = w.text.slice(len(k) + 1, len(w.value)) if "=" in w.value else None
                (stages[-1].args if stages else global_args)[k] = _bounded(val)
            continue
        if not stages:
            continue
        st = stages[-1]
        if kw == "ENV":
            _env(ins, st, budget)
        elif kw == "CMD":
            st.cmd = ins
        elif kw == "ENTRYPOINT":
            st.entrypoint, st.cmd = ins, None
        elif kw == "RUN":
            st.runs.append(ins)
            st.run_dirs.append(st.workdir)
        elif kw == "WORKDIR":
            st.workdir = _workdir(st.workdir, ins.args.value.strip())
        elif kw in ("COPY", "ADD"):
            st.copies.append((ins, st.workdir))
    return stages


def _workdir(current: str | None, given: str) -> str | None:
    """The WORKDIR after ``WORKDIR given``: a relative path is taken from the one before
    (Dockerfile reference); one that reads a variable is not known here."""
    if "$" in given or not given or current is None and not given.startswith("/"):
        return None
    return posixpath.normpath(posixpath.join(current or "/", given))


def _env(ins: Instr, st: Stage, budget: ExpansionBudget) -> None:
    words = lex(ins.args, _StageVars(st, budget))
    if len(words) >= 1 and "=" not in words[0].value:
        name = words[0].value  # legacy ``ENV NAME the rest of the line``
        off = ins.args.value.find(name) + len(name)
        value = ins.args.slice(off, len(ins.args.value))
        lead = len(value.value) - len(value.value.lstrip())
        value = value.slice(lead, len(value.value))
        st.env[name] = Assign(name, _bounded(value), words[0].start, value.src_end, exported=True,
                              dynamic=_bounded(value) is None)
        return
    for w in words:
        k, _, _ = w.value.partition("=")
        value = _bounded(w.text.slice(len(k) + 1, len(w.value)))
        st.env[k] = Assign(k, value, w.start, w.end, exported=True, dynamic=w.dynamic or value is None)


def _exec_toks(idx: LineIndex, unit: Unit, ins: Instr) -> list[argv.Tok] | None:
    try:
        node = jsonpos.parse(ins.args.value)
    except jsonpos.JsonPosError:
        return None
    if node.type != "array" or not all(i.type == "string" for i in node.items):
        return None
    texts = [compose(i.text, ins.args) for i in node.items]
    for t in texts:
        t.escape = json_escape
    elems = [(t.value, *ins.args.source_range(i.start, i.end)) for t, i in zip(texts, node.items)]
    args = list_args(idx, elems, JSON_LIST, editable=ins.args.is_exact(0, len(ins.args.value)))
    return [argv.Tok(t, a) for t, a in zip(texts, args)]


def _command(idx: LineIndex, unit: Unit, st: Stage) -> None:
    env = st.env
    ep, cmd = st.entrypoint, st.cmd
    if ep is not None and not ep.is_json():
        unit.run_script(ep.args, env)
        return
    ep_toks = _exec_toks(idx, unit, ep) if ep is not None else []
    if ep_toks is None:
        return
    if cmd is not None and not cmd.is_json():
        if not ep_toks:
            unit.run_script(cmd.args, env)
            return
        cmd_toks = unit.toks(lex(cmd.args))
    else:
        cmd_toks = (_exec_toks(idx, unit, cmd) if cmd is not None else []) or []
    toks = ep_toks + cmd_toks
    if not toks:
        return
    start = (ep or cmd).start
    end = max(i.end for i in (ep, cmd) if i is not None)
    if argv.unwrap(toks).what == "other" and ep_toks and cmd_toks:
        unit.launch(ep_toks, env, (ep.start, ep.end))     # the entrypoint script (an entry-script fact)
        toks, start, end = cmd_toks, cmd.start, cmd.end  # which execs "$@"
    unit.launch(toks, env, (start, end))


def _run(idx: LineIndex, unit: Unit, run: Instr, st: Stage) -> list[Fact]:
    if run.is_json():
        toks = _exec_toks(idx, unit, run)
        if toks:
            unit.launch(toks, st.env, (run.start, run.end))
        return []
    script = run.heredoc or run.args
    parsed = unit.run_script(script, st.env)
    if parsed.error is not None:
        return []
    last_cmd = max((c.start for c in parsed.commands if c.values), default=-1)
    exports = [a for a in parsed.assigns if a.exported and a.start > last_cmd]
    if not exports:
        return []
    replacement = None
    only = not any(c.values for c in parsed.commands) and len(exports) == len(parsed.assigns)
    if only and run.heredoc is None and all(a.value is not None and not a.dynamic for a in exports):
        replacement = "ENV " + " ".join(idx.text[a.start:a.end] for a in exports)
    first = exports[0]
    return [DockerRunExport(idx.span(first.start, first.end), names=[a.name for a in exports],
                            replacement=replacement, replace_span=idx.span(run.start, run.end))]
