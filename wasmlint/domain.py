"""The words of what wasmlint reads in a script or a launch file: the programs (node
and its launchers, package managers, emcc and its wrappers, cargo, wasm tools, docker),
``NODE_OPTIONS``, ``EMCC_CFLAGS``/``RUSTFLAGS`` and emcc's ``-s`` settings.

A file whose text names none of them hides no fact behind a syntax error (a native
build script's, a vendored CI script's, a scratch debug pod's), so its syntax error is
the business of that language's own linter, not a WL001 of ours."""
from __future__ import annotations

import re

DOMAIN = re.compile(r"\b(node|nodejs|npm|npx|yarn|pnpm|bun|deno|pm2|tsx|ts-node|NODE_OPTIONS|emcc|em\+\+|"
                    r"emcmake|emmake|emconfigure|emsdk|EMCC_CFLAGS|wasm[\w-]*|cargo|rustc|RUSTFLAGS|tinygo|"
                    r"wasmtime|wasmer|docker|podman|zig|wasi\w*)\b|-s ?[A-Z][A-Z0-9_]+\b")


def names_domain(text: str) -> bool:
    return DOMAIN.search(text) is not None
