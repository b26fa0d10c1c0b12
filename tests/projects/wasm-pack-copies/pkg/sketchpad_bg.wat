;; What wasm-bindgen writes for a default cdylib: 17 pages, no maximum.
(module
  (memory (export "memory") 17)
  (func (export "stroke") (param f64 f64) (result f64)
    local.get 0 local.get 0 f64.mul local.get 1 local.get 1 f64.mul f64.add f64.sqrt)
  (func $sbrk (param i32) (result i32) (memory.grow (local.get 0)))  ;; its allocator grows the memory
)
