// Emscripten pthreads glue (the part that creates the shared memory), trimmed by hand for this fixture.
var Module = typeof Module != 'undefined' ? Module : {};
var ENVIRONMENT_IS_PTHREAD = typeof importScripts == 'function' && self.name == 'em-pthread';
var HEAPU8, wasmMemory;
var INITIAL_MEMORY = Module['INITIAL_MEMORY'] || 134217728;
if (!ENVIRONMENT_IS_PTHREAD) {
  wasmMemory = new WebAssembly.Memory({
    initial: INITIAL_MEMORY / 65536,
    maximum: 32768,
    shared: true,
  });
}
HEAPU8 = new Uint8Array(wasmMemory.buffer);
function locateFile(path) { return new URL(path, import.meta.url).href; }
var info = { env: { memory: wasmMemory } };
WebAssembly.instantiateStreaming(fetch(locateFile('solver.wasm')), info);
