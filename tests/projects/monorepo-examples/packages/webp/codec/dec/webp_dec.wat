(module
  (memory (export "memory") 16)
  (func (export "decode") (param i32) (result i32) local.get 0)
  (func $sbrk (param i32) (result i32) (memory.grow (local.get 0)))  ;; its allocator grows the memory
)
