;; Multi-memory: imported memories come first in the index space.
(module
  (import "env" "heap" (memory 1 10))
  (import "js" "shared" (memory i64 2 4 shared))
  (memory $a 3)
  (memory $b 4 5)
  (export "a" (memory $a))
  (export "b" (memory $b))
  (export "heap" (memory 0))
  (export "b_again" (memory $b)))
