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
    specs = braces(f.spec.removeprefix("./").rstrip("/"))
    out = []
    for path in files:
        if base and not path.startswith(base + "/"):
            continue
        sub = path[len(base) + 1:] if base else path
        if f.field == "files":
            if match_any(sub, ["/" + s.lstrip("/") for s in specs]) or any(sub.startswith(s + "/") for s in specs):
                out.append(path)
        elif any(fnmatch.fnmatchcase(sub, s) for s in specs):
            out.append(path)
    return sorted(out)


MAX_BRACES = 64


def braces(spec: str) -> list[str]:
    """A pattern's brace alternatives, as npm's minimatch expands them before matching:
    ``build/**/*.{js,wasm}`` is ``build/**/*.js`` and ``build/**/*.wasm`` (nested braces
    too; a ``{`` without its ``,`` alternatives is itself)."""
    start = spec.find("{")
    if start < 0:
        return [spec]
    depth, parts, at = 0, [], start + 1
    for k in range(start, len(spec)):
        c = spec[k]
        depth += (c == "{") - (c == "}")
        if c == "," and depth == 1:
            parts.append(spec[at:k])
            at = k + 1
        elif depth == 0:
            if not parts:
                return [spec[:k + 1] + s for s in braces(spec[k + 1:])][:MAX_BRACES]
            parts.append(spec[at:k])
            tails = braces(spec[k + 1:])
            return [spec[:start] + a + t for p in parts for a in braces(p) for t in tails][:MAX_BRACES]
    return [spec]


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
