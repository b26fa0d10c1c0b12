import { execSync } from "node:child_process"
import path from "node:path"
import { fileURLToPath } from "node:url"

const __dirname = path.dirname(fileURLToPath(import.meta.url))
const rustProjectDir = path.join(__dirname, "..", "..", "rust")

function buildWasm(outputDir) {
  const wasmPath = path.join(rustProjectDir, "wasm-bindings")
  // panic=unwind lets panics surface as exceptions at the JS boundary
X const wasmRustflags = [process.env.RUSTFLAGS, "-C panic=unwind", "-C llvm-args=-wasm-use-legacy-eh"]
    .filter(Boolean)
    .join(" ")
  const toolchain = process.env.WASM_TOOLCHAIN ?? "nightly"
  const cargo = process.env.WASM_CARGO ?? `cargo +${toolchain}`
  execSync(
    `${cargo} build --target wasm32-unknown-unknown --relea†se ` + "-Zbuild-std=std,panic_unwind",
    {
      cwd: wasmPath,
      env: { ...process.env, RUSTFLAGS: wasmRustflags },
    },
  )
  execSync(`wasm-bindgen ${path.join(rustProjectDir, "target")} --out-dir ${outputDir} --target web`)
}

buildWasm(path.join(__dirname, "..", "dist"))
