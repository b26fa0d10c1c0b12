"""The Emscripten releases a project's builds run with, settled over the whole project.

Each ``emscripten-version`` fact is one build environment: an emsdk image
(``FROM``, a compose service, a CI container), ``setup-emsdk``, ``emsdk install``.
A Dockerfile ``FROM emscripten/emsdk:${X}`` takes ``X`` from the project's
``docker build --build-arg X=…`` and compose ``build.args`` (else its ``ARG``
default). A legacy setting emcc now rejects is rejected by the build when one of
those environments is the newest (unpinned) or a release from its removal on; a
pinned image whose release cannot be read is not known to reject it.

A Dockerfile whose stage starts ``FROM`` an image the project builds itself (``docker
build -t NAME -f base/Dockerfile`` in a make recipe or script) runs the emcc that image's
Dockerfile installed, together with its own file's: another Dockerfile of the project that
installs the newest emsdk is not the environment of its links. wordpress-playground's php
Dockerfile is ``FROM playground-php-wasm:base``, whose Dockerfile installs emsdk 3.1.61.
"""
from __future__ import annotations

from ..facts import Fact
from .emver import LATEST, image_key, version_label


def build_versions(facts: list[Fact]) -> list[str]:
    """Version labels (X.Y.Z, LATEST or "") of the project's build environments."""
    args: dict[str, list[str]] = {}
    for f in facts:
        if f.kind == "docker-build-arg":
            args.setdefault(f.name, []).append(version_label(f.value))
    # one `emsdk install "$VERSION"` line read twice: alone, where `VERSION=${1:-latest}` takes
    # its default, and through the project's command that runs the script with an argument
    # (package.json `setup-emsdk.sh 1.39.2`): the release the project passes is the one it runs
    pinned_at = {_place(f) for f in facts if f.kind == "emscripten-version" and f.source == "emsdk"
                 and version_label(f.version) not in ("", LATEST)}
    out: list[str] = []
    for f in facts:
        if f.kind == "emscripten-version":
            arg = f.extra.get("arg")
            label = version_label(f.version) if f.version else ""
            if label == LATEST and f.source == "emsdk" and _place(f) in pinned_at:
                continue
            out += args[arg] if arg in args else [label]
    return out


def _place(f: Fact) -> tuple:
    return (f.span.path, f.span.line, f.span.column)


def settle(facts: list[Fact]) -> list[Fact]:
    """Give each emcc setting the build environments of the project (of its base image's
    Dockerfile and its own, when its Dockerfile starts from an image the project builds)."""
    versions = build_versions(facts)
    images = {image_key(f.image): f.dockerfile for f in facts if f.kind == "docker-image-build"}
    by_file: dict[str, list[Fact]] = {}
    for f in facts:
        if f.kind == "emscripten-version":
            by_file.setdefault(f.span.path, []).append(f)
    args = [f for f in facts if f.kind == "docker-build-arg"]
    chains: dict[tuple, list[str]] = {}
    for f in facts:
        if f.kind == "emcc-setting":
            base = images.get(image_key(f.base_image)) if f.base_image and images else None
            key = (base, f.span.path)
            if base and key not in chains:
                own = by_file.get(base, []) + by_file.get(f.span.path, [])
                chains[key] = build_versions(args + own) if own else versions
            f.build_versions = chains[key] if base else versions
            if f.error and f.deprecated is None:
                f.deprecated = f.deprecated_in_build
    return facts
