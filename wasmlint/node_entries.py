"""Files a package publishes for node alone: the ``package-entry`` facts that only node
loads (``sources.package_json._node_only``: a ``bin`` script, a target of the ``node``
export condition, a ``main`` that the ``browser`` field replaces for bundlers), less the
files another entry of any package names too (a ``default`` or ``browser`` condition, a
``module`` field naming the same file: a bundler gives that one to the browser too) or
reaches through the project graph (a browser entry importing the node one).

mp4-wasm publishes ``main: ./build/mp4.node.js`` (its ``-sENVIRONMENT=node`` build, bundled
by esbuild for node) beside ``browser``/``module: ./build/mp4.js``: browsers get the
second, so the first, and the module only it loads, run in node."""
from __future__ import annotations


def node_only_published(project) -> set[str]:
    """The published files that only node loads. A file a ``browser`` map replaces is left
    out of every browser bundle, whoever imports it; the other node entries count unless
    a browser's entry reaches them."""
    replaced: set[str] = set()
    node: set[str] = set()
    other: set[str] = set()
    for f in project.of_kind("package-entry"):
        if f.pattern:
            continue
        for e in project.edges_by_span.get(("publishes", f.span), ()):
            if e.dst and e.src == f.span.path:
                (other if not f.node_only else replaced if f.field == "browser" else node).add(e.dst)
    return replaced | (node - _reached(project, other, replaced))


def _reached(project, starts: set[str], replaced: set[str]) -> set[str]:
    """``starts`` and every file the graph leads to from them (one walk for all), not
    through the files a bundler replaces."""
    seen, todo = set(starts), [s for s in starts if s not in replaced]
    while todo:
        for e in project.graph.out.get(todo.pop(), ()):
            if e.dst and e.dst not in seen and e.dst not in replaced:
                seen.add(e.dst)
                todo.append(e.dst)
    return seen
