// Emscripten glue (-sMODULARIZE -sEXPORT_ES6), trimmed by hand for this fixture.
async function createModule(moduleArg = {}) {
  var Module = moduleArg;
  var ENVIRONMENT_IS_WEB = true;
  var wasmMemory, HEAP8, HEAPU8, HEAPF32;
  function updateMemoryViews() {
    var b = wasmMemory.buffer;
    Module["HEAP8"] = HEAP8 = new Int8Array(b);
    Module["HEAPU8"] = HEAPU8 = new Uint8Array(b);
    Module["HEAPF32"] = HEAPF32 = new Float32Array(b);
  }
  function locateFile(path) {
    if (Module["locateFile"]) return Module["locateFile"](path, "");
    return new URL(path, import.meta.url).href;
  }
  var wasmBinaryFile = locateFile("sph.wasm");
  var info = { env: {} };
  var result = await WebAssembly.instantiateStreaming(fetch(wasmBinaryFile, { credentials: "same-origin" }), info);
  var wasmExports = result.instance.exports;
  wasmMemory = wasmExports["memory"];
  updateMemoryViews();
  Module["_step"] = wasmExports["step"];
  return Module;
}
export default createModule;
