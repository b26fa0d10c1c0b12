;; producers, target_features, sourceMappingURL and DWARF-named custom sections.
(module
  (@producers
    (language "C11" "")
    (processed-by "clang" "19.1.0")
    (processed-by "wasm-opt" "118")
    (sdk "Emscripten" "3.1.61"))
  (@custom "target_features" "\03+\07atomics+\0fbulk-memory-opt-\07simd128")
  (@custom "sourceMappingURL" "\19https://example.com/a.map")
  (@custom ".debug_info" "\01\02\03\04")
  (@custom ".debug_line" "\05\06")
  (@custom "external_debug_info" "\08main.dbg")
  (memory 1))
