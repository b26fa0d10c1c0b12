;; A defined memory without a maximum (growable without bound).
(module
  (memory (export "memory") 17))
