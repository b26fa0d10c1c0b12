"""GitHub Actions workflows → launch facts from ``run:`` blocks (tree-sitter-bash,
``${{ … }}`` expressions read as unknown values), ``node-options`` facts from
``env:`` at workflow, job and step level (the nearest wins), and ``node-version``
facts from ``actions/setup-node`` (which decides the node of the job's later
steps). A ``node-version: ${{ matrix.<key> }}`` runs the job once per value of the job's
``strategy.matrix.<key>`` list (and its ``include`` entries): a launch must start on
every one, so the lowest major stands for the job. Each job is a ``scope-hint`` for what
is in it: ``test`` when it runs a test runner, ``production`` when it publishes or
deploys, ``tooling`` when it takes what it builds out of the runner (an upload, a push), else
``test``: a job that keeps nothing it builds is a check, its output gone with the runner.
The emsdk container of a job that builds through the project's scripts (no link of its own)
is an ``emscripten-version`` fact: a build environment of the project."""
from __future__ import annotations

import os
import posixpath
import re
from dataclasses import replace

from .. import yamlpos
from ..facts import Fact
from ..launch import yamlsurf
from ..launch.build import Unit
from ..launch.version import NodeVersionFact, major_of
from ..scopes import Scoped
from ..shellparse import Assign
from ..scopes.commands import unit_scope
from ..shellfiles import project_reader
from ..textpos import LineIndex, MappedText, replace_delimited
from ..toolchain.emver import EmscriptenVersion, image_pin, parse_version
from ..toolchain.shell_argv import build_facts_in
from . import SourceFile

RELEASE_WORDS = ("release", "deploy", "publish")
DEPLOY_ACTIONS = ("actions/deploy-pages", "peaceiris/actions-gh-pages", "JamesIves/github-pages-deploy-action",
                  "softprops/action-gh-release", "ncipollo/release-action", "cloudflare/wrangler-action",
                  "FirebaseExtended/action-hosting-deploy", "JS-DevTools/npm-publish", "nwtgck/actions-netlify")
_MATRIX_REF = re.compile(r"\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}")


def extract(src: SourceFile) -> list[Fact]:
    idx, docs = yamlsurf.load_source(src, domain_only=True)
    if idx is None:
        return docs
    facts: list[Fact] = []
    for doc in docs:
        top = Unit(idx, "github-workflow", name="workflow", role=Scoped("tooling", "a CI workflow"))
        wf_env = yamlsurf.env_assigns(top, yamlpos.get(doc, "env"))
        facts.extend(top.facts)
        for jk, job in yamlpos.pairs(yamlpos.get(doc, "jobs")):
            facts.extend(_job(idx, str(jk.value), job, wf_env, src, doc))
    return facts


def _job(idx: LineIndex, name: str, job, wf_env, src: SourceFile, doc) -> list[Fact]:
    unit = Unit(idx, "github-workflow", name=f"job {name}", reader=project_reader(src))
    env = {**wf_env, **yamlsurf.env_assigns(unit, yamlpos.get(job, "env"))}
    facts: list[Fact] = []
    deploys = None
    container = _container_release(idx, job)
    checkout = checkout_path(job)
    emsdk = next((f.version for f in container if parse_version(f.version)), None)
    for step in yamlpos.items(yamlpos.get(job, "steps")):
        uses = yamlpos.str_of(yamlpos.get(step, "uses")) or ""
        if uses.startswith(DEPLOY_ACTIONS):
            deploys = deploys or Scoped("production", f"CI job `{name}` uses `{uses.split('@')[0]}`")
        if uses.startswith(("mymindstorm/setup-emsdk", "emscripten-core/setup-emsdk")):
            v = yamlpos.get(yamlpos.get(step, "with"), "version")
            if yamlpos.str_of(v):
                emsdk = yamlpos.str_of(v)
                facts.append(EmscriptenVersion(idx.span(v.start_mark.index, v.end_mark.index),
                                               version=emsdk, source="setup-emsdk"))
        if uses.startswith("actions/setup-node"):
            v = yamlpos.get(yamlpos.get(step, "with"), "node-version")
            if yamlpos.str_of(v) and "${{" in yamlpos.str_of(v):
                v = _lowest_matrix_value(job, yamlpos.str_of(v))
            spec = yamlpos.str_of(v)
            if spec and "${{" not in spec:
                unit.node_version = spec
                facts.append(NodeVersionFact(idx.span(v.start_mark.index, v.end_mark.index), spec=spec,
                                             source="setup-node", major=major_of(spec)))
        step_env = {**env, **yamlsurf.env_assigns(unit, yamlpos.get(step, "env"))}
        run = yamlsurf.scalar(idx, yamlpos.get(step, "run"))
        if run is not None:
            run = in_checkout(run, checkout)
            folder = working_directory(doc, job, step, checkout)
            start = _checkout_folder(src, folder)
            runner = unit if start is None else replace(unit, folder=folder, reader=project_reader(src, start))
            runner.run_script(_mask(run), step_env)
            masked, known = _mask_matrix(idx, job, run)
            facts.extend(build_facts_in(masked, idx, src, {**step_env, **known}, emsdk, start=start))
    if not any(f.kind == "emcc-invocation" for f in facts):
        facts += container      # the job builds through the project's own build files and scripts
    label = f"CI job `{name}`"
    scope = deploys or unit_scope(label, name, unit.commands, RELEASE_WORDS) or Scoped("tooling", label)
    if scope.scope == "tooling" and not _keeps_output(job):
        scope = Scoped("test", f"{label} keeps nothing it builds (no upload, publish or deploy step): a check")
    unit.settle(scope)
    hint = unit.hint(job.start_mark.index, job.end_mark.index)
    return facts + unit.facts + ([hint] if hint else [])


