import { test } from "node:test";
import assert from "node:assert";
import fs from "node:fs";
import decode, { init } from "../index.js";

test("decodes a 1x1 image", async () => {
  const wasm = fs.readFileSync(new URL("../codec/dec/webp_dec.wasm", import.meta.url));
  await init(new WebAssembly.Module(wasm));
  assert.ok(await decode(new Uint8Array(8)));
});
