;; A side module: dylink.0 with memory info and needed libraries, plus a
;; subsection id wasmlint does not read (import info), which must be skipped.
(module
  (@dylink.0
    (mem-info (memory 1024 4) (table 3 1))
    (needed "libc.so" "libm.so")
    (import-info "env" "f" binding-weak))
  (import "env" "memory" (memory 0))
  (import "env" "__table_base" (global i32))
  (import "env" "f" (func)))
