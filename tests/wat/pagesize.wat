;; custom-page-sizes proposal: a 1-byte page size (log2 0).
(module
  (memory 1 2 (pagesize 1))
  (memory 3 (pagesize 65536)))
