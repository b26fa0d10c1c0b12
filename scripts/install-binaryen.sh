#!/usr/bin/env bash
# Install binaryen's wasm-opt for `wasmlint check --deep` (WL507) and its tests.
#
# The npm package `binaryen` ships wasm-opt as JavaScript + WebAssembly that runs
# on node (which `wasmlint probe` needs anyway), with a version pinned here so
# WL507's fixture messages are stable. Debian's `binaryen` (bookworm: version 108)
# cannot read modules that use relaxed SIMD or exnref; wasmlint reports that as
# WL003 when it is the wasm-opt found.
set -euo pipefail
VERSION="${BINARYEN_VERSION:-132.0.0}"
MAJOR="${VERSION%%.*}"
if command -v wasm-opt >/dev/null 2>&1 && wasm-opt --version 2>/dev/null | grep -q "version ${MAJOR}\b"; then
  echo "wasm-opt: $(wasm-opt --version)"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
npm install --global --no-audit --no-fund "binaryen@${VERSION}"
echo "wasm-opt: $(wasm-opt --version)"
