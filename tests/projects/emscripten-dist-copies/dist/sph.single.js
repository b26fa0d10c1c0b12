// Emscripten glue with -sSINGLE_FILE=1 (module inlined as base64), trimmed by hand for this fixture.
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
  var wasmBinaryFile = "data:application/octet-stream;base64,AGFzbQEAAAABCQJgAX8Bf2AAAAMEAwABAAUHAQGAAoCAAgcfAwZtZW1vcnkCAARzdGVwAAALX2luaXRpYWxpemUAAQoQAwQAIAALAgALBgAgAEAACwAOBG5hbWUBBwECBHNicms=";
  function tryParseAsDataURI(filename) {
    var b64 = filename.slice(filename.indexOf(",") + 1);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  }
  var info = { env: {} };
  var result = await WebAssembly.instantiate(tryParseAsDataURI(wasmBinaryFile), info);
  var wasmExports = result.instance.exports;
  wasmMemory = wasmExports["memory"];
  updateMemoryViews();
  Module["_step"] = wasmExports["step"];
  return Module;
}
export default createModule;
