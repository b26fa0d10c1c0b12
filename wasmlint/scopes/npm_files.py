"""What an npm package packs: its ``files`` entries, anchored at the package's folder, and
the ``exports`` patterns; what a folder or pattern packs only in passing (the tests and
examples inside a published folder)."""
from __future__ import annotations

import fnmatch
import posixpath

from ..pathmatch import match_any
from . import QUIET
from .conventions import path_scope


def npm_packed(project) -> dict[str, set[str]]:
    """package.json → the files its ``files`` entries pack (npm packs only those, the
    ``main`` and ``bin`` files and package.json, README and LICENSE)."""
    packed: dict[str, set[str]] = {}
    for f in project.of_kind("package-entry"):
        if f.field == "files":
            packed.setdefault(f.span.path, set()).update(published(f, f.span.path, project.files))
    return packed


def published(f, pkg: str, files: dict[str, str]) -> list[str]:
    """Files of the package that a ``files`` entry or an ``exports`` pattern names. A ``files``
    entry is anchored at the package's folder, also without a slash (npm-packlist 8.0.1,
    npm 10.2.5: ``patterns/`` packs the top ``patterns/``, not ``docs/min/patterns/``)."""
    base = posixpath.dirname(pkg)
    spec = f.spec.removeprefix("./").rstrip("/")
    out = []
    for path in files:
        if base and not path.startswith(base + "/"):
            continue
        sub = path[len(base) + 1:] if base else path
        if f.field == "files":
            if match_any(sub, ["/" + spec.lstrip("/")]) or sub.startswith(spec + "/"):
                out.append(path)
        elif fnmatch.fnmatchcase(sub, spec):
            out.append(path)
    return sorted(out)


def packed_in_passing(f, pkg: str, path: str, kind: str | None) -> bool:
    """A ``files`` folder or an ``exports`` pattern names what the package publishes, and
    packs the rest of what it matches in passing: the tests, benchmarks, examples and
    reference builds inside a named folder (``core`` packs ``core/example-builds/``) or
    under a wildcard (``./*`` packs ``tests/``) keep the scope their own path says. What
    the pattern names itself (``./examples/*``, ``files: ["test/helpers.js"]``) is published."""
    base = posixpath.dirname(pkg)
    sub = path[len(base) + 1:] if base else path
    spec = f.spec.removeprefix("./").rstrip("/")
    wild = min((k for k in (spec.find(c) for c in "*?[") if k >= 0), default=-1)
    named = spec[:spec.rfind("/", 0, wild) + 1] if wild >= 0 else (spec + "/" if sub != spec else spec)
    said = path_scope(sub[len(named):], kind) if sub.startswith(named) else None
    return said is not None and said.scope in QUIET
