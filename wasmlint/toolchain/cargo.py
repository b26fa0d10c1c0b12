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

from ..facts import Fact, Span, internal
from ..scopes import QUIET
from ..tomlsafe import loads
from .cargo_commands import is_wasm_target
from .debug_build import debug_named
from .pstr import UNKNOWN, LineIndex, Tok
from .rust import build_rust_link
from .toml_pos import TomlLocator


@dataclass
class CargoProfile(Fact):
    """A Cargo or wasm-pack build profile (WL503 debug settings, WL504 wasm-opt)."""

    kind: ClassVar[str] = "cargo-profile"
    profile: str = ""
    tool: str = "cargo"              # cargo | wasm-pack
    release: bool = False
    debug: Any = None
    opt_level: Any = None
    wasm_opt: Any = None
    debug_js_glue: Any = None        # wasm-pack: `[….wasm-bindgen] debug-js-glue`
    dwarf_debug_info: Any = None     # wasm-pack: `[….wasm-bindgen] dwarf-debug-info`
    debug_at: Span | None = internal()

    @property
    def label(self) -> str:
        return f"Cargo profile `{self.profile}`" if self.tool == "cargo" else f"wasm-pack's `{self.profile}` profile"

    @property
    def debug_settings(self) -> list[str]:
        if self.tool == "wasm-pack":
            return [f"{k} = true" for k, v in (("debug-js-glue", self.debug_js_glue),
                                               ("dwarf-debug-info", self.dwarf_debug_info)) if v is True]
        return [f"debug = {str(self.debug).lower() if isinstance(self.debug, bool) else self.debug}"] \
            if self.debug_on else []

    @property
    def debug_span(self) -> Span:
        return self.debug_at or self.span

    debug_origin = ""       # (WL503, as an emcc link's) the profile says it itself
    ships_source_mapped = False     # (WL503, as an emcc link's) a profile writes no source map
    unshipped_default_o0 = False    # (WL503, as an emcc link's) no default -O0 here

    def debug_variant(self, ctx) -> bool:
        """A profile that is not what a shipped WebAssembly module is built with: the
        ``release`` profile of a workspace whose every known wasm build is a test's, a check's
        or an example's; a custom profile (cargo builds with one only when a build names it)
        named for debugging (`release-debug`, `release-dev`, `profiling`), or named by no wasm
        build (``profile_use``) outside tests, benchmarks, examples, fixtures and docs whose
        module keeps the profile's debug info."""
        if self.tool != "cargo":
            return False
        if self.profile == "release":
            return self._only_quiet_builds(ctx)
        if debug_named(self.profile):
            return True
        project = ctx.project
        uses = project.of_kind("cargo-profile-use") if project is not None else []
        return not any(u.profile == self.profile and u.ships_debug_info and ctx.scope_of(u).scope not in QUIET
                       for u in uses)

    def _only_quiet_builds(self, ctx) -> bool:
        """The wasm builds the project shows of this workspace (whose root's profiles they
        read) are all in tests, benchmarks, examples, fixtures, docs or CI checks: fidget's
        `[profile.release] debug = true` reaches only its CI job's warnings check, while the
        web demo it ships is a crate outside the workspace, with its own profile."""
        project = ctx.project
        folder = posixpath.dirname(self.span.path)
        builds = [f for f in (project.of_kind("rust-link") if project is not None else [])
                  if getattr(f, "build", None) is not None and getattr(f, "workspace_folder", None) == folder]
        return bool(builds) and all(ctx.scope_of(f).scope in QUIET for f in builds)

    def debug_stripped(self, ctx) -> bool:
        """Every WebAssembly build the project shows is a ``napi build`` (``profile_use``), which
        writes the ``.wasm`` stripped of DWARF beside a separate ``<name>.debug.wasm``: the
        profile's debug info reaches no shipped module (turso's ``release`` with
        ``debug = "line-tables-only"``, built for wasm only as ``napi build --profile
        release-official``). Builds in tests, benchmarks, examples and docs do not count; with
        no wasm build known, or any other one, the profile is judged as written."""
        project = ctx.project
        if self.tool != "cargo" or project is None:
            return False
        shipping = [u for u in project.of_kind("cargo-profile-use") if ctx.scope_of(u).scope not in QUIET]
        others = [f for f in project.of_kind("rust-link")
                  if getattr(f, "build", None) is not None and ctx.scope_of(f).scope not in QUIET]
        return bool(shipping) and not others and all(u.debug_separated for u in shipping)

    @property
    def debug_on(self) -> bool:
        return self.tool == "cargo" and self.debug not in (None, False, 0, "none", "0")

    @property
    def wasm_opt_off(self) -> bool:
        return self.tool == "wasm-pack" and self.wasm_opt is False


