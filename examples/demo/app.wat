;; The demo module: a growable memory (no maximum) and a small kernel.
;; Rebuild app.wasm with: wasm-tools parse app.wat -o app.wasm
(module
  (memory (export "memory") 256)
  (func (export "run") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc)))
