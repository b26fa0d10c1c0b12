// wasm-bindgen output (--target web, threads via wasm-bindgen-rayon), trimmed by hand for this fixture.
let wasm;

function __wbg_get_imports(memory) {
  const imports = {};
  imports.wbg = {};
  imports.wbg.memory = memory || new WebAssembly.Memory({ initial: 18, maximum: 16384, shared: true });
  return imports;
}

export function blur(radius) {
  wasm.blur(radius);
}

export function initThreadPool(n) {
  return wasm.initThreadPool(n);
}

async function __wbg_init(module_or_path, memory) {
  if (module_or_path === undefined) {
    module_or_path = new URL('editor_bg.wasm', import.meta.url);
  }
  const imports = __wbg_get_imports(memory);
  const { instance } = await WebAssembly.instantiateStreaming(fetch(module_or_path), imports);
  wasm = instance.exports;
  return wasm;
}

export default __wbg_init;
