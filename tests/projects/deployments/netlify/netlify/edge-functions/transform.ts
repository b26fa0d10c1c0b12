import type { Context } from "https://edge.netlify.com";
import photon from "./photon.wasm";

export default async (request: Request, context: Context) => {
  const instance = await WebAssembly.instantiate(photon, {});
  const resize = instance.exports.resize as (n: number) => number;
  return new Response(String(resize(1)));
};
