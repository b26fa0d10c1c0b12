(module (import "env" "memory" (memory 2048 32768 shared)))
