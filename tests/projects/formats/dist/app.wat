;; a single-threaded build that grows its memory from 17 pages, without a maximum
(module (memory (export "memory") 17))
