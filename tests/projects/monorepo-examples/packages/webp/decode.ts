let instance: WebAssembly.Instance | undefined;

export async function init(module?: WebAssembly.Module): Promise<void> {
  if (module) {
    instance = await WebAssembly.instantiate(module);
    return;
  }
  const response = await fetch(new URL("./codec/dec/webp_dec.wasm", import.meta.url));
  ({ instance } = await WebAssembly.instantiate(await response.arrayBuffer()));
}

export default async function decode(buffer: ArrayBuffer): Promise<number> {
  if (!instance) await init();
  return (instance!.exports.decode as (n: number) => number)(buffer.byteLength);
}
