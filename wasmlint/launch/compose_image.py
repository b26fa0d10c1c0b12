"""A compose service whose image the project builds (``build: .`` or ``build: {context,
dockerfile}``) runs that Dockerfile's final stage: its ``ENV`` and its ``CMD``/``ENTRYPOINT``
(unless the service gives ``command``/``entrypoint``; its ``command`` then runs with the
image's ``ENV``), inside the service's memory limit and with the service's ``environment``
over the image's ``ENV``. An image ``ENTRYPOINT`` that a service ``command`` feeds is not
composed.

The compose source records the service (``ServiceImage``); the project settles it
(``settle``, called by ``link.py``): each final-stage launch of that Dockerfile becomes the
launch of every service that runs it, with the service's limit, so WL202 compares the
heap the Dockerfile sets with the service's ``mem_limit`` and WL201 checks node's default
heap against it. A Kubernetes container's ``image`` names a registry tag, which no file of
the project ties to a Dockerfile: it is not linked.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from ..facts import Fact, Span, internal
from .facts import NodeLaunch, NodeOptionsFact
from .version import NodeVersionFact


@dataclass
class ServiceImage(Fact):
    """A compose service built from a Dockerfile of the project."""

    kind: ClassVar[str] = "compose-build"
    service: str = ""
    dockerfile: str = ""                 # project path of the Dockerfile
    runs_image_command: bool = True      # no `command`/`entrypoint`: the image's CMD runs
    role: Any = internal()               # the service's scope (wasmlint.scopes.Scoped), for its launch
    memory_limit_bytes: int | None = None
    memory_limit_span: Span | None = internal()
    memory_limit_what: str = internal("")
    node_options: NodeOptionsFact | None = internal()   # the service's own NODE_OPTIONS

    def run(self, launch: NodeLaunch) -> NodeLaunch:
        """The Dockerfile's final-stage launch as this service runs it."""
        env = {}
        if self.node_options is not None:
            env = {"env_options": [self.node_options], "node_options": _listed(self.node_options)}
        return replace(launch, unit=f"service {self.service}", role=self.role or launch.role,
                       memory_limit_bytes=self.memory_limit_bytes, memory_limit_span=self.memory_limit_span,
                       memory_limit_what=self.memory_limit_what, memory_limit_cgroup=True, **env)


def _under_image(launch: NodeLaunch, dockerfile: str, image_env: dict, image_node: dict) -> NodeLaunch:
    """A service ``command`` run in the built image: the image's node and, unless the service
    sets its own, the image's NODE_OPTIONS."""
    changes: dict = {}
    if launch.node_version is None and dockerfile in image_node:
        changes["node_version"] = image_node[dockerfile]
    o = image_env.get(dockerfile)
    if o is not None and not launch.env_options:
        changes["env_options"] = [o]
        changes["node_options"] = _listed(o)
    return replace(launch, **changes) if changes else launch


def _listed(o: NodeOptionsFact) -> list[dict]:
    return [{"flag": flag, "from": f"{o.span.path}:{o.span.line}"} for flag in o.flags]


def dockerfile_of(compose_path: str, build) -> str | None:
    """The project path of the Dockerfile a compose ``build`` value names (a context string,
    or a map with ``context`` and ``dockerfile``, the latter relative to the context);
    None for a remote context or an inline Dockerfile."""
    if isinstance(build, str):
        context, dockerfile = build, "Dockerfile"
    elif isinstance(build, dict) and "dockerfile_inline" not in build:
        context, dockerfile = build.get("context") or ".", build.get("dockerfile") or "Dockerfile"
    else:
        return None
    if not isinstance(context, str) or not isinstance(dockerfile, str) or "://" in context \
            or context.startswith("git@") or "$" in context + dockerfile:
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(compose_path), context, dockerfile))
    return None if path.startswith("../") or path.startswith("/") else path


def settle(facts: list[Fact]) -> list[Fact]:
    images = [f for f in facts if isinstance(f, ServiceImage)]
    if not images:
        return facts
    runs: dict[str, list[ServiceImage]] = {}
    for s in images:
        if s.runs_image_command:
            runs.setdefault(s.dockerfile, []).append(s)
    overridden = {(s.span.path, f"service {s.service}"): s.dockerfile for s in images if not s.runs_image_command}
    image_env = {f.span.path: f for f in facts if isinstance(f, NodeOptionsFact) and f.unit == "final stage"}
    image_node = {f.span.path: f.spec for f in facts if isinstance(f, NodeVersionFact) and f.source == "dockerfile"}
    out: list[Fact] = []
    for f in facts:
        if not isinstance(f, NodeLaunch):
            out.append(f)
        elif f.surface == "dockerfile" and f.unit == "final stage" and f.span.path in runs:
            out.extend(s.run(f) for s in runs[f.span.path])
        elif f.surface == "compose" and (f.span.path, f.unit) in overridden:
            out.append(_under_image(f, overridden[(f.span.path, f.unit)], image_env, image_node))
        else:
            out.append(f)
    return out
