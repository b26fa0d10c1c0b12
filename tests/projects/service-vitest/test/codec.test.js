import { describe, expect, it } from "vitest";
import { Worker } from "node:worker_threads";

describe("codec in a worker", () => {
  it("resizes off the main thread", async () => {
    const worker = new Worker(new URL("./resize-worker.js", import.meta.url), {
      execArgv: ["--no-wasm-tier-up"],
    });
    const result = await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    expect(result.byteLength).toBeGreaterThan(0);
    await worker.terminate();
  });
});