def _container_release(idx: LineIndex, job) -> list[Fact]:
    """The release of the emsdk container a job runs in (``container: emscripten/emsdk:2.0.25``,
    or its ``image:``). The links its own ``run:`` steps make are built with it; a job that
    makes none builds through the project's build files and scripts (``bin/compile.py``
    running each tool's ``compile.sh``, ``make web``), so the image is one of the project's
    build environments, as a Dockerfile's ``FROM`` is. A job that links by itself says nothing
    of the project's other builds (a developer's ``make web`` uses their own emsdk). A tag
    taken from an expression (``${{ matrix.image }}``) names none."""
    node = yamlpos.get(job, "container")
    if yamlpos.str_of(node) is None:
        node = yamlpos.get(node, "image")
    ref = yamlpos.str_of(node)
    pin = image_pin(ref) if ref and "${{" not in ref else None
    if pin is None:
        return []
    return [EmscriptenVersion(idx.span(node.start_mark.index, node.end_mark.index), version=pin,
                              source="image")]


def working_directory(doc, job, step, checkout: str | None = None) -> str | None:
    """The folder of the checkout a ``run:`` step starts in: its ``working-directory``, else
    the job's ``defaults.run.working-directory``, else the workflow's (GitHub's order);
    None when an expression or an absolute path decides it. A working directory inside the
    folder the job checks the repository out to (``checkout``) is that folder's."""
    for node in (step, yamlpos.get(yamlpos.get(job, "defaults"), "run"),
                 yamlpos.get(yamlpos.get(doc, "defaults"), "run")):
        where = yamlpos.get(node, "working-directory")
        if where is not None:
            text = yamlpos.str_of(where) or ""
            if checkout and (text == checkout or text.startswith(checkout + "/")):
                text = text[len(checkout):].lstrip("/") or "."
            if "${{" in text or text.startswith("/") or not text.strip():
                return None
            return posixpath.normpath(text.strip())
    return "."


def checkout_path(job) -> str | None:
    """The folder of the workspace a job checks this repository out to (``actions/checkout``
    with ``path:``, as written: ``${{ env.PROJECT_NAME }}``); None when it is the workspace
    itself. A checkout of another ``repository:`` is not this one."""
    for step in yamlpos.items(yamlpos.get(job, "steps")):
        if not (yamlpos.str_of(yamlpos.get(step, "uses")) or "").startswith("actions/checkout@"):
            continue
        given = yamlpos.get(step, "with")
        repo = (yamlpos.str_of(yamlpos.get(given, "repository")) or "").replace(" ", "")
        if repo not in ("", "${{github.repository}}"):
            continue
        path = (yamlpos.str_of(yamlpos.get(given, "path")) or "").strip().rstrip("/")
        path = re.sub(r"^(\$\{\{\s*github\.workspace\s*\}\}|\$GITHUB_WORKSPACE|\.)/", "", path)
        return None if path in ("", ".") or path.startswith("/") or ".." in path.split("/") else path
    return None


_WORD_START = " \t\n\"'=(;&|"


