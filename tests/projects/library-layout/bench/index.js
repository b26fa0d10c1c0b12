/* eslint-disable no-console */
const Benchmark = require("benchmark");
const wasmHash = require("../dist/index.cjs");

async function runBench() {
  const { h32 } = await wasmHash();
  for (let size = 1; size <= 1e6; size *= 10) {
    const input = "x".repeat(size);
    new Benchmark.Suite(`${size} bytes`)
      .add("wasm-hash#h32", () => h32(input))
      .on("cycle", (event) => console.log(String(event.target)))
      .run();
  }
}

runBench();
