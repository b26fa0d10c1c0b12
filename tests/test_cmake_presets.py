"""CMake presets resolved as cmake-presets(7) says: parents' entries inherited, the earlier
parent winning, ``null`` unsetting an inherited entry, ``hidden`` a preset's own."""
from __future__ import annotations

import json

from wasmlint import jsonpos
from wasmlint.toolchain.cmake_presets import configure_presets

EMSCRIPTEN = "/emsdk/upstream/emscripten/cmake/Modules/Platform/Emscripten.cmake"


def _presets(*presets) -> dict:
    root = jsonpos.parse(json.dumps({"version": 6, "configurePresets": list(presets)}))
    return {p.name: p for p in configure_presets(root)}


def _cache(preset) -> dict:
    return {k: (v.plain() if v is not None else None) for k, v in preset.cache.items()}


def test_the_earlier_parent_wins_and_the_preset_own_entries_win_over_both():
    got = _presets({"name": "a", "cacheVariables": {"X": "a", "Y": "a"}},
                   {"name": "b", "cacheVariables": {"X": "b", "Z": "b"}},
                   {"name": "c", "inherits": ["a", "b"], "cacheVariables": {"Y": "c"}})
    assert _cache(got["c"]) == {"X": "a", "Y": "c", "Z": "b"}
    assert got["c"].complete


def test_a_null_entry_is_not_set_though_a_parent_sets_it():
    got = _presets({"name": "a", "cacheVariables": {"CMAKE_CXX_FLAGS": "-pthread"}},
                   {"name": "b", "inherits": "a", "cacheVariables": {"CMAKE_CXX_FLAGS": None}})
    assert _cache(got["b"]) == {"CMAKE_CXX_FLAGS": None}


def test_typed_entries_give_their_value():
    got = _presets({"name": "a", "cacheVariables": {"OPT": {"type": "BOOL", "value": "OFF"}}})
    assert _cache(got["a"]) == {"OPT": "OFF"}


def test_the_toolchain_is_inherited_from_a_toolchain_file_an_entry_or_vcpkg_chainloading():
    got = _presets({"name": "base", "hidden": True, "toolchainFile": EMSCRIPTEN},
                   {"name": "web", "inherits": "base"},
                   {"name": "entry", "cacheVariables": {"CMAKE_TOOLCHAIN_FILE": EMSCRIPTEN}},
                   {"name": "vcpkg", "cacheVariables": {"CMAKE_TOOLCHAIN_FILE": "vcpkg/scripts/buildsystems/vcpkg.cmake",
                                                        "VCPKG_CHAINLOAD_TOOLCHAIN_FILE": "$env{EMSDK}/" + EMSCRIPTEN}},
                   {"name": "native", "toolchainFile": "cmake/aarch64.cmake"})
    assert [n for n, p in got.items() if p.emscripten] == ["base", "web", "entry", "vcpkg"]
    assert got["base"].hidden and not got["web"].hidden


def test_a_cycle_or_a_parent_in_another_file_leaves_the_preset_incomplete_not_lost():
    got = _presets({"name": "a", "inherits": "b", "cacheVariables": {"X": "a"}},
                   {"name": "b", "inherits": "a"},
                   {"name": "c", "inherits": "from-user-presets", "cacheVariables": {"Y": "c"}})
    assert _cache(got["c"]) == {"Y": "c"} and not got["c"].complete
    assert _cache(got["a"]) == {"X": "a"}
