const memory = new WebAssembly.Memory({ initial: 256, maximum: 16384, shared: true });
const { instance } = await WebAssembly.instantiateStreaming(fetch("../wasm/solver.wasm"), { env: { memory } });

self.onmessage = (event) => self.postMessage(instance.exports.solve(event.data.size));
