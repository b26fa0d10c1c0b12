(module
  (memory (export "mem") 1)
  (func (export "h32") (param i32 i32 i32) (result i32)
    local.get 2))
