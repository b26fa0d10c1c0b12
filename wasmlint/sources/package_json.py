"""package.json → launch facts from ``scripts`` (JSON-decoded, then shell-parsed
with exact spans), ``node-version`` facts from ``engines.node`` and
``volta.node``, and nodemon's ``nodemonConfig``.

``npm run x`` (``npm start``, ``yarn x``, ``pnpm run x``, …) is followed into
script ``x`` with the caller's environment, so ``NODE_OPTIONS=… npm run serve``
reaches the node launch inside ``serve``.
"""
from __future__ import annotations

from .. import jsonpos
from ..facts import Fact
from ..launch.build import NODE_OPTIONS_VARS, Unit, is_production
from ..launch.version import NodeVersionFact, major_of
from ..shellparse import Assign, Command
from ..textpos import LineIndex
from ..toolchain.shell_argv import build_facts_in
from . import SourceFile, load_json
from .nodemon import from_config

_NPM_LIFECYCLE = {"start", "test", "stop", "restart"}
_RUNNERS = {"npm", "yarn", "pnpm", "bun"}
MAX_INDIRECTION = 8


def extract(src: SourceFile) -> list[Fact]:
    idx, root = load_json(src)
    if idx is None:
        return root
    if root.type != "object":
        return []
    facts: list[Fact] = []
    for key, sub, source in (("engines", "node", "engines"), ("volta", "node", "volta")):
        parent = root.get(key)
        node = parent.get(sub) if parent is not None and parent.type == "object" else None
        if node is not None and node.type == "string":
            facts.append(NodeVersionFact(idx.span(node.start, node.end), spec=node.value, source=source,
                                         major=major_of(node.value)))
    scripts = root.get("scripts")
    if scripts is not None and scripts.type == "object":
        table = {k.value: v for k, v in scripts.pairs if v.type == "string"}
        for name, value in table.items():
            unit = Unit(idx, "package.json", name=f"script {name}", production=is_production(name))
            _run(unit, table, name, value, None, 0)
            facts.extend(unit.facts)
            facts.extend(build_facts_in(value.text, idx, src))
    nodemon = root.get("nodemonConfig")
    if nodemon is not None:
        facts.extend(from_config(idx, nodemon))
    return facts


def _run(unit: Unit, table: dict, name: str, value: jsonpos.JNode, env, depth: int) -> None:
    def follow(cmd: Command) -> bool:
        words, extra = _env_prefix(unit, cmd)
        target = _target(words)
        if target is None:
            return False
        if target in table and depth < MAX_INDIRECTION and target != name:
            _run(unit, table, target, table[target], {**cmd.env, **extra}, depth + 1)
        return True

    unit.run_script(value.text, env, on_command=follow)


def _env_prefix(unit: Unit, cmd: Command) -> tuple[list[str], dict[str, Assign]]:
    """Words after ``cross-env A=1``/``env A=1``, and those assignments."""
    extra: dict[str, Assign] = {}
    i = 0
    while i < len(cmd.words):
        w = cmd.words[i]
        k, eq, _ = w.value.partition("=")
        if w.value in ("cross-env", "cross-env-shell", "env"):
            i += 1
            continue
        if not eq or not k.isidentifier():
            break
        extra[k] = Assign(k, w.text.slice(len(k) + 1, len(w.value)), w.start, w.end, exported=True)
        if k in NODE_OPTIONS_VARS:
            unit.node_options(extra[k])
        i += 1
    return [w.value for w in cmd.words[i:]], extra


def _target(words: list[str]) -> str | None:
    """The script ``npm run x`` / ``yarn x`` / ``npm start`` runs, or None."""
    if not words or words[0] not in _RUNNERS:
        return None
    rest = [w for w in words[1:] if not w.startswith("-")]
    if not rest:
        return None
    if rest[0] in ("run", "run-script") and len(rest) > 1:
        return rest[1]
    if rest[0] in _NPM_LIFECYCLE:
        return rest[0]
    if words[0] != "npm" and rest[0] not in ("install", "add", "exec", "dlx", "x", "ci", "build"):
        return rest[0]
    return None
