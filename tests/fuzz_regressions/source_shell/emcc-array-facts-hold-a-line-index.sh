#!/bin/bash
# Modelled on ffmpeg.wasm build/ffmpeg-wasm.sh: one array, ST/MT variants.
EXPORT_NAME="createFFmpegCore"

CONF_FLAGS=(
  -I.
  -L$INSTALL_DIR/lib
  $LDFLAGS
  -sUSE_SDL=2                              # SDL port
  -sMODULARIZE                             # a factory function
  ${FFMPEG_MT:+ -sINITIAL_MEMORY=1024MB}   # no growth with threads
  ${FFMPEG_MT:+ -sPTHREAD_POOL_SIZE=32}    # 32 threads
  ${FFMPEG_ST:+ -sINITIAL_MEMORY=32MB -sALLOW_MEMORY_GROWTH} # grow when single-threaded
  -sEXPORT_NAME="$EXPORT_NAME"
  -sEXPORTED_FUNCTIONS=$(node src/bind/export.js)
  --pre-js src/bind/bind.js
  src/fftools/ffmpeg.c
)

emcc "${CONF_FLAGS[@]}" $@
