// wasmlint probe harness: one measurement per node process.
// Usage: node [FLAGS] harness.mjs < request.json ; prints one JSON object on stdout.
// Request: {"mode": "info" | "run" | "workers" | "alloc", ...} (see wasmlint/probe/runner.py).
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";

const ZERO = { i32: 0, f32: 0, f64: 0, i64: 0n };
const zero = (t) => (t in ZERO ? ZERO[t] : null);

function limits(imp) {
  const big = imp.memory64 || imp.table64;
  const n = (v) => (big ? BigInt(v) : v);
  const d = { initial: n(imp.initial) };
  if (imp.maximum !== null && imp.maximum !== undefined) d.maximum = n(imp.maximum);
  if (big) d.address = "i64";
  return d;
}

// Stubs from the import plan: functions return zero values of their result types;
// memories, tables, globals and tags are created from the import's own types.
function stub(imp) {
  switch (imp.kind) {
    case "func": {
      const r = imp.results;
      if (r.length === 0) return () => undefined;
      if (r.length === 1) { const z = zero(r[0]); return () => z; }
      return () => r.map(zero);
    }
    case "memory": return new WebAssembly.Memory({ ...limits(imp), shared: imp.shared });
    case "table": return new WebAssembly.Table({ ...limits(imp), element: imp.element === "externref" ? "externref" : "anyfunc" });
    case "global": return new WebAssembly.Global({ value: imp.type, mutable: imp.mutable }, zero(imp.type));
    case "tag": return new WebAssembly.Tag({ parameters: imp.params });
    default: throw new TypeError(`cannot stub an import of kind ${imp.kind}`);
  }
}

function stubImports(plan) {
  const out = {};
  for (const imp of plan) (out[imp.module] ??= {})[imp.name] = stub(imp);
  return out;
}

const argValue = (a) => (a.type === "i64" ? BigInt(a.value) : Number(a.value));
const errorText = (e) => `${e && e.name ? e.name + ": " : ""}${e && e.message ? e.message : String(e)}`;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function uleb(n) {
  const out = [];
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n);
  return out;
}

// The module plus a custom section unique to this worker, so V8's process-wide
// native-module cache cannot let one worker's compile serve another.
function uniqueBytes(bytes, label) {
  const enc = new TextEncoder();
  const name = enc.encode("wasmlint-probe");
  const payload = enc.encode(label);
  const body = [...uleb(name.length), ...name, ...payload];
  return Buffer.concat([bytes, Uint8Array.from([0, ...uleb(body.length), ...body])]);
}

// compile → instantiate with stubs → first call → steady calls; each step timed.
function measure(req, bytes, compiled) {
  const out = { compile_ms: null, instantiate_ms: null, instantiate_error: null,
                first_call_ms: null, call_ms: null, call_error: null };
  let t = performance.now();
  const mod = compiled ?? new WebAssembly.Module(bytes);
  if (!compiled) out.compile_ms = performance.now() - t;
  if (!req.instantiate) return out;
  let inst;
  try {
    const imports = stubImports(req.imports);
    t = performance.now();
    inst = new WebAssembly.Instance(mod, imports);
    out.instantiate_ms = performance.now() - t;
  } catch (e) {
    out.instantiate_error = errorText(e);
    return out;
  }
  if (!req.call) return out;
  const fn = inst.exports[req.call.name];
  const args = req.call.args.map(argValue);
  try {
    t = performance.now();
    fn(...args);
    out.first_call_ms = performance.now() - t;
    const times = [];
    for (let i = 0; i < (req.calls ?? 0); i++) {
      t = performance.now();
      fn(...args);
      times.push(performance.now() - t);
    }
    if (times.length) out.call_ms = median(times.slice(times.length >> 1));
  } catch (e) {
    out.call_error = errorText(e);
  }
  return out;
}

function statusBytes(field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch { return null; }
}

const vmSizeBytes = () => statusBytes("VmSize");

function allocate(req) {
  const before = vmSizeBytes();
  try {
    const desc = { initial: req.pages, maximum: req.pages };
    if (req.shared) desc.shared = true;
    const mem = new WebAssembly.Memory(desc);
    const after = vmSizeBytes();
    return { ok: mem.buffer.byteLength === req.pages * 65536,
             reserved_bytes: before !== null && after !== null ? after - before : null, error: null };
  } catch (e) {
    return { ok: false, reserved_bytes: null, error: errorText(e) };
  }
}

// Under a target's memory: instantiate on the main thread, then in `count` workers that
// stay alive, writing every page of each memory, then grow the main instance's memory to
// its maximum. Each step is printed as its own line at once, so a process that dies
// (V8's "out of memory" abort) still leaves the steps it finished.
function memoryOf(inst, imports) {
  const own = Object.values(inst.exports).find((v) => v instanceof WebAssembly.Memory);
  if (own) return own;
  for (const ns of Object.values(imports)) {
    const m = Object.values(ns).find((v) => v instanceof WebAssembly.Memory);
    if (m) return m;
  }
  return null;
}

