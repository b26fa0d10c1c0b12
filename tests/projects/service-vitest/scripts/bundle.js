import { build } from "esbuild";

await build({ entryPoints: ["src/server.js"], bundle: true, platform: "node", outdir: "dist" });
