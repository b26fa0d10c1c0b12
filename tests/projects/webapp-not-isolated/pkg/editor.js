// wasm-bindgen output for bundlers (--target bundler, threads via wasm-bindgen-rayon):
// the bundler instantiates editor_bg.wasm; the glue only re-exports its functions.
import * as wasm from './editor_bg.wasm';

export function blur(radius) {
  wasm.blur(radius);
}

export function initThreadPool(threads) {
  return wasm.initThreadPool(threads);
}

export default async function init() {
  return wasm;
}
