const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
worker.postMessage(await (await fetch("./example.webp")).arrayBuffer());
worker.onmessage = (event) => console.log(event.data);
