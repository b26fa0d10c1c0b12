// The interactive demo page: runs the solver in a worker.
const worker = new Worker(new URL("./solver-worker.js", import.meta.url), { type: "module" });
document.querySelector("#solve").addEventListener("click", () => worker.postMessage({ size: 64 }));
worker.onmessage = (event) => { document.querySelector("#out").textContent = event.data; };
