/* eslint-disable no-console */
// Each input size runs in a fresh worker so that one size's garbage does not skew the next.
const { Worker, isMainThread, workerData, parentPort } = require("worker_threads");
const Benchmark = require("benchmark");
const wasmHash = require("../dist/index.cjs");

async function runSize(size) {
  const { h32 } = await wasmHash();
  const input = "x".repeat(size);
  new Benchmark.Suite(`${size} bytes`)
    .add("wasm-hash#h32", () => h32(input))
    .on("cycle", (event) => parentPort.postMessage(String(event.target)))
    .run();
}

if (isMainThread) {
  for (let size = 1; size <= 1e6; size *= 10) {
    const worker = new Worker(__filename, { workerData: size });
    worker.on("message", (line) => console.log(line));
  }
} else {
  runSize(workerData);
}
