import fs from "node:fs";
import decode, { init } from "../../index.js";

// Load the decoder's WebAssembly module from disk and give it to the package.
const wasm = fs.readFileSync(new URL("../../codec/dec/webp_dec.wasm", import.meta.url));
await init(await WebAssembly.compile(wasm));

const image = await decode(fs.readFileSync("example.webp"));
console.log(image);
