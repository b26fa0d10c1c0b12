"""Which node version runs a launch.

Sources produce ``node-version`` facts (``.nvmrc``, ``.node-version``,
``package.json`` ``engines.node`` and ``volta.node``, ``FROM node:<tag>``,
``actions/setup-node`` ``node-version``; for ``${{ matrix.node-version }}`` the lowest
major of the job's matrix, the one every launch of the job must start on). A launch
whose own file names a version (a Dockerfile's final stage, a workflow job's
setup-node) uses it; otherwise the
config's ``node-version``; otherwise the nearest project file (deepest folder
above the launch, then in the order of ``RANK``); otherwise the newest LTS in
the flag database, said once in the run's notes.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import ClassVar

from ..facts import Fact

RANK = {"nvmrc": 0, "node-version-file": 1, "engines": 2, "dockerfile": 3, "setup-node": 4, "volta": 5}


@dataclass
class NodeVersionFact(Fact):
    """A statement of the node version a project (or one launch) runs on."""

    kind: ClassVar[str] = "node-version"
    spec: str = ""
    source: str = ""           # nvmrc | node-version-file | engines | volta | dockerfile | setup-node
    major: int | None = None   # the lowest major the spec allows, when it names one


def major_of(spec: str | None) -> int | None:
    """The database major a spec names, or None when it names none."""
    if not spec:
        return None
    from ..nodeflags import resolve_major
    major, note = resolve_major(spec)
    if note and "names no known node major" in note:
        return None
    return major


def node_image(image: str | None) -> bool:
    """``node:20-alpine``, ``docker.io/library/node``, ``nodejs@sha256:…``: node's own image."""
    repo = (image or "").rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    return repo in ("node", "nodejs")


def node_image_tag(image: str | None) -> str | None:
    """``node:20-alpine`` → ``20-alpine``; None for other images or no tag."""
    if not image or not node_image(image):
        return None
    last = image.split("/")[-1]
    if ":" not in last:
        return None
    tag = last.split(":", 1)[1]
    if not tag or "$" in tag or "{" in tag:
        return None
    return tag.split("@")[0]


_MINOR = re.compile(r"^\s*v?(\d+)\.(\d+)")


def minor_of(spec: str | None) -> int | None:
    m = _MINOR.match(spec or "")
    return int(m.group(2)) if m else None


def project_spec(ctx, path: str) -> tuple[str | None, str]:
    """The version spec that applies to files at ``path``, and where it came from."""
    if ctx.config.node_version:
        return ctx.config.node_version, "config node-version"
    project = ctx.project
    facts = project.of_kind("node-version") if project is not None else []
    # folders compared as absolute paths: a run from a subfolder shows the root's files as ../x
    where = getattr(project, "abspaths", None) or {}
    folder = posixpath.dirname(where.get(path, path))
    best, best_key = None, None
    for f in facts:
        d = posixpath.dirname(where.get(f.span.path, f.span.path))
        if d and not (folder == d or folder.startswith(d + "/")):
            continue
        if f.major is None:
            continue
        key = (-len(d), RANK.get(f.source, 9))
        if best_key is None or key < best_key:
            best, best_key = f, key
    if best is None:
        return None, ""
    return best.spec, f"{best.span.path}:{best.span.line}"


def resolve(ctx, local_spec: str | None, path: str) -> tuple[int, str | None]:
    """(major, spec) for a launch; a fallback to the newest LTS is noted once."""
    from ..nodeflags import resolve_major
    spec = local_spec if major_of(local_spec) is not None else project_spec(ctx, path)[0]
    major, note = resolve_major(spec)
    if note:
        note = f"node version: {note}" if spec else (
            f"node version: no node version found (config node-version, .nvmrc, .node-version, "
            f"package.json engines.node, FROM node:<tag>, actions/setup-node); assuming node {major}, "
            f"the newest LTS in the flag database")
        if note not in ctx.notes:
            ctx.notes.append(note)
    return major, spec
