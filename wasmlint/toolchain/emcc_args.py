"""What a list of compiler flags says about emcc, read without evaluating a link: whether
it carries emcc settings (``-s NAME[=V]``, ``-sNAME[=V]``: no other compiler takes them),
and whether it carries what only an emcc link uses."""
from __future__ import annotations

from collections.abc import Iterator

LINK_ONLY_OPTIONS = ("--pre-js", "--post-js", "--extern-pre-js", "--extern-post-js", "--js-library",
                     "--preload-file", "--embed-file", "--shell-file")


def setting_names(words: list[str]) -> Iterator[str]:
    """The names ``-s NAME[=V]`` and ``-sNAME[=V]`` set, when NAME is an upper-case
    identifier (emcc's rule: ``-sallow_memory_growth`` and ``-std=c99`` set nothing)."""
    for k, w in enumerate(words):
        value = words[k + 1] if w == "-s" and k + 1 < len(words) else (w[2:] if w.startswith("-s") else "")
        key = value.split("=", 1)[0].strip("'\"")
        if key and key[0].isalpha() and key.isupper() and all(c.isalnum() or c == "_" for c in key):
            yield key


def carries_emcc_settings(words: list[str]) -> bool:
    """``-s NAME[=V]`` or ``-sNAME[=V]`` with an upper-case setting name: emcc's only."""
    return next(setting_names(words), None) is not None


def links_only(args: list[str]) -> bool:
    """Whether flags carry what only an emcc link uses: a setting emcc does not apply when
    compiling (``-sALLOW_MEMORY_GROWTH``, ``-s EXPORTED_RUNTIME_METHODS=…``) or a link-only
    option (``--pre-js``): flags passed to compiles and links alike (a configure line's
    ``CMAKE_C_FLAGS``) that carry one are meant for the link."""
    from .emcc_settings import compile_time
    if any(a.split("=", 1)[0] in LINK_ONLY_OPTIONS for a in args):
        return True
    return any(not compile_time(name) for name in setting_names(args))


def emcc_only(arg: str) -> bool:
    """An argument only an emcc link takes (``-s``/``-sNAME``, ``-pthread``): flags that
    carry one are flags for emcc."""
    return arg == "-s" or (arg.startswith("-s") and arg[2:3].isupper()) or arg in ("-pthread", "-fopenmp")
