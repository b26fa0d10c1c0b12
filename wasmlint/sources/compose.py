"""docker-compose files → launch facts per service: ``command``/``entrypoint``
(string or list; an entrypoint list receives the command as arguments),
``environment`` (map or list), ``mem_limit`` and
``deploy.resources.limits.memory``, and the node version of ``image: node:X``. A service
``build``-ing its image from a Dockerfile of the project runs that Dockerfile's final
stage (``launch.compose_image``)."""
from __future__ import annotations

from .. import yamlpos
from ..facts import Fact
from ..launch import yamlsurf
from ..launch.build import NODE_OPTIONS_VARS, Unit, memory_limit
from ..launch.compose_image import ServiceImage, dockerfile_of
from ..launch.facts import NodeLaunch
from ..scopes.conventions import named_role
from ..toolchain.emver import DockerBuildArg, EmscriptenVersion, image_pin
from ..launch.version import node_image, node_image_tag
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    idx, docs = yamlsurf.load_source(src, domain_only=True)
    if idx is None:
        return docs
    facts: list[Fact] = []
    for doc in docs:
        services = yamlpos.get(doc, "services")
        for k, svc in yamlpos.pairs(services):
            if not yamlpos.is_map(svc):
                continue
            facts.extend(_service(idx, str(k.value), svc))
    return facts


def _image_build(unit: Unit, name: str, svc, env: dict) -> list[Fact]:
    build = yamlpos.get(svc, "build")
    dockerfile = dockerfile_of(unit.path, yamlpos.plain(build)) if build is not None else None
    if dockerfile is None:
        return []
    limit = unit.memory_limit
    options = next((unit.node_options(env[v]) for v in NODE_OPTIONS_VARS if v in env), None)
    return [ServiceImage(unit.idx.span(build.start_mark.index, build.end_mark.index), service=name,
                         dockerfile=dockerfile, role=unit.role,
                         runs_image_command=yamlpos.get(svc, "command") is None and yamlpos.get(svc, "entrypoint") is None,
                         memory_limit_bytes=limit.bytes if limit else None, memory_limit_span=limit.span if limit else None,
                         memory_limit_what=limit.what if limit else "", node_options=options)]


def _service(idx, name: str, svc) -> list[Fact]:
    unit = Unit(idx, "compose", name=f"service {name}",
                node_version=node_image_tag(yamlpos.str_of(yamlpos.get(svc, "image"))),
                role=named_role(f"compose service `{name}`", name))
    limit_node = yamlpos.get(svc, "mem_limit")
    what = "`mem_limit`"
    if limit_node is None:
        limits = yamlpos.get(yamlpos.get(yamlpos.get(yamlpos.get(svc, "deploy"), "resources"), "limits"),
                             "memory")
        limit_node, what = limits, "`deploy.resources.limits.memory`"
    if yamlpos.str_of(limit_node):
        unit.memory_limit = memory_limit(limit_node.value, idx.span(limit_node.start_mark.index,
                                                                    limit_node.end_mark.index), what)
    env = yamlsurf.env_assigns(unit, yamlpos.get(svc, "environment"))
    ep, cmd = yamlpos.get(svc, "entrypoint"), yamlpos.get(svc, "command")
    toks = (yamlsurf.command_toks(unit, ep) if ep is not None else []) + (
        yamlsurf.command_toks(unit, cmd) if cmd is not None else [])
    if toks:
        nodes = [n for n in (ep, cmd) if n is not None]
        unit.launch(toks, env, (min(n.start_mark.index for n in nodes), max(n.end_mark.index for n in nodes)))
    facts = unit.facts
    if ep is None and _foreign_image(svc):
        facts = [f for f in facts if not _entrypoint_subcommand(f)]
    return facts + _image_build(unit, name, svc, env) + _emscripten(idx, svc)


def _foreign_image(svc) -> bool:
    """A registry image that is not node's and that the project does not build: its
    ENTRYPOINT, which no file here shows, receives the service's ``command``."""
    image = yamlpos.str_of(yamlpos.get(svc, "image"))
    return bool(image) and yamlpos.get(svc, "build") is None and not node_image(image)


def _entrypoint_subcommand(fact: Fact) -> bool:
    """``command: node --archive-process`` fed to such an image (``ENTRYPOINT ["openmina"]``)
    is that program's ``node`` subcommand: node itself, given no script, would read one from
    the container's closed stdin and exit, so a node launch with no script or ``-e`` there
    is not read as one."""
    return isinstance(fact, NodeLaunch) and fact.script is None and not fact.eval


def _emscripten(idx, svc) -> list[Fact]:
    """A service of an emsdk image is a build environment of that release (``docker
    compose run SERVICE make``); ``build.args`` set the ARGs of the Dockerfile it builds."""
    out: list[Fact] = []
    image = yamlpos.get(svc, "image")
    pin = image_pin(yamlpos.str_of(image) or "")
    if pin is not None:
        out.append(EmscriptenVersion(idx.span(image.start_mark.index, image.end_mark.index), version=pin,
                                     source="compose"))
    args = yamlpos.get(yamlpos.get(svc, "build"), "args")
    entries = [(str(k.value), yamlpos.str_of(v), k) for k, v in yamlpos.pairs(args)] + \
        [(*(yamlpos.str_of(i) or "").partition("=")[::2], i) for i in yamlpos.items(args)]
    for name, value, node in entries:
        if name:
            out.append(DockerBuildArg(idx.span(node.start_mark.index, node.end_mark.index), name=name,
                                      value=value or None))
    return out
