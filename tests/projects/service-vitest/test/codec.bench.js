import { bench } from "vitest";
import { resize } from "../src/codec.js";

const memory = new WebAssembly.Memory({ initial: 16 });
const input = new Uint8Array(memory.buffer, 0, 4096);

bench("resize 4 KiB", async () => {
  await resize(input, 64);
});
