(module
  (import "env" "memory" (memory 256 16384 shared))
  (func (export "solve") (param i32) (result i32) local.get 0))
