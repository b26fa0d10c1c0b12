;; an Emscripten pthreads build (-pthread -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=1GB):
;; the memory is imported, shared, and may grow to 16384 pages
(module (import "env" "memory" (memory 256 16384 shared)))
