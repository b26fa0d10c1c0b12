"""``nodemon.json`` (and ``nodemonConfig`` in package.json, through
``from_config``) → launch facts for ``exec`` and ``execMap.js`` and NODE_OPTIONS
in ``env``. nodemon is a development watcher: its launches are `tooling`."""
from __future__ import annotations

from .. import jsonpos
from ..facts import Fact
from ..launch.build import NODE_OPTIONS_VARS, Unit
from ..scopes import Scoped
from ..shellparse import Assign
from ..textpos import LineIndex
from . import SourceFile, load_json


def extract(src: SourceFile) -> list[Fact]:
    idx, root = load_json(src)
    return root if idx is None else from_config(idx, root)


def from_config(idx: LineIndex, cfg: jsonpos.JNode) -> list[Fact]:
    if cfg.type != "object":
        return []
    unit = Unit(idx, "nodemon", name="nodemon", role=Scoped("tooling", "nodemon, a development watcher"))
    env: dict[str, Assign] = {}
    env_node = cfg.get("env")
    for k, v in (env_node.pairs if env_node is not None and env_node.type == "object" else []):
        if v.type == "string":
            env[k.value] = Assign(k.value, v.text, k.start, v.end, exported=True)
            if k.value in NODE_OPTIONS_VARS:
                unit.node_options(env[k.value])
    commands = [cfg.get("exec")]
    exec_map = cfg.get("execMap")
    if exec_map is not None and exec_map.type == "object":
        commands += [v for k, v in exec_map.pairs if k.value in ("js", "mjs", "cjs")]
    for c in commands:
        if c is not None and c.type == "string":
            unit.run_script(c.text, env)
    return unit.facts
