;; Tables: imported, funcref, externref, table64, and one with an initializer.
(module
  (type $f (func))
  (import "env" "__indirect_function_table" (table 4 funcref))
  (table 2 10 funcref)
  (table 1 externref)
  (table i64 3 7 funcref)
  (table 5 (ref $f) (ref.func $g))
  (func $g)
  (export "t" (table 1)))
