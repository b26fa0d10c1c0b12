"""``CMakePresets.json`` / ``CMakeUserPresets.json`` → the emcc link of each Emscripten
configure preset a user can run (``cmake --preset NAME``; ``toolchain.cmake_presets``).

Its ``CMAKE_EXE_LINKER_FLAGS`` (and ``CMAKE_C_FLAGS``/``CMAKE_CXX_FLAGS``, which CMake also
passes to an executable's link) reach every emcc link of the configured project, read as
one link at the preset, as the same entries on an ``emcmake cmake -D…`` line are."""
from __future__ import annotations

from ..facts import Fact
from . import SourceFile, load_json


def extract(src: SourceFile) -> list[Fact]:
    from ..toolchain.cmake_presets import configure_presets
    from ..toolchain.emscripten_wrappers import configure_flags
    from ..toolchain.pstr import LineIndex, PStr, Tok, shell_split
    from ..toolchain.cmake_configure import flag_variables_link
    idx, root = load_json(src)
    if idx is None:
        return root
    index = LineIndex(idx.text, src.path)
    facts: list[Fact] = []
    for preset in configure_presets(root):
        if preset.hidden or not preset.emscripten:
            continue
        argv = [Tok(PStr.join([PStr.synth(f"-D{name}="), _pstr(node)]), index)
                for name, node in preset.cache.items() if node is not None and node.type == "string"]
        names, values, build_type = configure_flags(argv)
        at = preset.name_node
        span = idx.span(at.start, at.end)
        flags = [[Tok(w, index) for w in shell_split(v)] for v in values]
        facts += flag_variables_link(names, flags, build_type, bool(values), span, f"preset {preset.name}", None)
    return facts


def _pstr(node):
    """A JSON string's decoded text, each character at its place in the file."""
    from ..toolchain.pstr import PStr
    text = node.text
    return PStr(text.value, tuple(text.starts), tuple(text.ends))
