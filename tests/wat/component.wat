;; A component-model binary: version 0x0d, layer 1. Not parsed further.
(component
  (core module (memory 1)))
