"""The JS extractor on real glue from npm (tests/js_glue.lock.json, fetched by
scripts/fetch_js_glue.py): what it must find in each generator's output."""
from __future__ import annotations

import functools
import importlib.util

from tests.wasmbuild import ROOT
from wasmlint.sources import SourceFile
from wasmlint.sources.js import extract


@functools.lru_cache(maxsize=None)
def glue() -> dict[str, bytes]:
    spec = importlib.util.spec_from_file_location("fetch_js_glue", ROOT / "scripts" / "fetch_js_glue.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = {}
    for pkg in mod.ensure_glue():
        for f in pkg["files"]:
            out[f"{pkg['name']}/{f['path'].split('/', 1)[1]}"] = mod.local_path(pkg, f["path"]).read_bytes()
    return out


def facts(key: str):
    path = key.rsplit("/", 1)[-1]
    return extract(SourceFile(path, "js", glue()[key]))


def of(found, kind):
    return [f for f in found if f.kind == kind]


def test_emscripten_pthreads_memory_is_read_from_the_glue():
    found = facts("z3-solver/build/z3-built.js")
    (mem,) = of(found, "js-memory")
    # var INITIAL_MEMORY = Module['INITIAL_MEMORY'] || 2147483648; initial = maximum = INITIAL_MEMORY / 65536
    assert (mem.initial_pages, mem.maximum_pages, mem.shared) == (32768, 32768, True)
    assert mem.generator == "emscripten" and mem.name == "wasmMemory" and not mem.growable
    (worker,) = of(found, "js-worker")
    assert worker.api == "web" and worker.generator == "emscripten"
    assert not of(found, "parse-error")


def test_emscripten_single_file_base64_and_its_hand_written_loader():
    found = facts("argon2-browser/dist/argon2-bundled.min.js")
    (module,) = of(found, "wasm-module")
    assert module.size == 25725 and module.embedded_in == "argon2-bundled.min.js"
    (memory,) = of(found, "memory")
    assert (memory.initial_pages, memory.maximum_pages) == (256, 32767)
    assert memory.span.line == 1 and memory.span.column > 1
    loader = facts("argon2-browser/lib/argon2.js")
    (mem,) = of(loader, "js-memory")
    # maximum: (2 * GB - 64 * KB) / WASM_PAGE_SIZE; initial depends on the caller's cost
    assert (mem.initial_pages, mem.maximum_pages, mem.generator) == (None, 32767, None)
    assert not mem.growable


def test_emscripten_plain_glue_grows_from_js():
    found = facts("@jsquash/webp/codec/enc/webp_enc.js")
    (grow,) = of(found, "js-memory-grow")
    assert grow.receiver == "wasmMemory" and grow.generator == "emscripten"
    assert any(c.api == "instantiateStreaming" for c in of(found, "js-wasm-compile"))
    assert not of(found, "js-memory")


def test_wasm_bindgen_web_and_nodejs_targets():
    web = facts("brotli-wasm/pkg.web/brotli_wasm.js")
    assert {f.generator for f in web} == {"wasm-bindgen"}
    apis = {c.api for c in of(web, "js-wasm-compile")}
    assert {"instantiateStreaming", "instantiate"} <= apis
    assert all(v.placement == "function" for v in of(web, "js-memory-view"))
    node = facts("brotli-wasm/pkg.node/brotli_wasm.js")
    sync = [c for c in of(node, "js-wasm-compile") if c.api == "Module"]
    assert sync and sync[0].node_only and sync[0].source == "./brotli_wasm_bg.wasm"   # path.join(__dirname, …): beside the glue


def test_go_wasm_exec():
    views = of(facts("esbuild-wasm/wasm_exec.js"), "js-memory-view")
    assert views and all(v.generator == "go" and v.view_type == "DataView" for v in views)
    assert all(v.receiver == "this._inst.exports.mem" for v in views)
    (compile_,) = of(facts("esbuild-wasm/wasm_exec_node.js"), "js-wasm-compile")
    assert compile_.api == "instantiate" and compile_.from_bytes and compile_.node_only
    (worker,) = of(facts("esbuild-wasm/lib/main.js"), "js-worker")
    assert worker.api == "worker_threads" and worker.exec_argv == [] and not worker.resource_limits


def test_feature_probes_are_not_reported():
    found = facts("wasm-feature-detect/dist/esm/index.js")
    assert not of(found, "wasm-module") and not of(found, "memory") and not of(found, "parse-error")


def test_hand_written_loader_with_embedded_module():
    found = facts("xxhash-wasm/esm/xxhash-wasm.js")
    (module,) = of(found, "wasm-module")
    (compile_,) = of(found, "js-wasm-compile")
    assert compile_.module_size == module.size == 3105
