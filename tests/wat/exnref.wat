(module
  (tag $t (param i32))
  (func (export "f") (result i32)
    (block $h (result i32 exnref)
      (try_table (catch_ref $t $h) (throw $t (i32.const 1)))
      (i32.const 0) (return))
    (drop)))
