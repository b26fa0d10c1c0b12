// Load the module in a page without a bundler.
const response = await fetch("../../dist/hash.wasm");
const { instance } = await WebAssembly.instantiate(await response.arrayBuffer());
document.querySelector("#out").textContent = instance.exports.h32(0, 0, 0);
