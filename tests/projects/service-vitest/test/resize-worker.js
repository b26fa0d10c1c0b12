import { parentPort } from "node:worker_threads";
import { readFile } from "node:fs/promises";
import { resize } from "../src/codec.js";

const input = await readFile(new URL("./fixtures/tiny.png", import.meta.url));
parentPort.postMessage(await resize(input, 16));
