"""CMake presets (cmake-presets(7)): what ``cmake --preset NAME`` configures with.

A configure preset passes its ``cacheVariables`` as ``-D`` entries and its ``toolchainFile``
as ``CMAKE_TOOLCHAIN_FILE``. What it does not set it takes from the presets it ``inherits``:
of several parents the earlier one wins, and a cache variable set to ``null`` is not set even
where a parent sets it. ``hidden`` is a preset's own (a template a user cannot run). A
preset is an Emscripten configure when its toolchain file is Emscripten.cmake, directly or
chainloaded by vcpkg's (``VCPKG_CHAINLOAD_TOOLCHAIN_FILE``). Macros (``${sourceDir}``,
``$env{EMSDK}``) are kept as written: only the toolchain file's name and emcc's flags are
read from values. Parents in another file (``include``, CMakeUserPresets.json inheriting
CMakePresets.json) are not followed: their entries are unknown, not empty.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache

from .. import budget

TOOLCHAIN_ENTRIES = ("CMAKE_TOOLCHAIN_FILE", "VCPKG_CHAINLOAD_TOOLCHAIN_FILE")
MAX_DEPTH = 32       # inherits chains deeper than cmake's users write: left unresolved


@dataclass
class Preset:
    name: str
    name_node: object                   # the JNode of its "name" value
    hidden: bool = False
    toolchain_file: object | None = None     # the JNode of its toolchainFile (its own or inherited)
    cache: dict = field(default_factory=dict)    # name → the JNode of its value (None: unset)
    complete: bool = True               # every parent was found in the file

    @property
    def emscripten(self) -> bool:
        return any(_is_emscripten(n) for n in (self.toolchain_file, *map(self.cache.get, TOOLCHAIN_ENTRIES)))


def configure_presets(root) -> list[Preset]:
    """The file's configure presets, each with what it inherits."""
    items = root.get("configurePresets") if root.type == "object" else None
    raw: dict = {}
    for node in items.items if items is not None and items.type == "array" else ():
        name = node.get("name") if node.type == "object" else None
        if name is not None and name.str_value() and name.str_value() not in raw:
            raw[name.str_value()] = node
    done: dict[str, Preset | None] = {}
    return [p for n in raw if (p := _resolve(n, raw, done, 0)) is not None]


def _resolve(name: str, raw: dict, done: dict, depth: int) -> Preset | None:
    """``name`` with its parents' entries; None for a name not in the file, a cycle or a
    chain past ``MAX_DEPTH`` (each preset is resolved once: a file of presets that each
    inherit every earlier one costs one merge per parent, not a walk per path)."""
    if name in done:
        return done[name]
    node = raw.get(name)
    if node is None or depth > MAX_DEPTH:
        return None
    done[name] = None                   # a cycle back to it finds no preset
    parents = node.get("inherits")
    names = [parents.str_value()] if parents is not None and parents.type == "string" else \
        [p.str_value() for p in parents.items if p.str_value()] if parents is not None and parents.type == "array" else []
    preset = Preset(name, node.get("name"), hidden=node.get("hidden") is not None and node.get("hidden").value is True)
    for parent in reversed(names):      # the earlier parent wins: merged last
        found = _resolve(parent, raw, done, depth + 1)
        if found is None:
            preset.complete = False
            continue
        budget.charge(len(found.cache) + 1, "inherited preset entries")
        preset.toolchain_file = found.toolchain_file or preset.toolchain_file
        preset.cache.update(found.cache)
        preset.complete = preset.complete and found.complete
    cache = node.get("cacheVariables")
    for key, value in cache.pairs if cache is not None and cache.type == "object" else ():
        if value.type == "object":      # {"type": "FILEPATH", "value": "…"}
            value = value.get("value")
        preset.cache[key.value] = None if value is None or value.type == "null" else value
    own = node.get("toolchainFile")
    preset.toolchain_file = own if own is not None and own.str_value() else preset.toolchain_file
    done[name] = preset
    return preset


def _is_emscripten(node) -> bool:
    text = node.str_value() if node is not None else None
    return bool(text) and text.replace("\\", "/").rsplit("/", 1)[-1] == "Emscripten.cmake"


PRESET_FILES = ("CMakePresets.json", "CMakeUserPresets.json")     # cmake --preset reads both


def preset_argv(project, rel_dir: str, argv: list) -> list:
    """``cmake --preset NAME`` (``--preset=NAME``) as cmake runs it: the preset's cache
    entries and toolchain file as ``-D`` arguments after ``cmake`` (the presets of the
    CMakeLists' folder or the nearest folder above holding them); ``argv`` as it is when
    it names no preset, or one the project's files do not hold."""
    from .project_files import folders_up
    from .pstr import PStr, Tok
    words = [t.text.text for t in argv]
    name = next((w.split("=", 1)[1] for w in words if w.startswith("--preset=")), None)
    if name is None and "--preset" in words[:-1]:
        name = words[words.index("--preset") + 1]
    if not name or name.startswith("-"):
        return argv
    for folder in folders_up(rel_dir):
        presets = _presets_of(project, folder)
        if presets:
            found = presets.get(name)
            if found is None:
                return argv
            entries = {k: v.str_value() for k, v in found.cache.items() if v is not None and v.str_value() is not None}
            if found.toolchain_file is not None:
                entries["CMAKE_TOOLCHAIN_FILE"] = found.toolchain_file.str_value()
            index = argv[0].index
            return argv[:1] + [Tok(PStr.synth(f"-D{k}={v}"), index) for k, v in entries.items()] + argv[1:]
    return argv


def _presets_of(project, folder: str) -> dict:
    out: dict = {}
    for file in PRESET_FILES:
        text = project.read(posixpath.normpath(posixpath.join(folder, file)))
        for name, preset in (_parsed(text) if text is not None else {}).items():
            out.setdefault(name, preset)
    return out


@lru_cache(maxsize=16)
def _parsed(text: str) -> dict:
    """A presets file's configure presets by name, parsed once (every CMake file's
    configure lines ask for them)."""
    from .. import jsonpos
    try:
        return {p.name: p for p in configure_presets(jsonpos.parse(text))}
    except jsonpos.JsonPosError:
        return {}
