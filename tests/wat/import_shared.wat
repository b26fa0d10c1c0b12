;; Imported shared memory, as a threaded Emscripten or wasi-threads build has.
(module
  (import "env" "abort" (func $abort (param i32)))
  (import "env" "memory" (memory 256 256 shared))
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (func (export "run") i32.const 0 call $abort))
