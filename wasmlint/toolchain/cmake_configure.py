"""A CMake configure's flag variables as the link they give (``emcmake cmake
-DCMAKE_EXE_LINKER_FLAGS=…`` on a command line, ``cacheVariables`` of a configure preset):
every emcc link of the configured project gets them."""
from __future__ import annotations

from ..facts import Fact, Span
from .emcc import build_facts
from .emcc_args import emcc_only, links_only
from .emscripten_wrappers import CONFIGURE_FLAG_VARS
from .pstr import Tok


def flag_variables_link(names: list[str], flags: list[list[Tok]], build_type: str | None, given: bool,
                        span: Span, variant: str | None, version: str | None) -> list[Fact]:
    """The link the flag variables a CMake configure sets (``names``: CMAKE_EXE_LINKER_FLAGS …,
    ``flags``: the words of each, where they were written) give every emcc link of the project; [] when
    they carry no emcc link flag (see ``shell_argv.configure_facts``). ``given``: set by the configure
    itself, not only inherited from its environment."""
    linked = [n == "CMAKE_EXE_LINKER_FLAGS" or n not in CONFIGURE_FLAG_VARS and ("LDFLAGS" in n or "LINK" in n)
              for n in names]
    linker = [f.value for is_link, fs in zip(linked, flags) if is_link for f in fs]
    compile_flags = [f.value for is_link, fs in zip(linked, flags) if not is_link for f in fs]
    if not any(emcc_only(f) for f in linker) and not links_only(compile_flags):
        return []
    label = ", ".join(x for x in (variant, f"CMAKE_BUILD_TYPE={build_type}" if build_type else None,
                                  "flags in " + ", ".join(dict.fromkeys(names))) if x)
    # the project's own variables are pieces its CMakeLists adds to links of its own flags
    # (duckdb's -DWASM_LINK_FLAGS_EXT="-pthread …" beside its PTHREAD_POOL_SIZE=4): a flag set
    # so are flags only inherited from a shared script (every library's configure in
    # minetest-wasm gets common.sh's LDFLAGS): the configure that sets its own makes the link
    own = any(n not in CONFIGURE_FLAG_VARS for n in names) or not given
    return build_facts([f for fs in flags for f in fs], span, variant=label, version=version, flag_set=own)
