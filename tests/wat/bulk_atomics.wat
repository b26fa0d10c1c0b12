;; what Rust/C compiled with +bulk-memory,+atomics emits: memory.copy and atomic loads on a shared memory
(module
  (memory (export "memory") 1 1 shared)
  (func (export "copy") (param i32 i32 i32)
    (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "load") (param i32) (result i32)
    (i32.atomic.load (local.get 0))))
