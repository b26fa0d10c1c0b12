#!/usr/bin/env zxWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW/common.c', 'falcon/slat();

cd('native');
await $`emcc `;
