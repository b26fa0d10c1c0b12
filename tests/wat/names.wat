;; $ids become a "name" custom section.
(module $named
  (func $first (param $x i32) (local $tmp i32))
  (func $second)
  (memory $heap 1)
  (global $counter (mut i32) (i32.const 0)))
