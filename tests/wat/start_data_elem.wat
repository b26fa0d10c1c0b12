;; Start function, active and passive data and element segments; data.drop
;; makes the encoder emit a datacount section.
(module
  (memory 1)
  (table 4 funcref)
  (data (i32.const 0) "hello")
  (data "passive")
  (data (i32.const 16) "")
  (elem (i32.const 0) $init $other)
  (elem func $other)
  (func $init data.drop 1)
  (func $other)
  (start $init))
