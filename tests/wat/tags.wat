;; Exception-handling tags, imported and defined.
(module
  (import "env" "exc" (tag $e0 (param i32)))
  (tag $e1 (param i64 f64))
  (tag $e2)
  (export "e1" (tag $e1)))
