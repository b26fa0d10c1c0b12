const { parentPort } = require("worker_threads");
const wasmHash = require("../../dist/index.cjs");

wasmHash().then(({ h32 }) => parentPort.on("message", (text) => parentPort.postMessage(h32(text))));
