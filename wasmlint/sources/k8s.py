"""Kubernetes manifests (multi-document; Helm templates masked) → launch facts
per container of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or
CronJob: ``command`` + ``args``, ``env``, ``resources.limits.memory`` and the
node version of ``image: node:X``. A container without ``command`` runs its
image's entrypoint, which this file does not show: no launch."""
from __future__ import annotations

import re

from .. import yamlpos
from ..facts import Fact
from ..launch import yamlsurf
from ..launch.build import Unit, memory_limit
from ..scopes.conventions import named_role
from ..launch.version import node_image_tag
from . import SourceFile

_TEMPLATE_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}


def extract(src: SourceFile) -> list[Fact]:
    idx, docs = yamlsurf.load_source(src, templated_ok=True, domain_only=True)
    if idx is None:
        return docs
    facts: list[Fact] = []
    for doc in docs:
        kind = yamlpos.str_of(yamlpos.get(doc, "kind"))
        spec = yamlpos.get(doc, "spec")
        if kind == "CronJob":
            spec = yamlpos.get(yamlpos.get(yamlpos.get(yamlpos.get(spec, "jobTemplate"), "spec"),
                                           "template"), "spec")
        elif kind in _TEMPLATE_KINDS:
            spec = yamlpos.get(yamlpos.get(spec, "template"), "spec")
        elif kind != "Pod":
            continue
        name = yamlpos.str_of(yamlpos.get(yamlpos.get(doc, "metadata"), "name")) or kind
        name = re.sub(r"\$+", "{{…}}", name)
        for key in ("initContainers", "containers"):
            for c in yamlpos.items(yamlpos.get(spec, key)):
                if yamlpos.is_map(c):
                    facts.extend(_container(idx, f"{kind} {name}", c))
    return facts


def _container(idx, owner: str, c) -> list[Fact]:
    cname = re.sub(r"\$+", "{{…}}", yamlpos.str_of(yamlpos.get(c, "name")) or "container")
    unit = Unit(idx, "k8s", name=f"{owner} container {cname}",
                node_version=node_image_tag(yamlpos.str_of(yamlpos.get(c, "image"))),
                role=named_role(f"Kubernetes {owner} container `{cname}`", f"{owner} {cname}"))
    mem = yamlpos.get(yamlpos.get(yamlpos.get(c, "resources"), "limits"), "memory")
    if yamlpos.str_of(mem) and "$" not in mem.value:
        unit.memory_limit = memory_limit(mem.value, idx.span(mem.start_mark.index, mem.end_mark.index),
                                         "`resources.limits.memory`", binary_letters=False)
    env = yamlsurf.env_assigns(unit, yamlpos.get(c, "env"), k8s=True)
    cmd, args = yamlpos.get(c, "command"), yamlpos.get(c, "args")
    if cmd is None:
        return unit.facts
    toks = yamlsurf.command_toks(unit, cmd) + (yamlsurf.command_toks(unit, args) if args is not None else [])
    nodes = [n for n in (cmd, args) if n is not None]
    unit.launch(toks, env, (min(n.start_mark.index for n in nodes), max(n.end_mark.index for n in nodes)))
    return unit.facts
