// Loads app.wasm next to this file and runs the kernel in a worker pool.
const fs = require('fs');
const path = require('path');
const { Worker } = require('worker_threads');

const memory = new WebAssembly.Memory({ initial: 256 });
const bytes = fs.readFileSync(path.join(__dirname, 'app.wasm'));

async function load() {
  const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
  return instance.exports;
}

function startWorker() {
  // Advice copied from a wiki: pass the wasm flags to the worker.
  return new Worker(path.join(__dirname, 'worker.js'), {
    execArgv: ['--no-wasm-tier-up', '--no-wasm-lazy-compilation'],
  });
}

module.exports = { load, startWorker };
