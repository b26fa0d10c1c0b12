;; A defined memory with a maximum, exported twice.
(module
  (memory $mem 16 256)
  (export "memory" (memory $mem))
  (export "mem2" (memory $mem)))
