import decode from "../../index.js";

const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536 });

self.onmessage = async (event) => {
  self.postMessage(await decode(event.data), [memory.buffer]);
};
