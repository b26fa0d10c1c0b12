"""Where a loader's bytes come from when it builds the path from its own location
(``wasmlint.js.filepaths``): the ``source`` of its compile fact, relative to the module."""
from __future__ import annotations

import pytest

from wasmlint.sources import SourceFile
from wasmlint.sources.js import extract

HERE_ESM = "import path from 'node:path';\nimport { fileURLToPath } from 'node:url';\nimport fs from 'node:fs';\n"


def source_of(text: str, path: str = "src/load.mjs") -> str | None:
    compiles = [f for f in extract(SourceFile(path, "js", text.encode())) if f.kind == "js-wasm-compile"]
    assert len(compiles) == 1
    return compiles[0].source


@pytest.mark.parametrize("text,expected", [
    ("const fs = require('fs'), path = require('path');\n"
     "WebAssembly.instantiate(fs.readFileSync(path.join(__dirname, '..', 'dist', 'a.wasm')), {});", "../dist/a.wasm"),
    (HERE_ESM + "const here = path.dirname(fileURLToPath(import.meta.url));\n"
     "WebAssembly.instantiate(fs.readFileSync(path.join(here, '..', 'dist', 'app.wasm')), {});", "../dist/app.wasm"),
    (HERE_ESM + "WebAssembly.instantiate(fs.readFileSync(path.join(import.meta.dirname, '../pkg/x_bg.wasm')));",
     "../pkg/x_bg.wasm"),
    (HERE_ESM + "const p = fileURLToPath(new URL('../dist/x.wasm', import.meta.url));\n"
     "WebAssembly.instantiate(fs.readFileSync(p));", "../dist/x.wasm"),
    (HERE_ESM + "const dir = fileURLToPath(new URL('.', import.meta.url));\n"
     "WebAssembly.instantiate(fs.readFileSync(dir + 'build/optimized.wasm'));", "./build/optimized.wasm"),
    (HERE_ESM + "const p = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'wasm', 'core.wasm');\n"
     "WebAssembly.compile(fs.readFileSync(p));", "./wasm/core.wasm"),
    (HERE_ESM + "WebAssembly.instantiate(fs.readFileSync(`${path.dirname(fileURLToPath(import.meta.url))}/f.wasm`));",
     "./f.wasm"),
])
def test_a_path_built_from_the_module_folder_is_relative_to_the_module(text, expected):
    assert source_of(text) == expected


def test_a_path_from_an_unknown_folder_is_not_made_relative():
    text = HERE_ESM + "WebAssembly.instantiate(fs.readFileSync(path.join(process.cwd(), 'dist', 'a.wasm')));"
    assert source_of(text) != "./dist/a.wasm"
