;; An Emscripten-style module whose start function checks what the JS glue
;; provides (the heap limit) and aborts when it gets 0: stub imports cannot
;; instantiate it, so the probe measures compile only.
(module
  (import "env" "memory" (memory 256 32768))
  (import "env" "emscripten_get_heap_max" (func $heap_max (result i32)))
  (import "env" "_abort_js" (func $abort))
  (func $init
    (if (i32.eqz (call $heap_max)) (then (call $abort) (unreachable))))
  (start $init)
  (func (export "main") (param i32 i32) (result i32) (i32.const 0)))
