"""Generate ``wasmlint/data/emscripten-settings.json`` from an Emscripten checkout.

    python scripts/gen_emscripten_settings.py /path/to/emscripten > wasmlint/data/emscripten-settings.json

Reads ``src/settings.js`` / ``src/settings_internal.js`` (``var NAME = VALUE;``)
and ``tools/settings.py`` (``LEGACY_SETTINGS``, ``DEPRECATED_SETTINGS``,
``MEM_SIZE_SETTINGS``) as data; nothing is executed. Each setting gets the
type emcc infers from its default (bool, int, float, str, list).
"""
from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

VAR = re.compile(r"^var ([A-Z0-9_]+)\s*=\s*(.*?);?\s*(//.*)?$")
UNTYPED = ("EXECUTABLE", "SUPPORT_LONGJMP", "PTHREAD_POOL_SIZE", "SEPARATE_DWARF", "LTO", "MODULARIZE")


def js_type(value: str) -> str:
    v = value.strip()
    if v in ("true", "false"):
        return "bool"
    if v.startswith("["):
        return "list"
    if v[:1] in "'\"":
        return "str"
    if re.fullmatch(r"-?\d+\.\d+", v):
        return "float"
    return "int"


def read_settings(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = VAR.match(line)
        if m:
            out[m.group(1)] = js_type(m.group(2))
    return out


def py_literal(source: str, name: str):
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit(f"{name} not found")


def main(root: str) -> None:
    base = Path(root)
    settings = read_settings(base / "src/settings.js")
    internal = read_settings(base / "src/settings_internal.js")
    tools = (base / "tools/settings.py").read_text(encoding="utf-8")
    legacy = {}
    for entry in py_literal(tools, "LEGACY_SETTINGS"):
        if len(entry) == 2:
            legacy[entry[0]] = {"renamed-to": entry[1]}
        else:
            legacy[entry[0]] = {"allowed": entry[1], "message": entry[2]}
    for name in UNTYPED:
        if name in settings:
            settings[name] = "any"
    version = (base / "emscripten-version.txt").read_text().strip().strip('"')
    json.dump({
        "emscripten": version,
        "settings": dict(sorted(settings.items())),
        "internal": sorted(internal),
        "legacy": legacy,
        "deprecated": py_literal(tools, "DEPRECATED_SETTINGS"),
        "memory-size": sorted(py_literal(tools, "MEM_SIZE_SETTINGS")),
    }, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
