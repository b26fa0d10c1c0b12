(module
  (memory (export "mem") 1)
  (func (export "h32") (param i32 i32 i32) (result i32)
    local.get 2)
  (func $sbrk (param i32) (result i32) (memory.grow (local.get 0)))  ;; its allocator grows the memory
)
