"""Edges of the project graph: launch → entry script → imported modules →
loader → ``.wasm`` (or embedded module); build config → artifact; package.json →
the files it publishes (``main``, ``exports``, …).

A fact takes part by having a ``graph_refs()`` method returning ``Ref``s (what
it points at, as written); this module resolves them against the files of the
run. A reference that resolves to no file stays an unresolved edge — it is
never guessed.
"""
from __future__ import annotations

import json
import posixpath
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .facts import Fact, Span

JS_EXTENSIONS = ("", ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx",
                 "/index.js", "/index.mjs", "/index.ts")
# TypeScript resolves `./x.js` to the source `./x.ts` that compiles to it (and .mjs/.cjs/.jsx likewise)
TS_SOURCES = {".js": (".ts", ".tsx"), ".mjs": (".mts",), ".cjs": (".cts",), ".jsx": (".tsx",)}
WASM_TARGETS = ("loads-wasm", "embeds")


@dataclass(frozen=True)
class Ref:
    kind: str          # runs | imports | spawns | loads-wasm | builds | links-js | embeds | publishes | deploys
    #                    | launches (a module a command runs: `wasmtime run app.wasm`)
    #                    | includes (a file a Rust crate compiles in: `include_bytes!`)
    spec: str          # as written: "./loader", "/app/server.js", "app.wasm"
    span: Span


@dataclass
class Edge:
    src: str           # a file's display path, or a launch id
    dst: str | None    # a file's display path, or None when unresolved
    kind: str
    spec: str
    span: Span

    def to_json(self) -> dict:
        return {"from": self.src, "to": self.dst, "kind": self.kind, "spec": self.spec,
                "span": self.span.to_json()}


@dataclass
class Graph:
    edges: list[Edge] = field(default_factory=list)
    out: dict[str, list[Edge]] = field(default_factory=dict)
    into: dict[str, list[Edge]] = field(default_factory=dict)

    def add(self, edge: Edge) -> None:
        self.edges.append(edge)
        self.out.setdefault(edge.src, []).append(edge)
        if edge.dst:
            self.into.setdefault(edge.dst, []).append(edge)

    def reachable(self, start: str) -> list[str]:
        seen, queue = {start}, deque([start])
        while queue:
            for e in self.out.get(queue.popleft(), ()):
                if e.dst and e.dst not in seen:
                    seen.add(e.dst)
                    queue.append(e.dst)
        return [n for n in seen if n != start]


def launch_id(fact: Fact) -> str:
    return f"launch:{fact.span.path}:{fact.span.line}:{fact.span.column}"


def node_of(fact: Fact) -> str:
    return launch_id(fact) if fact.kind == "node-launch" else fact.span.path


def spec_path(spec: str, from_path: str) -> str | None:
    """The project path a relative ``spec`` written in ``from_path`` names, whether or not
    the run holds that file (a build output); None for packages, URLs and launches."""
    return output_path(spec, from_path) if spec.startswith(("./", "../")) else None


@cache
def _builtins() -> frozenset[str]:
    data = Path(__file__).resolve().parent / "data" / "node-builtins.json"
    return frozenset(json.loads(data.read_text(encoding="utf-8"))["modules"])


@cache
def browser_shims() -> frozenset[str]:
    """The node builtins browser bundles implement (webpack 4's and browserify's table,
    node-libs-browser); the others are empty or unresolved in a page (``js.node_runtime``)."""
    data = Path(__file__).resolve().parent / "data" / "browser-shims.json"
    return frozenset(json.loads(data.read_text(encoding="utf-8"))["modules"])


def node_builtin(spec: str) -> bool:
    """``spec`` names a module of node itself (``fs``, ``node:path``, ``fs/promises``), as
    ``require('module').builtinModules`` of real node lists them (scripts/gen_node_builtins.py);
    the ``node:`` scheme names only builtins."""
    return spec.startswith("node:") or spec in _builtins()


def resolve(spec: str, from_path: str, files: set[str], kind: str,
            file_names: set[str] | None = None) -> str | None:
    """The file of the run that ``spec`` (written in ``from_path``) names, or None.
    ``file_names``: the last parts of ``files``' paths (a candidate no file ends with is
    not looked up: a launch tries every extension in every folder above its file)."""
    spec = spec.split("?", 1)[0].split("#", 1)[0]
    if not spec or "://" in spec or spec.startswith(("data:", "node:")):
        return None
    base = posixpath.dirname(from_path.split("#", 1)[0])
    exts = JS_EXTENSIONS if kind in ("imports", "runs", "spawns", "publishes", "deploys") else ("",)
    if kind == "imports" and not spec.startswith((".", "/")):
        return None   # a package outside the project (node_modules is not read)
    parts = [p for p in spec.split("/") if p not in ("", ".")]
    # An absolute path (a container's /app/server.js) or one relative to a working
    # folder we do not know: try it, then each shorter suffix, from the file's folder;
    # a command (``runs``) may also be run from a folder above the file's
    # (``scripts/start.sh`` running ``node src/server.js`` from the project's root).
    starts = [0] if not spec.startswith("/") and kind in ("imports", "publishes", "deploys", "includes") \
        else range(len(parts))
    bases = [base]
    while kind in ("runs", "launches") and bases[-1] not in ("", "/"):
        bases.append(posixpath.dirname(bases[-1]))
    for folder in bases:
        for i in starts:
            rel = "/".join(parts[i:])
            stem, dot, ext = rel.rpartition(".")
            sources = [stem + s for s in TS_SOURCES.get(dot + ext, ())] if exts is JS_EXTENSIONS else []
            for cand in [rel + e for e in exts] + sources:
                name = cand.rpartition("/")[2]
                if file_names is not None and name not in file_names and name not in ("", ".", ".."):
                    continue
                cand = posixpath.normpath(posixpath.join(folder, cand)) if folder else posixpath.normpath(cand)
                if cand in files:
                    return cand
    return None


def output_path(spec: str, from_path: str) -> str | None:
    """The project path a build written in ``from_path`` writes to ``spec`` (relative to the
    build file's folder, as make and the shell run there); None outside the project."""
    if "://" in spec or spec.startswith("/") or from_path.startswith("launch:"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_path.split("#", 1)[0]), spec))
    return None if joined.startswith("..") else joined


def build(facts: list[Fact], files: dict[str, str]) -> Graph:
    graph = Graph()
    names = set(files)
    file_names = {n.rpartition("/")[2] for n in names}
    found = []
    for fact in facts:
        refs = getattr(fact, "graph_refs", None)
        if refs is None:
            continue
        for ref in refs():
            if ref.kind == "imports" and node_builtin(ref.spec):
                continue   # node itself, not a file of the project nor a package
            dst = resolve(ref.spec, fact.span.path, names, ref.kind, file_names)
            if ref.kind == "embeds":
                dst = ref.spec
            found.append(Edge(node_of(fact), dst, ref.kind, ref.spec, ref.span))
    # A module the run does not hold (a build output in a gitignored `dist/`) that a build
    # of the project writes: the loader's edge and the build's meet at that artifact.
    built = {output_path(e.spec, e.src): e for e in found if e.kind == "builds" and e.dst is None}
    for e in found:
        if (e.kind in WASM_TARGETS or e.kind == "imports") and e.dst is None and spec_path(e.spec, e.src) in built:
            e.dst = built[spec_path(e.spec, e.src)].dst = spec_path(e.spec, e.src)
    for e in found:
        graph.add(e)
    return graph