@dataclass
class CargoManifest(Fact):
    """What cargo needs from a ``Cargo.toml`` to place it in a workspace and name its output."""

    kind: ClassVar[str] = "cargo-manifest"
    package: str | None = None
    lib_name: str | None = None
    crate_types: list = field(default_factory=list)
    workspace: bool = False                  # a `[workspace]` table: the root of a workspace
    workspace_exclude: list = field(default_factory=list)
    workspace_members: list = field(default_factory=list)
    package_workspace: str | None = None     # `package.workspace`: the root it names
    cargo_fuzz: bool = False                 # `[package.metadata] cargo-fuzz = true`
    bin_tables: bool = False                 # `[[bin]]` targets
    default_members: bool = False            # `workspace.default-members`: what a plain `cargo build` builds
    autobins: bool = True                    # `package.autobins`: src/main.rs, src/bin/ are binaries

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.span.path)

    @property
    def artifact_stem(self) -> str | None:
        """The name rustc gives the crate's wasm: the `[lib]` name (or the package's) with `-` as `_`."""
        name = self.lib_name or self.package
        return name.replace("-", "_") if name else None


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
    return f.kind != "rust-link" or f.decides_memory  # type: ignore[attr-defined]


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
    facts: list[Fact] = [_manifest(data, path)]
    profiles = _table(data, "profile")
    for name, table in profiles.items():
        if not isinstance(table, dict):
            continue
        at = loc.get("profile", name, "debug") or loc.tables.get(("profile", name))
        span = _span(index, at, Span(path)) if not isinstance(at, int) else index.span(at)
        facts.append(CargoProfile(span, profile=name, release=_inherits_release(name, profiles),
                                  debug=table.get("debug"), opt_level=table.get("opt-level")))
    meta = _table(_table(_table(data, "package"), "metadata"), "wasm-pack")
    for name, table in _table(meta, "profile").items():
        if not isinstance(table, dict):
            continue
        keys = ("package", "metadata", "wasm-pack", "profile", name)
        span = _span(index, loc.get(*keys, "wasm-opt"), Span(path))
        bindgen = _table(table, "wasm-bindgen")
        glue, dwarf = bindgen.get("debug-js-glue"), bindgen.get("dwarf-debug-info")
        debug_loc = loc.get(*keys, "wasm-bindgen", "debug-js-glue") if glue is True else \
            loc.get(*keys, "wasm-bindgen", "dwarf-debug-info")
        facts.append(CargoProfile(span, profile=name, tool="wasm-pack", release=name == "release",
                                  wasm_opt=table.get("wasm-opt", ["-O"] if name != "dev" else False),
                                  debug_js_glue=glue, dwarf_debug_info=dwarf,
                                  debug_at=_span(index, debug_loc, span) if debug_loc else None))
    return facts


def _table(data, key: str) -> dict:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def _inherits_release(name: str, profiles: dict) -> bool:
    """``release``, or a custom profile whose `inherits` chain reaches it. ``bench`` (which
    inherits release settings) is only read by `cargo bench`, ``test`` by `cargo test`."""
    seen = set()
    while name not in seen:
        if name == "release":
            return True
        if name in ("bench", "test", "dev"):
            return False
        seen.add(name)
        parent = _table(profiles, name).get("inherits")
        if not isinstance(parent, str):
            return False
        name = parent
    return False


def _manifest(data: dict, path: str) -> CargoManifest:
    package, lib, ws = _table(data, "package"), _table(data, "lib"), _table(data, "workspace")
    return CargoManifest(Span(path), package=_str(package.get("name")), lib_name=_str(lib.get("name")),
                         crate_types=_strings(lib.get("crate-type")), workspace=isinstance(data.get("workspace"), dict),
                         workspace_exclude=_strings(ws.get("exclude")), workspace_members=_strings(ws.get("members")),
                         package_workspace=_str(package.get("workspace")),
                         cargo_fuzz=_table(package, "metadata").get("cargo-fuzz") is True,
                         bin_tables=bool(data.get("bin")), autobins=package.get("autobins") is not False,
                         default_members=bool(ws.get("default-members")))


def _str(value) -> str | None:
    return value if isinstance(value, str) else None


def _strings(value) -> list[str]:
    return [x for x in value if isinstance(x, str)] if isinstance(value, list) else []


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


def config_applies(config_path: str, command_path: str, files: dict[str, str], cwd: str | None = None) -> bool:
    """Cargo reads the config of the command's folder and of every folder above it. ``cwd``:
    the folder the command runs in when its build says so (a build script's ``cwd`` option);
    one the build computes when it runs surely reads only the project's root config."""
    folder, at = config_folder(config_path), _command_folder(command_path, files) if cwd is None else cwd
    if UNKNOWN in at:
        return folder == ""
    return folder == "" or at == folder or at.startswith(folder + "/")


def build_target_for(path: str, configs: list[CargoBuildTarget], files: dict[str, str],
                     cwd: str | None = None) -> str | None:
    """The wasm triple that ``[build] target`` gives a command in ``path`` (the nearest
    config that applies wins)."""
    applies = [c for c in configs if config_applies(c.span.path, path, files, cwd)]
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
        target = build_target_for(f.span.path, configs, files, getattr(f, "cwd", None))
        if target is None:
            continue
        known = {"target": target, "memory64": target.startswith("wasm64")}
        out.append(replace(f, needs_build_target=False, **{k: v for k, v in known.items() if hasattr(f, k)}))
    return out
