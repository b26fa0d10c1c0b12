import sqlite from "./sqlite3.wasm";

export default {
  async fetch(): Promise<Response> {
    const instance = await WebAssembly.instantiate(sqlite, {});
    return new Response(String((instance.exports.version as () => number)()));
  },
};
