const bytes = await Deno.readFile(new URL("./blake3.wasm", import.meta.url));
const { instance } = await WebAssembly.instantiate(bytes, {});

export async function digest(text: string): Promise<string> {
  const run = instance.exports.run as (n: number) => number;
  return String(run(text.length));
}
