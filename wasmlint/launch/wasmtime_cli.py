"""The wasmtime command line: ``wasmtime [run|serve] [OPTIONS] MODULE [ARGS…]``, as
wasmtime's ``crates/cli-flags`` parses it (read 2026-12-06).

Option groups take ``KEY[=VAL],…`` in the next word or joined (``-W max-memory-size=N``,
``-Wmax-memory-size=N``, ``--wasm max-memory-size=N``, ``--wasm=…``); ``max-memory-size``
is the bytes one linear memory may reach (an integer, ``_`` ignored, ``0x`` hex). The
module is the first word that is no option or option value (after ``--`` at the latest);
everything after it is the module's. A bare ``wasmtime app.wasm`` runs it."""
from __future__ import annotations

from dataclasses import dataclass

GROUPS = {"-O": "--optimize", "-C": "--codegen", "-D": "--debug", "-W": "--wasm", "-S": "--wasi"}
# top-level options of `run` and `serve` that take a value (the others are switches)
VALUED = {"--dir", "--env", "--invoke", "--preload", "--profile", "--argv0", "--mapdir", "--config",
          "--target", "--addr", "--shutdown-addr", "--fuel", "--max-wasm-stack", "--opt-level",
          "--listenfd", "--tcplisten", "--cranelift-set", "--wasi-modules", "--wasm-features"}
SUBCOMMANDS = ("run", "serve")
OTHER_SUBCOMMANDS = {"compile", "config", "explore", "settings", "wast", "help", "objdump", "completion",
                     "--help", "-h", "--version", "-V"}
MODULE_SUFFIXES = (".wasm", ".cwasm", ".wat")


@dataclass
class WasmtimeRun:
    subcommand: str
    module: object                     # the module's token
    max_memory: int | None = None      # bytes, `-W max-memory-size=N`
    max_memory_tok: object = None      # the token that says it
    max_memory_text: str = ""          # as written: "max-memory-size=268435456"


def _bytes(text: str) -> int | None:
    text = text.replace("_", "")
    try:
        n = int(text[2:], 16) if text.startswith("0x") else int(text) if text.isdigit() else None
    except ValueError:
        return None
    return n if n else None


def parse(toks: list) -> WasmtimeRun | None:
    """``toks[0]`` is the ``wasmtime`` word; None when this is not a run of a module file."""
    words = [t.value for t in toks]
    i, sub = 1, "run"
    if i < len(words) and words[i] in SUBCOMMANDS:
        sub, i = words[i], i + 1
    elif i < len(words) and words[i] in OTHER_SUBCOMMANDS:
        return None
    run = WasmtimeRun(sub, None)
    while i < len(toks):
        w, tok = words[i], toks[i]
        if tok.arg.dynamic:
            return None                         # "$@", $FLAGS: the module is not known
        if w == "--":
            i += 1
            break
        if not w.startswith("-"):
            break
        name, eq, joined = w.partition("=") if w.startswith("--") else (w[:2], "", w[2:])
        group = name in GROUPS or name in GROUPS.values()
        if group or name in VALUED:
            value_tok = tok if (eq or joined) else (toks[i + 1] if i + 1 < len(toks) else None)
            value = (joined if joined else None) if not w.startswith("--") else (joined if eq else None)
            if value is None and value_tok is not tok and value_tok is not None:
                value = value_tok.value
            i += 1 if value_tok is tok else 2
            if group and name in ("-W", "--wasm") and value is not None:
                for item in value.split(","):
                    key, _, val = item.partition("=")
                    if key.strip() == "max-memory-size":
                        run.max_memory, run.max_memory_tok, run.max_memory_text = _bytes(val.strip()), value_tok, item
            continue
        i += 1                                   # a switch
    if i >= len(toks) or toks[i].arg.dynamic or not words[i].endswith(MODULE_SUFFIXES):
        return None
    run.module = toks[i]
    return run
