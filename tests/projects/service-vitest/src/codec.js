import { readFile } from "node:fs/promises";

const bytes = await readFile(new URL("./codec.wasm", import.meta.url));
const { instance } = await WebAssembly.instantiate(bytes);
const { memory, alloc, resize_png } = instance.exports;

export async function resize(input, width) {
  const ptr = alloc(input.length);
  new Uint8Array(memory.buffer, ptr, input.length).set(input);
  const len = resize_png(ptr, input.length, width);
  return Buffer.from(new Uint8Array(memory.buffer, ptr, len));
}
