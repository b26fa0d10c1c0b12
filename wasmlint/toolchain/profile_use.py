"""Builds that name a custom Cargo profile (``--profile NAME``): what makes such a profile
the one a WebAssembly build ships with (WL503).

cargo (``build``, ``rustc``, behind ``cross`` or ``cargo component``) and ``wasm-pack
build`` compile with the profile as named. ``napi build`` (@napi-rs/cli) passes it to
cargo too, but always with a triple of its own (``--target``/``-t``, else
``CARGO_BUILD_TARGET``, else the host's, so a cargo config's ``[build] target`` never
applies), and for a ``.wasm`` it writes the module stripped of DWARF, names and producers
(``generateDwarf(false)``) beside a ``<name>.debug.wasm`` that keeps them
(cli/src/api/build.ts ``copyArtifact``): the profile's debug info never ships in the module.

A use is for WebAssembly only on evidence, as a ``rust-link`` is (``shell_argv``): a wasm
triple on the command or in ``CARGO_BUILD_TARGET``, a wasm-only tool, else (cargo) the
cargo config's ``[build] target``. A native build, or one whose triple is not known, is none.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..facts import Fact
from .pstr import Tok
from .cargo_commands import cargo_run, is_wasm_target

NAPI = "napi"
# cargo profiles every cargo command knows; only the others are chosen by naming them
BUILT_IN = frozenset(("dev", "release", "test", "bench"))


@dataclass
class CargoProfileUse(Fact):
    """A shipping build that names a custom profile."""

    kind: ClassVar[str] = "cargo-profile-use"
    profile: str = ""
    command: str = ""                  # `cargo build`, `wasm-pack build`, `napi build`
    target: str | None = None          # None: the cargo config's `[build] target` decides
    needs_build_target: bool = False   # kept only if that `[build] target` is wasm (cargo.resolve_build_targets)
    debug_separated: bool = False      # the build moves the profile's DWARF out of the shipped module

    @property
    def ships_debug_info(self) -> bool:
        return not self.debug_separated


def profile_uses(argv: list[Tok], env: dict, bindgen: str | None = None) -> list[Fact]:
    """The profile use of one command (``env``: its environment, ``bindgen``: the triple a
    wasm-bindgen step beside it reads)."""
    words = [t.value for t in argv]
    napi = _napi_build(words)
    if napi is not None:
        return _use(argv, napi, "napi build", _option(words[napi:], ("--target", "-t")) or _env(env), True)
    run = cargo_run(words)
    if run is None or not run.ships:
        return []
    target = run.target or _env(env) or bindgen
    start = len(words) - len(run.args)
    return _use(argv, start, run.command, target, False, cargo_config_decides=target is None)


def _use(argv: list[Tok], start: int, command: str, target: str | None, separated: bool,
         cargo_config_decides: bool = False) -> list[Fact]:
    words = [t.value for t in argv[start:]]
    if "--" in words:
        words = words[:words.index("--")]
    at = _option_at(words, ("--profile",))
    if at is None or (not cargo_config_decides and not is_wasm_target(target)):
        return []
    tok, name = argv[start + at[0]], at[1]
    if name in BUILT_IN or not name or not tok.text.known:
        return []
    return [CargoProfileUse(tok.span() or argv[0].span(), profile=name, command=command, target=target,
                            needs_build_target=cargo_config_decides, debug_separated=separated)]


def _napi_build(words: list[str]) -> int | None:
    """Where the options of a ``napi build`` start (``napi`` among the first words: ``npx
    napi``, ``yarn napi``, ``node_modules/.bin/napi``), or None."""
    names = [w.replace("\\", "/").rsplit("/", 1)[-1] for w in words[:4]]
    at = next((k for k, n in enumerate(names) if n == NAPI), None)
    if at is None or words[at + 1:at + 2] != ["build"]:
        return None
    return at + 2


def _env(env: dict) -> str | None:
    value = env.get("CARGO_BUILD_TARGET")
    return value.text if value is not None else None


def _option(words: list[str], names: tuple) -> str | None:
    at = _option_at(words, names)
    return at[1] if at is not None else None


def _option_at(words: list[str], names: tuple) -> tuple[int, str] | None:
    """The last ``--name value`` / ``--name=value`` of ``words``: (index of the word holding
    the value, the value)."""
    found = None
    for k, w in enumerate(words):
        if w in names and k + 1 < len(words):
            found = (k + 1, words[k + 1])
        for n in names:
            if w.startswith(n + "=") and n.startswith("--"):
                found = (k, w[len(n) + 1:])
    return found
