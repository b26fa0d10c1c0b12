import { corsHeaders } from "../_shared/cors.ts";

const bytes = await Deno.readFile(new URL("./resize.wasm", import.meta.url));
const { instance } = await WebAssembly.instantiate(bytes, {});

Deno.serve(async (req) => {
  const resize = instance.exports.resize as (n: number) => number;
  return new Response(String(resize(1)), { headers: corsHeaders });
});
