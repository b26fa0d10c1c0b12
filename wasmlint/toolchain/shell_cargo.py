"""Cargo and wasm-bindgen commands in shell text: a cargo build for WebAssembly and its
RUSTFLAGS (``rustflags_facts``), and the wasm triple a ``wasm-bindgen`` step reads
(``bindgen_input_target``), which tells a cargo build beside it that it builds for wasm."""
from __future__ import annotations

from ..facts import Fact
from .cargo_commands import cargo_run, is_wasm_target
from .pstr import UNKNOWN, LineIndex, PStr, Tok
from .rust import build_rust_link
from .shell_eval import Command, evaluate


def rustflags_facts(cmd: Command, index: LineIndex, variant: str | None, bindgen: str | None = None) -> list[Fact]:
    """A cargo build for WebAssembly: with RUSTFLAGS or CARGO_ENCODED_RUSTFLAGS set, or, a
    build that ships (``wasm-pack build``, ``cargo build``), with none (Rust's default memory).

    It is a wasm build only on evidence: a wasm triple on the command (``--target``,
    ``--config build.target=…``, ``CARGO_BUILD_TARGET``), a wasm-only tool (wasm-pack,
    trunk, cargo-component) or a wasm-bindgen step reading its output. Without a triple
    the cargo config's ``[build] target`` decides (the project does, ``link.py``); a
    native triple, an unknown one, or a subcommand that links nothing is no wasm link."""
    run = cargo_run(cmd.words)
    if run is None:
        return []
    build_target = cmd.env.get("CARGO_BUILD_TARGET")
    target = run.target or (build_target.text if build_target is not None else None)
    if run.sub == "install" and target is None:
        # `cargo install` builds a tool for the host and ignores the project's cargo config
        # (cargo-install(1): configuration discovery starts at $CARGO_HOME): only its own
        # --target makes it a wasm build, never a wasm-bindgen step beside it
        return []
    target = target or bindgen
    if target is not None and not is_wasm_target(target):
        return []
    shown = target and target.replace(UNKNOWN, "…")
    # `cargo rustc … -- ARGS`: cargo hands ARGS to the final rustc invocation, after the
    # rustflags (cargo-rustc(1)), so their `-C link-arg=--max-memory=…` reach the link
    rustc_args = cmd.argv[cmd.words.index("--") + 1:] if run.sub == "rustc" and "--" in cmd.words else []
    for name in ("CARGO_ENCODED_RUSTFLAGS", "RUSTFLAGS"):
        value = cmd.env.get(name)
        if value is None:
            continue
        at = env_index(cmd, name, index)
        if name == "RUSTFLAGS":
            flags = [Tok(p, at) for p in value.split_ws()]
        else:
            flags = [Tok(value[a:b], at) for a, b in _fields(value.text, "\x1f")]
        span = (flags[0].span() if flags else None) or cmd.span
        return build_rust_link(span, name, flags, target=shown, variant=variant,
                               rustflags_scope="command" if name in cmd.prefix else "environment",
                               needs_build_target=target is None, run=run, ran_in=cmd.span.path,
                               moved_to=cmd.cwd or None, rustc_args=rustc_args)
    if not run.ships:
        return []
    return build_rust_link(cmd.span, "build", [], target=shown, variant=variant,
                           needs_build_target=target is None, run=run, moved_to=cmd.cwd or None,
                           rustc_args=rustc_args)


def bindgen_in(texts: list[PStr], index: LineIndex) -> str | None:
    """``bindgen_input_target`` of shell texts run together (the lines of a recipe)."""
    for text in texts:
        if "wasm-bindgen" in text.text:
            found = bindgen_input_target(evaluate(text, index).commands)
            if found:
                return found
    return None


def bindgen_input_target(commands: list[Command]) -> str | None:
    """The wasm triple of a ``wasm-bindgen`` step's input: the ``target/<triple>/…`` folder
    its ``.wasm`` argument sits in (wasm32-unknown-unknown, the only triple it reads, if none)."""
    for cmd in commands:
        words = cmd.words
        # the program is one of its words (its last part): a command none of whose words
        # holds the name is not looked through for it
        if not any("wasm-bindgen" in w for w in words) or _program(words) != "wasm-bindgen":
            continue
        parts = [p for w in words if w.endswith(".wasm") for p in w.split("/")]
        return next((p for p in parts if is_wasm_target(p) and not p.endswith(".wasm")),
                    "wasm32-unknown-unknown")
    return None


def _program(words: list[str]) -> str | None:
    """The program a command runs: its first word, looking through launchers that pass the
    line on (``npx``, ``env A=1``, ``pnpm exec``) and ``cargo run --bin NAME``. A word after
    the program is its argument: ``cd wasm-bindgen`` enters a folder, runs nothing."""
    from ..scopes.commands import tool_words
    words = tool_words(words)
    if not words:
        return None
    name = words[0].replace("\\", "/").rsplit("/", 1)[-1]
    if name == "cargo" and len(words) > 1 and words[1] in ("run", "r"):
        rest = words[2:words.index("--")] if "--" in words else words[2:]
        return next((b for a, b in zip(rest, rest[1:]) if a == "--bin"), None)
    return name


def env_index(cmd: Command, name: str, index: LineIndex) -> LineIndex:
    """The lines of the file a variable of the command's environment was written in."""
    where = getattr(cmd, "env_index", None)
    return index if where is None else where.get(name, index)


def _fields(text: str, sep: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for k, c in enumerate(text + sep):
        if c == sep:
            if k > start:
                out.append((start, k))
            start = k + 1
    return out
