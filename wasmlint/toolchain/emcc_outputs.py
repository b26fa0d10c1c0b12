"""What an emcc link writes (its ``.wasm``, its glue, their copies) and where it runs, as its
own settings say (``target_hint``: the targets it is judged against before the project graph
is asked, ``evaluate.Context``)."""
from __future__ import annotations

import posixpath


class LinkOutputs:
    """Mixin of ``EmccInvocation``: reads its ``output``, ``settings``, ``copies``, ``js_inputs``."""

    @property
    def wasm_file(self) -> str | None:
        """The ``.wasm`` the link writes: ``-o app.js`` writes ``app.wasm`` beside it;
        none with ``-sSINGLE_FILE`` (the module is embedded in the output) or ``-sWASM=0``."""
        if not self.output or not self.wasm_output:
            return None
        stem, dot, ext = self.output.rpartition(".")
        if ext == "wasm":
            return self.output
        if self.settings.get("SINGLE_FILE"):
            return None
        return stem + ".wasm" if dot else self.output + ".wasm"

    @property
    def written(self) -> list[str]:
        """Every file the link writes, as the build file names them: the ``.wasm`` and
        the glue (``-o app.html`` also writes ``app.js``); with ``-sSINGLE_FILE`` or
        ``-sWASM=0`` only the output itself."""
        if not self.output:
            return []
        stem, dot, ext = self.output.rpartition(".")
        if ext == "wasm" or self.wasm_file is None:
            return [self.output, *self.copies]
        glue = (stem if dot else self.output) + ".js" if ext == "html" else self.output
        return [self.wasm_file, glue, *self.copies]

    @property
    def artifact_paths(self) -> list[str]:
        """What the link writes, as project paths: outputs are relative to the build file's folder."""
        base = posixpath.dirname(self.span.path)
        return [posixpath.normpath(posixpath.join(base, p)) for p in self.written]

    def graph_refs(self) -> list:
        """build config → every artifact it writes, and → the JavaScript it pastes into the glue."""
        from ..graph import Ref
        return [Ref("builds", out, self.span) for out in self.written] + [
            Ref("links-js", path, self.span) for _option, path in self.js_inputs]

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
