"""Cargo configuration: ``.cargo/config.toml`` rustflags per target, ``Cargo.toml``
profiles (and wasm-pack's), ``rust-toolchain.toml``.

Cargo's precedence (formats.md §3.2): ``CARGO_ENCODED_RUSTFLAGS``, else
``RUSTFLAGS``, else ``target.<triple>.rustflags`` plus ``target.'cfg(…)'.rustflags``,
else ``build.rustflags`` — the sources are exclusive, so a RUSTFLAGS in the
environment silences every config table below (WL512).
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from ..facts import Fact, Span
from ..tomlsafe import loads
from .pstr import LineIndex, Tok
from .rust import build_rust_link, is_wasm_target
from .toml_pos import TomlLocator


@dataclass
class CargoProfile(Fact):
    """A Cargo or wasm-pack build profile (WL503 debug info, WL504 wasm-opt)."""

    kind: ClassVar[str] = "cargo-profile"
    profile: str = ""
    tool: str = "cargo"              # cargo | wasm-pack
    release: bool = False
    debug: Any = None
    opt_level: Any = None
    wasm_opt: Any = None

    @property
    def label(self) -> str:
        return f"Cargo profile `{self.profile}`"

    @property
    def debug_settings(self) -> list[str]:
        return [f"debug = {str(self.debug).lower() if isinstance(self.debug, bool) else self.debug}"] \
            if self.debug_on else []

    @property
    def debug_span(self) -> Span:
        return self.span

    @property
    def debug_on(self) -> bool:
        return self.tool == "cargo" and self.debug not in (None, False, 0, "none", "0")

    @property
    def wasm_opt_off(self) -> bool:
        return self.tool == "wasm-pack" and self.wasm_opt is False


@dataclass
class CargoBuildTarget(Fact):
    """``[build] target`` of a ``.cargo/config.toml``: the triple of every cargo command run
    at or below the config's folder that names none itself."""

    kind: ClassVar[str] = "cargo-build-target"
    targets: list = field(default_factory=list)

    @property
    def folder(self) -> str:
        return config_folder(self.span.path)


@dataclass
class RustToolchain(Fact):
    kind: ClassVar[str] = "rust-toolchain"
    channel: str | None = None
    components: list | None = None
    targets: list | None = None


def _span(index: LineIndex, loc, fallback: Span) -> Span:
    return index.span(loc.key_at, loc.end) if loc is not None else fallback


def _is_wasm(target: str | None) -> bool:
    return bool(target) and "wasm" in target


def config_facts(text: str, data: dict, path: str) -> list[Fact]:
    index, loc = LineIndex(text, path), TomlLocator(text)
    facts: list[Fact] = []
    build = data.get("build") if isinstance(data.get("build"), dict) else {}
    build_target = build.get("target")
    build_targets = build_target if isinstance(build_target, list) else [build_target] if build_target else []
    build_targets = [t for t in build_targets if isinstance(t, str)]
    if build_targets:
        facts.append(CargoBuildTarget(_span(index, loc.get("build", "target"), Span(path)), targets=build_targets))
    for triple, table in (data.get("target") or {}).items():
        if not isinstance(table, dict) or "rustflags" not in table or not _is_wasm(triple):
            continue
        facts += _flags_fact(index, loc.get("target", triple, "rustflags"), table["rustflags"], triple, path)
    if "rustflags" in build and (any(_is_wasm(t) for t in build_targets) or not build_targets):
        target = next((t for t in build_targets if _is_wasm(t)), None)
        got = _flags_fact(index, loc.get("build", "rustflags"), build["rustflags"], target, path)
        facts += [f for f in got if target or _mentions_wasm_ld(f)]
    return facts


def _mentions_wasm_ld(f: Fact) -> bool:
    return f.kind != "rust-link" or bool(f.atomics or any(  # type: ignore[attr-defined]
        a.startswith(("--max-memory", "--initial-memory", "--shared-memory", "--import-memory"))
        for a in f.link_args))  # type: ignore[attr-defined]


