"""Generate ``wasmlint/data/emscripten-settings.json`` from an Emscripten checkout.

    python scripts/gen_emscripten_settings.py /path/to/emscripten > wasmlint/data/emscripten-settings.json

With ``--history GIT_DIR`` (the checkout's git directory), each legacy setting that emcc now rejects (``allowed`` values) gets
``removed-in``: the first release tag (``X.Y.Z``, from 1.38.28, where the table is
readable) whose ``LEGACY_SETTINGS`` lists it with allowed values; earlier releases
took any value. A setting emcc warned about as deprecated before its removal
(``DEPRECATED_SETTINGS``, or the driver's ``'X is deprecated'`` warning) also gets
``deprecated-since`` (the first release that warned) and ``deprecated-message`` (the
latest warning text): releases from that one up to ``removed-in`` accept it with a
warning. A renamed setting whose new name came after 1.38.28 gets ``renamed-to-since``:
the first release whose ``src/settings.js`` defines the new name.
Read with ``git show TAG:path``; nothing is checked out or run.

Reads ``src/settings.js`` / ``src/settings_internal.js`` (``var NAME = VALUE;``)
and ``tools/settings.py`` (``LEGACY_SETTINGS``, ``DEPRECATED_SETTINGS``,
``MEM_SIZE_SETTINGS``, ``COMPILE_TIME_SETTINGS``) as data; nothing is executed. Each setting gets the
type emcc infers from its default (bool, int, float, str, list).
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
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


def py_set(source: str, name: str) -> set[str]:
    """A set literal, or ``{…}.union(OTHER, …)`` of set literals named in the same file."""
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            value = node.value
            if isinstance(value, ast.Call) and getattr(value.func, "attr", None) == "union":
                out = set(ast.literal_eval(value.func.value))
                for arg in value.args:
                    out |= py_set(source, arg.id) if isinstance(arg, ast.Name) else set(ast.literal_eval(arg))
                return out
            return set(ast.literal_eval(value))
    raise SystemExit(f"{name} not found")


ENTRY = re.compile(r"\[\s*['\"]([A-Z0-9_]+)['\"]\s*,\s*\[")
VAR_NAME = re.compile(r"^var ([A-Z0-9_]+)\s*=", re.M)
FIRST_READABLE = (1, 38, 28)


def _show(root: Path, tag: str, path: str) -> str:
    out = subprocess.run(["git", "--git-dir", str(root), "show", f"{tag}:{path}"], capture_output=True, text=True)
    return out.stdout if out.returncode == 0 else ""


def warned_deprecated(source: str) -> dict[str, str]:
    """``diagnostics.warning('deprecated', 'NAME is deprecated, please use X instead')``
    calls of emcc's driver (before ``DEPRECATED_SETTINGS`` held them): NAME → the message
    after it."""
    if "'deprecated'" not in source:
        return {}
    try:
        tree = ast.parse(source)
    except SyntaxError:       # a Python 2 release
        return {}
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "warning" and len(node.args) == 2 \
                and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args) \
                and node.args[0].value == "deprecated":
            setting, _, rest = node.args[1].value.partition(" is deprecated")
            if rest and re.fullmatch(r"[A-Z][A-Z0-9_]+", setting):
                out[setting] = rest.lstrip(" ,;:")
    return out


def history(root: Path) -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, str]], dict[str, str]]:
    """Legacy setting → the first release whose LEGACY_SETTINGS fixes its values; setting
    → the first release whose ``src/settings.js`` defines it (None: the first readable one
    does already); setting → (first release that warns it is deprecated, its latest
    message); and setting → the first release whose ``src/settings.js`` no longer defines
    it, after one that did (a setting dropped without a LEGACY_SETTINGS entry)."""
    listed = subprocess.run(["git", "--git-dir", str(root), "tag"], capture_output=True, text=True).stdout.split()
    tags = sorted((tuple(map(int, t.split("."))) for t in listed if re.fullmatch(r"\d+\.\d+\.\d+", t)))
    first: dict[str, str] = {}
    introduced: dict[str, str | None] = {}
    seen: set[str] = set()
    deprecated: dict[str, tuple[str, str]] = {}
    dropped: dict[str, str] = {}
    defined: set[str] = set()
    for tag in (t for t in tags if t >= FIRST_READABLE):
        name = ".".join(map(str, tag))
        before = defined
        tools = _show(root, name, "tools/settings.py")
        for text in (tools, _show(root, name, "src/settings.js")):
            start = text.find("LEGACY_SETTINGS = [")
            if start >= 0:
                table = text[start:text.find("\n]", start)]
                for m in ENTRY.finditer(table):
                    first.setdefault(m.group(1), name)
                break
        defined = set(VAR_NAME.findall(_show(root, name, "src/settings.js"))) or before    # unreadable: as before
        for setting in before - defined:
            dropped[setting] = name
        for setting in defined:
            dropped.pop(setting, None)      # defined again (or still): not dropped
        for setting in defined - seen:
            introduced.setdefault(setting, None if not seen else name)   # None: before the first readable
        seen |= defined
        found = py_literal(tools, "DEPRECATED_SETTINGS") if "DEPRECATED_SETTINGS = {" in tools else {}
        for path in ("emcc.py", "tools/link.py"):
            found = {**warned_deprecated(_show(root, name, path)), **found}
        for setting, message in found.items():
            deprecated[setting] = (deprecated.get(setting, (name,))[0], message)
    return first, introduced, deprecated, dropped


def _key(version: str) -> tuple[int, ...]:
    return tuple(map(int, version.split(".")))


def main(root: str, history_dir: str | None = None) -> None:
    base = Path(root)
    settings = read_settings(base / "src/settings.js")
    internal = read_settings(base / "src/settings_internal.js")
    tools = (base / "tools/settings.py").read_text(encoding="utf-8")
    legacy = {}
    since, introduced, deprecated, dropped = history(Path(history_dir)) if history_dir else ({}, {}, {}, {})
    for entry in py_literal(tools, "LEGACY_SETTINGS"):
        if len(entry) == 2:
            legacy[entry[0]] = {"renamed-to": entry[1]}
            if introduced.get(entry[1]):
                legacy[entry[0]]["renamed-to-since"] = introduced[entry[1]]
        else:
            legacy[entry[0]] = {"allowed": entry[1], "message": entry[2]}
            if entry[0] in since:
                legacy[entry[0]]["removed-in"] = since[entry[0]]
                if entry[0] in deprecated and _key(deprecated[entry[0]][0]) < _key(since[entry[0]]):
                    legacy[entry[0]]["deprecated-since"], legacy[entry[0]]["deprecated-message"] = deprecated[entry[0]]
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
        "compile-time": sorted(py_set(tools, "COMPILE_TIME_SETTINGS")),
        # settings dropped without a LEGACY_SETTINGS entry → the first release that rejects them
        "removed": {n: v for n, v in sorted(dropped.items())
                    if n not in settings and n not in internal and n not in legacy},
    }, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[3] if sys.argv[2:3] == ["--history"] else None)
