import { readFile } from 'node:fs/promises';

const bytes = await readFile(new URL('./hash.wasm', import.meta.url));
const { instance } = await WebAssembly.instantiate(bytes);
console.log(instance.exports.hash(42));
