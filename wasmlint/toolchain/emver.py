"""Emscripten versions and the memory layout emcc derives from the settings.

Defaults that changed between releases (formats.md §1.1, §7.4): INITIAL_MEMORY
16 MiB until 3.1.54, computed (INITIAL_HEAP 16 MiB + stack + static data) from
3.1.55; MAXIMUM_MEMORY none before 1.39.12, 2 GiB since; STACK_SIZE 5 MiB until
3.1.26, 64 KiB since 3.1.27. ``effective`` follows ``tools/link.py``
``set_initial_memory``/``set_max_memory``. An unknown version means the
newest release (the defaults at HEAD).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..facts import Fact

MIB = 1 << 20
GIB = 1 << 30
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)")


def parse_version(text: str | None) -> tuple[int, int, int] | None:
    m = _VERSION.match((text or "").strip())
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def at_least(version: tuple[int, int, int] | None, *cut: int) -> bool:
    return version is None or version >= cut


def initial_memory_default(version) -> int:
    """-1 (computed from INITIAL_HEAP) since 3.1.55, else 16 MiB."""
    return -1 if at_least(version, 3, 1, 55) else 16 * MIB


def maximum_memory_default(version) -> int | None:
    return 2 * GIB if at_least(version, 1, 39, 12) else None


def stack_size_default(version) -> int:
    return 64 * 1024 if at_least(version, 3, 1, 27) else 5 * MIB


def effective(settings: dict[str, Any], pthreads: bool, version) -> dict[str, Any]:
    """``{"initial_memory", "maximum_memory", "growth", "shared_memory", …}`` in bytes.

    ``initial_memory`` is a lower bound when ``initial_estimated`` (the computed
    default of 3.1.55+: heap + stack, static data not counted).
    """
    def num(name: str) -> int | None:
        v = settings.get(name)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    growth = settings.get("ALLOW_MEMORY_GROWTH") == 1
    memory64 = num("MEMORY64") in (1, 2)
    wasm_workers = settings.get("WASM_WORKERS") in (1, 2)
    shared = pthreads or wasm_workers or settings.get("SHARED_MEMORY") == 1
    imported = pthreads or wasm_workers or settings.get("IMPORTED_MEMORY") == 1
    stack = num("STACK_SIZE") or stack_size_default(version)
    user_initial = num("INITIAL_MEMORY")
    user_max = num("MAXIMUM_MEMORY")
    estimated = False
    if user_initial is not None and user_initial != -1:
        initial = user_initial
    elif initial_memory_default(version) != -1 or imported or user_max is not None:
        initial = 16 * MIB
    else:
        heap = num("INITIAL_HEAP") or 16 * MIB
        initial, estimated = -(-(heap + stack) // 65536) * 65536, True
    if not growth:
        maximum = initial
    elif user_max is not None and user_max != -1:
        maximum = user_max
    elif "MAXIMUM_MEMORY" in settings and settings["MAXIMUM_MEMORY"] is None:
        maximum = None      # passed with a value the build computes (`$MAX`, a config's): not emcc's default
    else:
        maximum = maximum_memory_default(version)
        if initial > 2 * GIB:
            maximum = 4 * GIB
        if maximum is not None and initial > maximum:
            maximum = initial
    return {"initial_memory": initial, "maximum_memory": maximum, "growth": growth,
            "shared_memory": shared, "imported_memory": imported, "memory64": memory64,
            "stack_size": stack, "initial_estimated": estimated}


@dataclass
class EmscriptenVersion(Fact):
    """The Emscripten release a project builds with: an ``emscripten/emsdk:X``
    image, ``emsdk install X``, ``setup-emsdk`` ``version:``, a pinned variable."""

    kind: ClassVar[str] = "emscripten-version"
    version: str = ""      # X.Y.Z, LATEST (unpinned) or "" (pinned, release not readable)
    source: str = ""
    extra: dict = field(default_factory=dict)   # {"arg": NAME}: FROM …:${NAME}, set by --build-arg


@dataclass
class DockerBuildArg(Fact):
    """``docker build --build-arg NAME=VALUE`` or compose ``build.args``: a Dockerfile
    ``ARG`` value (None when not known statically)."""

    kind: ClassVar[str] = "docker-build-arg"
    name: str = ""
    value: str | None = None


@dataclass
class DockerImageBuild(Fact):
    """``docker build -t NAME [-f FILE] CONTEXT`` in a project's script or make recipe: the
    image NAME is built from the Dockerfile FILE (``CONTEXT/Dockerfile`` without ``-f``;
    docker reads ``-f`` from the folder the command runs in), project-relative. A Dockerfile
    ``FROM NAME`` starts from what that Dockerfile installed (its emsdk)."""

    kind: ClassVar[str] = "docker-image-build"
    image: str = ""
    dockerfile: str = ""


def image_key(ref: str) -> str:
    """An image reference as docker resolves it: a name without a tag is ``NAME:latest``."""
    ref = ref.strip().split("@", 1)[0]
    return ref if ":" in ref.rsplit("/", 1)[-1] else ref + ":latest"


LATEST = "latest"
_UNPINNED = ("latest", "tot", "")
# images whose tag names a date or a build, not the Emscripten release inside
_BUILDER_IMAGES = ("dockcross/web-wasm",)
# trzeci's images (Docker Hub, 2017–2020, then deprecated for emscripten/emsdk): the SDK, its
# slim and Ubuntu variants, and the upstream (LLVM) and fastcomp backends of 1.39
TRZECI_IMAGES = ("trzeci/emscripten", "trzeci/emscripten-slim", "trzeci/emscripten-ubuntu",
                 "trzeci/emscripten-upstream", "trzeci/emscripten-fastcomp")
_EMSDK_NAMES = ("emscripten/emsdk", *TRZECI_IMAGES, *_BUILDER_IMAGES)


def version_label(text: str | None) -> str:
    """A version as the build states it: ``X.Y.Z``, LATEST, or "" (not readable)."""
    text = (text or "").strip()
    v = parse_version(text.lstrip("v"))
    if v:
        return ".".join(map(str, v))
    return LATEST if text in ("latest", "tot") else ""


def rejects(label: str, cut: tuple[int, int, int]) -> bool:
    """Does the build's release (a version_label) reject what ``cut`` removed? A
    pinned release that cannot be read is not known to."""
    v = parse_version(label)
    return label == LATEST or (v is not None and v >= cut)


def image_pin(ref: str) -> str | None:
    """The Emscripten release of a build image: ``emscripten/emsdk:3.1.18`` → ``3.1.18``,
    ``emscripten/emsdk`` / ``:latest`` → LATEST, ``dockcross/web-wasm:20210901`` → ""
    (pinned, release not in the tag); None for an image that is not an Emscripten one."""
    ref, digest = ref.strip().split("@", 1)[0], "@" in ref
    name, tag = ref.rsplit(":", 1) if ":" in ref.rsplit("/", 1)[-1] else (ref, "")
    if not any(name == n or name.endswith("/" + n) for n in _EMSDK_NAMES):
        return None
    if tag in _UNPINNED and not digest:
        # trzeci/emscripten stopped in 2020 (deprecated for emscripten/emsdk): its latest is an
        # old release, not the newest emcc
        return "" if any(name == n or name.endswith("/" + n) for n in TRZECI_IMAGES) else LATEST
    return version_in_image(ref) or ""


_EMSDK_IMAGE = re.compile(r"(?:^|[\s/])(?:emscripten/emsdk|trzeci/emscripten(?:-slim|-ubuntu|-upstream|-fastcomp)?)"
                          r"[:@](?:sdk-tag-)?v?(\d+\.\d+\.\d+)")


def version_in_image(ref: str) -> str | None:
    """``emscripten/emsdk:3.1.18`` (also ``docker.io/emscripten/emsdk:…``) → ``3.1.18``;
    trzeci's images name it too: ``trzeci/emscripten:sdk-tag-1.38.32-64bit``,
    ``trzeci/emscripten-fastcomp:1.39.0``."""
    m = _EMSDK_IMAGE.search(" " + ref.strip())
    return m.group(1) if m else None


# emsdk's older names of a release's SDK: `sdk-1.38.41-64bit`, `sdk-tag-1.38.32-64bit`,
# `sdk-fastcomp-1.39.0-64bit`, `sdk-1.39.4-upstream-64bit`
_EMSDK_SDK_NAME = re.compile(r"^sdk-(?:tag-|fastcomp-|upstream-|releases-(?:upstream|fastcomp)-)?"
                             r"(\d+\.\d+\.\d+)(?:-upstream|-fastcomp)?(?:-(?:64|32)bit)?$")


def version_in_emsdk_args(argv: list[str]) -> str | None:
    """``emsdk install 3.1.55`` / ``emsdk activate 3.1.55`` (also ``./emsdk``, and the
    ``sdk-1.38.41-64bit`` names)."""
    for i, word in enumerate(argv):
        base = word.rsplit("/", 1)[-1]
        if base in ("emsdk", "emsdk.py", "emsdk.bat") and i + 2 <= len(argv) - 1 + 1:
            for arg in argv[i + 1:]:
                if arg in ("install", "activate") or arg.startswith("-"):
                    continue
                named = _EMSDK_SDK_NAME.match(arg)
                arg = named.group(1) if named else arg
                return arg if parse_version(arg) or arg in ("latest", "tot") else None
    return None