function touch(mem) {
  if (!mem || mem.buffer instanceof SharedArrayBuffer) return;
  const view = new Uint8Array(mem.buffer);
  for (let i = 0; i < view.length; i += 4096) view[i] = 1;
}

function holdInstance(req, module) {
  const imports = stubImports(req.imports);
  const inst = new WebAssembly.Instance(module, imports);
  touch(memoryOf(inst, imports));
  return { inst, imports };
}

// each step with the private writable memory (VmData, what RLIMIT_DATA counts) after it
function step(s) { process.stdout.write(JSON.stringify({ step: { ...s, vm_data: statusBytes("VmData") } }) + "\n"); }

async function underTarget(req, bytes) {
  step({ name: "node started", ok: true });
  const module = new WebAssembly.Module(bytes);
  let held;
  try {
    held = holdInstance(req, module);
    step({ name: "instantiate on the main thread", ok: true });
  } catch (e) {
    step({ name: "instantiate on the main thread", ok: false, error: errorText(e) });
    return {};
  }
  const url = new URL(import.meta.url);
  const workers = [];
  for (let i = 0; i < req.count; i++) {
    const name = `instantiate in worker ${i + 1} of ${req.count}`;
    try {
      const w = new Worker(url, { workerData: { hold: true, req } });
      workers.push(w);
      const r = await new Promise((res) => {
        w.once("message", res);
        w.once("error", (e) => res({ error: errorText(e) }));
        w.postMessage({ module });
      });
      step({ name, ok: !r.error, error: r.error ?? null });
      if (r.error) break;
    } catch (e) {
      step({ name, ok: false, error: errorText(e) });
      break;
    }
  }
  const mem = memoryOf(held.inst, held.imports);
  const max = req.maximum;
  if (mem && max !== null && max !== undefined) {
    const have = mem.buffer.byteLength / 65536;
    const name = `grow the main thread's memory from ${have} to its maximum of ${max} pages`;
    try {
      if (max > have) mem.grow(max - have);
      touch(mem);
      step({ name, ok: true });
    } catch (e) {
      step({ name, ok: false, error: errorText(e), pages: mem.buffer.byteLength / 65536 });
    }
  }
  await Promise.all(workers.map((w) => w.terminate()));
  return {};
}

// Workers: each waits for "go" (so they start together), runs the job, reports its time.
function workerMain() {
  if (workerData.hold) {
    parentPort.once("message", (msg) => {
      try {
        globalThis.held = holdInstance(workerData.req, msg.module);
        parentPort.postMessage({ error: null });
      } catch (e) {
        parentPort.postMessage({ error: errorText(e) });
      }
    });
    return;
  }
  parentPort.once("message", (msg) => {
    const { req, bytes } = workerData;
    const t = performance.now();
    const r = measure({ ...req, calls: 0 }, bytes, msg.module);
    parentPort.postMessage({ ms: performance.now() - t, error: r.instantiate_error || r.call_error });
  });
  parentPort.postMessage("ready");
}

async function runWorkers(req, bytes) {
  const n = req.count;
  let module = null;
  let sharedCompileMs = null;
  const sources = [];
  for (let i = 0; i < n; i++) sources.push(uniqueBytes(bytes, `${process.pid}-${i}-${req.nonce}`));
  if (req.shared) {
    const t = performance.now();
    module = new WebAssembly.Module(sources[0]);
    sharedCompileMs = performance.now() - t;
  }
  const url = new URL(import.meta.url);
  const workers = sources.map((b) => new Worker(url, { workerData: { req, bytes: req.shared ? null : b } }));
  await Promise.all(workers.map((w) => new Promise((res, rej) => {
    w.once("message", res); w.once("error", rej);
  })));
  const t0 = performance.now();
  const results = await Promise.all(workers.map((w) => new Promise((res, rej) => {
    w.once("message", res); w.once("error", rej);
    w.postMessage({ module });
  })));
  const wall = performance.now() - t0;
  await Promise.all(workers.map((w) => w.terminate()));
  return { per_worker_ms: results.map((r) => r.ms), wall_ms: wall, shared_compile_ms: sharedCompileMs,
           error: results.map((r) => r.error).find(Boolean) ?? null };
}

async function main() {
  const req = JSON.parse(readFileSync(0, "utf8"));
  const info = { node: process.version, v8: process.versions.v8, cores: availableParallelism() };
  let out;
  if (req.mode === "info") out = {};
  else if (req.mode === "alloc") out = allocate(req);
  else if (req.mode === "target") out = await underTarget(req, readFileSync(req.module));
  else {
    const bytes = readFileSync(req.module);
    out = req.mode === "workers" ? await runWorkers(req, bytes) : measure(req, bytes, null);
  }
  process.stdout.write(JSON.stringify({ ...info, ...out }) + "\n");
}

if (isMainThread) {
  main().catch((e) => {
    process.stdout.write(JSON.stringify({ fatal: errorText(e) }) + "\n");
    process.exitCode = 1;
  });
} else {
  workerMain();
}
