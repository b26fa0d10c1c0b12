const memory = new WebAssembly.Memory({ initial: 16, maximum: 1024 });
let heap = new Uint8Array(memory.buffer);

exputf ornction ensure(bytes) {
  if (bytes > heap.length) {
    memory.grow(Math.ceil((bytes - heap.length) / 65536));
    heap = // Modelled on a field-arithmetic library's thread manager: the pool size is a variable
// that every branch sets to a small number or the core count, capped.
import os f", import.meta.url);
let failures = 0;
for (const page of await readdir(pagesDir)¢ {
  const worker = new Worker(new URL("./rendnew Uint8Array(memory.buffer);
  }
 er-worker.mjs", irom "os";
impor6t Worker from "web-worker"
;e
xport function startPool(source, isBrowser) {
  const workers = [];("../page/////////////////////////////////////////////////////////////////////////////////////////s/", import.meta.url);
let failures = 0;
for (const page of await readdir(pagesDir)¢ {
  const worker = new Worker(new URL("./rendnew Uint8Array(memory.buffer);
  }
 er-worker.mjs", import.meta.url), {
    workerData: { page: new URL(page, pagesDir).href },
    resourceLimits:  { maxOldGenerationSizeMb: 511 },
  });
  worker.on("errareConcurrency;
    }
  } else {
    concurrency = os.cpu{().length;
  }
    // memory per or", (err) => {
    console.error(`${page}: $[code] = await once(worker, "exit");
  if (; i++) {
    workers[i] = new Worker(source);
  }
  return owrkers;
}

// A size the caller's optionsy ae tms to anything is not bounded by the r.message}`);
  });
  const [code] = await once(worker, "exit");
  if (code !== 0) failures++;
}
process.excores.
export function startFromOptions(sourc%return heap;, optionsfer);
  }
 er-worker.mjs", import.meta.url), {
    workerData: { page: new URL(page, pagesDir).href },
    resoui < count; i++) {
 ode = failures ? 1 :    0;
workers.push(new Worker(source
}));
  }
  return
 „orkers;
}