def _flags_fact(index: LineIndex, loc, value, target, path: str) -> list[Fact]:
    if loc is None or not isinstance(value, (str, list)):
        return []
    if isinstance(value, str):
        pieces = loc.strings[0].split_ws() if loc.strings else []
    else:
        pieces = loc.strings
    toks = [Tok(p, index) for p in pieces]
    return build_rust_link(_span(index, loc, Span(path)), "cargo-config", toks, target=target)


def manifest_facts(text: str, data: dict, path: str) -> list[Fact]:
    index, loc = LineIndex(text, path), TomlLocator(text)
    facts: list[Fact] = []
    profiles = data.get("profile") if isinstance(data.get("profile"), dict) else {}
    for name, table in profiles.items():
        if not isinstance(table, dict):
            continue
        release = name in ("release", "bench") or table.get("inherits") in ("release", "bench")
        at = loc.get("profile", name, "debug") or loc.tables.get(("profile", name))
        span = _span(index, at, Span(path)) if not isinstance(at, int) else index.span(at)
        facts.append(CargoProfile(span, profile=name, release=release, debug=table.get("debug"),
                                  opt_level=table.get("opt-level")))
    meta = (((data.get("package") or {}).get("metadata") or {}).get("wasm-pack") or {})
    for name, table in (meta.get("profile") or {}).items() if isinstance(meta, dict) else ():
        if not isinstance(table, dict):
            continue
        at = loc.get("package", "metadata", "wasm-pack", "profile", name, "wasm-opt")
        span = _span(index, at, Span(path))
        facts.append(CargoProfile(span, profile=name, tool="wasm-pack", release=name == "release",
                                  wasm_opt=table.get("wasm-opt", ["-O"] if name != "dev" else False)))
    return facts


def toolchain_facts(text: str, path: str) -> list[Fact]:
    index = LineIndex(text, path)
    if "[" not in text and "=" not in text:
        channel = text.strip()
        return [RustToolchain(index.span(0, len(text.rstrip())), channel=channel or None)]
    data = loads(text)
    tc = data.get("toolchain") if isinstance(data.get("toolchain"), dict) else {}
    at = TomlLocator(text).get("toolchain", "channel")
    return [RustToolchain(_span(index, at, Span(path)), channel=tc.get("channel"),
                          components=tc.get("components"), targets=tc.get("targets"))]




def _command_folder(path: str, files: dict[str, str]) -> str:
    """The folder a build command in ``path`` runs in: a workflow's steps start at the
    repository root, a script's or Makefile's commands in its own folder."""
    return "" if files.get(path) == "github-workflow" else posixpath.dirname(path)


def config_folder(config_path: str) -> str:
    """The folder whose commands read a ``.cargo/config.toml`` (the parent of ``.cargo/``)."""
    return posixpath.dirname(posixpath.dirname(config_path))


def config_applies(config_path: str, command_path: str, files: dict[str, str]) -> bool:
    """Cargo reads the config of the command's folder and of every folder above it."""
    folder, at = config_folder(config_path), _command_folder(command_path, files)
    return folder == "" or at == folder or at.startswith(folder + "/")


def build_target_for(path: str, configs: list[CargoBuildTarget], files: dict[str, str]) -> str | None:
    """The wasm triple that ``[build] target`` gives a command in ``path`` (the nearest
    config that applies wins)."""
    applies = [c for c in configs if config_applies(c.span.path, path, files)]
    if not applies:
        return None
    nearest = max(applies, key=lambda c: len(c.folder))
    return next((t for t in nearest.targets if is_wasm_target(t)), None)


def resolve_build_targets(facts: list[Fact], files: dict[str, str]) -> list[Fact]:
    """RUSTFLAGS builds that name no triple: a wasm build (with its triple) when the cargo
    config's ``[build] target`` is wasm, else a native build, dropped with its wasm-ld options."""
    if not any(getattr(f, "needs_build_target", False) for f in facts):
        return facts
    configs = [f for f in facts if isinstance(f, CargoBuildTarget)]
    out = []
    for f in facts:
        if not getattr(f, "needs_build_target", False):
            out.append(f)
            continue
        target = build_target_for(f.span.path, configs, files)
        if target is None:
            continue
        memory64 = target.startswith("wasm64")
        extra = {"target": target} if f.kind == "rust-link" else {}
        out.append(replace(f, needs_build_target=False, memory64=memory64, **extra))
    return out
