;; what the codec build exports: a growable 64 MiB memory and one entry point
(module
  (memory (export "memory") 1024)
  (func (export "encode") (param i32) (result i32) (local.get 0))
  (func $sbrk (param i32) (result i32) (memory.grow (local.get 0)))  ;; its allocator grows the memory
)
