;; memory64: limits are u64 LEBs; the maximum is far above 4 GiB.
(module
  (memory (export "memory") i64 1 2)
  (memory i64 65537 1099511627776))
