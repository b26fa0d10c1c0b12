(module
  (memory (export "memory") 16 16)
  (func (export "hash") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 31))))