def in_checkout(run: MappedText, checkout: str | None) -> MappedText:
    """A step starts in the workspace, where the repository is the folder ``checkout``
    (``checkout_path``): ``cd ${{ env.PROJECT_NAME }}/src`` goes to the repository's
    ``src``. Each word that starts with ``checkout/`` starts instead with ``././…/`` of the
    same length, so the shell reads a folder of the repository and positions stay the source's."""
    if not checkout:
        return run
    prefix, value, at = checkout + "/", run.value, 0
    dots = "./" * (len(prefix) // 2) + "/" * (len(prefix) % 2)
    while (at := value.find(prefix, at)) >= 0:
        if at == 0 or value[at - 1] in _WORD_START:
            value = value[:at] + dots + value[at + len(prefix):]
        at += len(prefix)
    return replace(run, value=value) if value != run.value else run


def _checkout_folder(src: SourceFile, folder: str | None) -> str | None:
    """The absolute folder ``folder`` names in the checkout holding ``.github/workflows/``
    (None: the checkout's root, where a step starts by default, or not known)."""
    parts = src.path.split("/")
    if folder in (None, ".") or not src.abspath or parts[-3:-1] != [".github", "workflows"]:
        return None
    checkout = os.path.dirname(os.path.dirname(os.path.dirname(src.abspath)))
    return os.path.normpath(os.path.join(checkout, folder))


# what takes a build out of the runner, which is thrown away when the job ends
_OUT_ACTION = re.compile(r"upload|deploy|publish|release|pages|push", re.I)
_OUT_STEP_NAME = re.compile(r"\b(upload|deploy|publish|release|push)", re.I)
_OUT_COMMAND = re.compile(r"\b(upload|publish|deploy|push|rsync|scp|s3|gsutil|azcopy|rclone|twine|vercel|surge|"
                          r"release (create|upload))\b")


def _keeps_output(job) -> bool:
    """Whether a step of the job takes something out of the runner: an upload, publish or
    deploy action (``actions/upload-artifact``, ``s0/git-publish-subdir-action``), a step
    named so, or a command that uploads, publishes, pushes or copies away."""
    for step in yamlpos.items(yamlpos.get(job, "steps")):
        uses = (yamlpos.str_of(yamlpos.get(step, "uses")) or "").split("@", 1)[0]
        if _OUT_ACTION.search(uses) or _OUT_STEP_NAME.search(yamlpos.str_of(yamlpos.get(step, "name")) or ""):
            return True
        if _OUT_COMMAND.search(yamlpos.str_of(yamlpos.get(step, "run")) or ""):
            return True
    return False


def _lowest_matrix_value(job, expr: str):
    """The matrix value node with the lowest node major that ``${{ matrix.KEY }}`` takes in
    this job, or None (not a matrix reference, or a matrix computed at run time)."""
    m = _MATRIX_REF.fullmatch(expr.strip())
    if m is None:
        return None
    matrix = yamlpos.get(yamlpos.get(job, "strategy"), "matrix")
    values = yamlpos.items(yamlpos.get(matrix, m.group(1)))
    values += [yamlpos.get(inc, m.group(1)) for inc in yamlpos.items(yamlpos.get(matrix, "include"))]
    known = [(major_of(str(yamlpos.str_of(v))), k, v) for k, v in enumerate(values) if yamlpos.str_of(v)]
    known = [x for x in known if x[0] is not None]
    return min(known, key=lambda x: x[:2])[2] if known else None


def _mask_matrix(idx: LineIndex, job, run: MappedText) -> tuple[MappedText, dict]:
    """``_mask``, but a ``${{ matrix.KEY }}`` whose key takes one value in this job (a
    one-item list, no ``include`` naming it) is that value: the runner puts it in the
    script's text before the shell runs. It becomes a shell variable of the same length
    (``$_M0______``) bound to the value, so positions stay those of the source."""
    known: dict[str, Assign] = {}
    matrix = yamlpos.get(yamlpos.get(job, "strategy"), "matrix")

    def repl(expr: str) -> str:
        m = _MATRIX_REF.fullmatch(expr)
        values = yamlpos.items(yamlpos.get(matrix, m.group(1))) if m else []
        included = m is not None and any(yamlpos.get(inc, m.group(1)) is not None
                                         for inc in yamlpos.items(yamlpos.get(matrix, "include")))
        name = f"_M{len(known)}_"
        text = yamlsurf.scalar(idx, values[0]) if len(values) == 1 and not included else None
        if text is None or len(name) > len(expr) - 1:
            return "$" + "_" * (len(expr) - 1)
        name = name.ljust(len(expr) - 1, "_")
        known[name] = Assign(name, text, values[0].start_mark.index, values[0].end_mark.index, exported=True)
        return "$" + name

    value = replace_delimited(run.value, "${{", "}}", repl)
    return MappedText(value, run.starts, run.ends, run.src_start, run.src_end, run.exact, run.escape), known


def _mask(run: MappedText) -> MappedText:
    """``${{ expr }}`` → ``$_____`` of the same length: an unknown variable to the shell."""
    value = replace_delimited(run.value, "${{", "}}", lambda expr: "$" + "_" * (len(expr) - 1))
    return MappedText(value, run.starts, run.ends, run.src_start, run.src_end, run.exact, run.escape)
