"""Where an emcc link runs, as its own settings say (``EmccInvocation.target_hint``): the
targets a link is judged against before the project graph is asked (``evaluate.Context``)."""
from __future__ import annotations

import posixpath


class TargetHint:
    """Mixin of ``EmccInvocation``: reads its ``settings``, ``output`` and ``artifact_paths``."""

    def target_hint(self, ctx) -> str | None:
        """``node`` for a link only node runs: ``-sENVIRONMENT=node``, or ``-sNODERAWFS``, whose
        file system is node's own (emscripten ``settings.js``: "this backend only works with
        Node.js"; its library throws at startup unless ``ENVIRONMENT_IS_NODE``).
        ``wasmtime`` for a standalone module: ``-sSTANDALONE_WASM`` writing only a ``.wasm``
        (settings.js: "a standalone wasm file … that can run in wasm VMs", WASI imports, no
        JavaScript glue) that no JavaScript of the project loads: made for a WASI runtime
        (wasmtime, GraalWasm, wasmer), not a browser (sireum's cvc5 and tesseract servers)."""
        env = self.settings.get("ENVIRONMENT")
        if env in (["node"], "node") or self.settings.get("NODERAWFS"):
            return "node"
        if self.settings.get("STANDALONE_WASM") and (self.output or "").endswith(".wasm") \
                and not self._loaded_by_js(ctx):
            return "wasmtime"
        return None

    def _loaded_by_js(self, ctx) -> bool:
        """Whether JavaScript of the project may load what the link writes: a load the graph
        resolves to it, or a compile of a module of its name or of a name not known (built
        outputs are mostly not in the tree, so the graph cannot resolve to them)."""
        project = ctx.project
        if project is None or not hasattr(project, "graph"):
            return True
        if any(e.kind == "loads-wasm" for p in self.artifact_paths for e in project.graph.into.get(p, ())):
            return True
        names = {posixpath.basename(p) for p in self.artifact_paths}
        return any(not c.node_only and (not c.source or c.loader_hook or posixpath.basename(c.source) in names)
                   for c in project.of_kind("js-wasm-compile"))
