let instance;

export async function init(module) {
  if (module) {
    instance = await WebAssembly.instantiate(module);
    return;
  }
  const response = await fetch(new URL("./codec/dec/webp_dec.wasm", import.meta.url));
  ({ instance } = await WebAssembly.instantiate(await response.arrayBuffer()));
}

export default async function decode(buffer) {
  if (!instance) await init();
  return instance.exports.decode(buffer.byteLength);
}
