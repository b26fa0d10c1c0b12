;; What emcc writes for the link above: growth on, maximum at emcc's default 2 GiB.
(module
  (memory (export "memory") 256 32768)
  (func (export "step") (param i32) (result i32) local.get 0)
  (func (export "_initialize"))
  (func $sbrk (param i32) (result i32) (memory.grow (local.get 0)))  ;; its allocator grows the memory
)
