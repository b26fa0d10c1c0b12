"""Files a package publishes for node alone: the ``package-entry`` facts that only node
loads (``sources.package_json._node_only``: a ``bin`` script, a target of the ``node``
export condition, a ``main`` that the ``browser`` field replaces for bundlers), less the
files another entry of any package names too (a ``default`` or ``browser`` condition, a
``module`` field naming the same file: a bundler gives that one to the browser too).

mp4-wasm publishes ``main: ./build/mp4.node.js`` (its ``-sENVIRONMENT=node`` build, bundled
by esbuild for node) beside ``browser``/``module: ./build/mp4.js``: browsers get the
second, so the first, and the module only it loads, run in node."""
from __future__ import annotations


def node_only_published(project) -> set[str]:
    """The published files that only node loads."""
    node: set[str] = set()
    other: set[str] = set()
    for f in project.of_kind("package-entry"):
        if f.pattern:
            continue
        for e in project.edges_by_span.get(("publishes", f.span), ()):
            if e.dst and e.src == f.span.path:
                (node if f.node_only else other).add(e.dst)
    return node - other
