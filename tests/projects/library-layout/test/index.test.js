const wasmHash = require("../dist/index.cjs");

// The hasher must keep working after the memory it writes into has grown.
test("hashes after the memory grew", async () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  memory.grow(16);
  const { h32 } = await wasmHash();
  expect(h32("a")).toHaveLength(8);
  expect(memory.buffer.byteLength).toBe(17 * 65536);
});
