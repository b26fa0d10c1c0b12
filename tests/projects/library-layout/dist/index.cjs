"use strict";
const fs = require("fs");
const path = require("path");

const wasmBytes = fs.readFileSync(path.join(__dirname, "hash.wasm"));

async function wasmHash() {
  const { instance } = await WebAssembly.instantiate(wasmBytes);
  const { mem, h32 } = instance.exports;
  const encoder = new TextEncoder();
  return {
    h32(str, seed = 0) {
      const view = new Uint8Array(mem.buffer);
      const { written } = encoder.encodeInto(str, view);
      return (h32(0, written, seed) >>> 0).toString(16).padStart(8, "0");
    },
  };
}

module.exports = wasmHash;
