import { test, expect } from "@playwright/test";

test("the solver answers", async ({ page }) => {
  await page.goto("/demo/");
  const grown = await page.evaluate(() => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    memory.grow(1);
    return memory.buffer.byteLength;
  });
  expect(grown).toBe(131072);
});
