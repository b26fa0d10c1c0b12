"""Builds of one module that differ by a feature, the loader choosing between them.

A project that ships a memory64 build and a wasm32 build of the same module
(wllama's ``src/wasm/wllama.js`` and its ``compat/wasm/wllama.js`` for engines without
JSPI or memory64), or a threaded and a single-threaded one (tfjs-backend-wasm's
``-threaded-simd.wasm`` beside ``-simd.wasm``, loaded only when its probe of
``SharedArrayBuffer`` succeeds), picks one at run time: where the engine lacks the
feature, the other build runs. Two memories are such variants when their files have
the same name once the feature's words are left out (``-threaded``, ``-mt``,
``-memory64``, ``64``), in the same folder or not, and only one of them has the feature.
"""
from __future__ import annotations

import posixpath
import re

MEMORY_KINDS = ("memory", "js-memory")
FEATURE_WORDS = {
    "memory64": frozenset(("64", "memory64", "mem64", "wasm64")),
    "shared": frozenset(("threaded", "threads", "thread", "mt", "pthread", "pthreads", "multithread",
                         "multithreaded")),
}
_SEPARATORS = re.compile(r"[-_.]")


def _key(path: str, feature: str) -> tuple[str, ...]:
    name = posixpath.basename(path.split("#", 1)[0]).lower()
    return tuple(w for w in _SEPARATORS.split(name) if w and w not in FEATURE_WORDS[feature])


def has_variant_without(memory, ctx, feature: str) -> bool:
    """The project holds another build of this memory's module without ``feature``
    (``memory64`` or ``shared``)."""
    project = ctx.project
    if project is None:
        return False
    path = memory.span.path.split("#", 1)[0]
    memo = project.memo.setdefault("variants.without", {})
    key = (path, feature)
    if key not in memo:
        mine = _key(path, feature)
        memo[key] = any(
            not getattr(m, feature, False) and m.span.path.split("#", 1)[0] != path
            and _key(m.span.path, feature) == mine
            for kind in MEMORY_KINDS for m in project.of_kind(kind))
    return memo[key]
