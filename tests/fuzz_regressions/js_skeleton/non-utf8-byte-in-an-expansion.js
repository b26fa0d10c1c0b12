import { execSync } from "node:child_process"
execSync("x=$ÿ; emcc a.c -o a.js $x -sINITIAL_MEMORY=65536")
