"""Rust → wasm link settings: rustflags, wasm-ld memory options, rustc's additions.

Flags come from ``.cargo/config.toml`` (string or array), ``RUSTFLAGS`` /
``CARGO_ENCODED_RUSTFLAGS`` in scripts and workflows, and ``build.rs``
``cargo:rustc-link-arg…=``. wasm-ld option syntax (lld/wasm/Options.td,
formats.md §3.1): ``--initial-memory=``/``--max-memory=`` joined, decimal;
``-z stack-size=N`` or ``-zstack-size=N`` (hex allowed); the last occurrence
wins. With ``+atomics`` rustc itself passes ``--shared-memory
--max-memory=1073741824 --import-memory`` *before* the user's link args.
Without ``--max-memory``, ``--no-growable-memory`` or ``--shared-memory`` the
memory has no maximum; shared without a maximum means maximum = initial.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..facts import Fact, Span, internal
from ..memory import PAGE, MemoryLike
from .pstr import UNKNOWN, Tok

RUSTC_ATOMICS = ["--shared-memory", "--max-memory=1073741824", "--import-memory"]
CARGO_TOOLS = frozenset(("cargo", "wasm-pack", "rustc", "cross", "trunk", "cargo-component"))
GIB = 1 << 30


@dataclass
class WasmLdArg(Fact):
    """One wasm-ld memory option as written (WL502/WL509 check its value)."""

    kind: ClassVar[str] = "wasm-ld-arg"
    option: str = ""
    value: int | None = None
    text: str = ""
    memory64: bool = False
    origin: str = ""

    @property
    def setting_label(self) -> str:
        return f"`{self.option}`"

    @property
    def page_remainder(self) -> int | None:
        if self.option in ("--initial-memory", "--max-memory") and self.value is not None:
            return self.value % PAGE
        return None

    @property
    def address_limit(self) -> int | None:
        if self.option not in ("--initial-memory", "--max-memory"):
            return None
        return 16 * GIB if self.memory64 else 4 * GIB


@dataclass
class RustLink(MemoryLike, Fact):
    """A Rust wasm build's link configuration and the memory wasm-ld will declare."""

    kind: ClassVar[str] = "rust-link"
    origin: str = ""                   # cargo-config | RUSTFLAGS | CARGO_ENCODED_RUSTFLAGS | build.rs
    target: str | None = None          # triple, cfg(...) or None (build-wide)
    variant: str | None = None
    rustflags: list = field(default_factory=list)
    link_args: list = field(default_factory=list)
    atomics: bool = False
    implicit_args: list = field(default_factory=list)
    initial_memory: int | None = None
    maximum_memory: int | None = None
    shared: bool = False
    import_memory: bool = False
    memory64: bool = False
    stack_size: int | None = None
    fixed: bool = False                # maximum = initial (--no-growable-memory, shared without a max)
    arg_toks: dict = internal(default_factory=dict)

    @property
    def initial_pages(self) -> int | None:  # type: ignore[override]
        return None if self.initial_memory is None else -(-self.initial_memory // PAGE)

    @property
    def maximum_pages(self) -> int | None:  # type: ignore[override]
        return None if self.maximum_memory is None else -(-self.maximum_memory // PAGE)

    @property
    def growable(self) -> bool:  # type: ignore[override]
        if self.fixed:
            return False
        if self.maximum_memory is None:
            return True
        return self.initial_memory is None or self.maximum_memory > self.initial_memory

    @property
    def label(self) -> str:
        where = f" for `{self.target}`" if self.target else ""
        return f"Rust wasm link ({self.origin}{where})"

    @property
    def growth_reason(self) -> str:
        if self.maximum_memory is None:
            return "no `--max-memory` is given, so the memory has no maximum"
        if self.initial_memory is None:
            return (f"`--max-memory={self.maximum_memory}` is above the initial size wasm-ld computes "
                    "(no `--initial-memory`)")
        return f"`--max-memory={self.maximum_memory}` is above `--initial-memory={self.initial_memory}`"

    def _tok_span(self, option: str) -> Span:
        tok = self.arg_toks.get(option)
        return (tok.span() if tok is not None else None) or self.span

    @property
    def growth_span(self) -> Span:
        return self._tok_span("--max-memory")

    @property
    def initial_span(self) -> Span:
        return self._tok_span("--initial-memory")

    @property
    def maximum_span(self) -> Span:
        return self._tok_span("--max-memory")

    def shadowed_config(self, ctx) -> list:
        """Config rustflags that cargo drops because this build sets RUSTFLAGS."""
        if self.origin not in ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS") or ctx.project is None:
            return []
        out = []
        for f in ctx.project.of_kind("rust-link"):
            if f.origin != "cargo-config":
                continue
            if self.target is None or f.target is None or f.target == self.target or f.target.startswith("cfg("):
                out.append(f)
        return out

    def shadowed_names(self, ctx) -> list[str]:
        return [f"`{f.span.path}` [{'target.' + f.target if f.target else 'build'}]"
                for f in self.shadowed_config(ctx)]

    def shadowed_related(self, ctx) -> list:
        return [(f.span, "these rustflags are ignored while RUSTFLAGS is set") for f in self.shadowed_config(ctx)]

    def fix_pin_memory(self, ctx) -> str:
        pages = self.pin_pages(ctx) or self.initial_pages
        if not pages:
            return ("pass `-C link-arg=--initial-memory=N -C link-arg=--max-memory=N` with the same N "
                    "(set policy.workload-mb to get N)")
        n = pages * PAGE
        return f"link with `-C link-arg=--initial-memory={n} -C link-arg=--max-memory={n}` ({pages} pages)"


def link_args_of(flags: list[Tok]) -> tuple[list[Tok], bool]:
    """rustc flags → (the link args they pass, whether +atomics is enabled)."""
    out: list[Tok] = []
    atomics = False
    i = 0
    while i < len(flags):
        v = flags[i].value
        tok = flags[i]
        if v in ("-C", "--codegen") and i + 1 < len(flags):
            tok, v, i = flags[i + 1], flags[i + 1].value, i + 1
            body, at = v, 0
        elif v.startswith("-C") and len(v) > 2:
            body, at = v[2:], 2
        elif v.startswith("--codegen="):
            body, at = v[10:], 10
        else:
            i += 1
            continue
        key, _, val = body.partition("=")
        start = at + len(key) + 1
        if key == "link-arg":
            out.append(tok.sub(start))
        elif key == "link-args":
            out += [Tok(p, tok.index) for p in tok.text[start:].split_ws()]
        elif key == "target-feature":
            feats = [f.strip() for f in val.split(",")]
            if "+atomics" in feats:
                atomics = True
            elif "-atomics" in feats:
                atomics = False
        i += 1
    return out, atomics


def _int(text: str) -> int | None:
    try:
        return int(text, 0) if text.lower().startswith("0x") else int(text)
    except ValueError:
        return None


def wasm_ld_memory(args: list[Tok], atomics: bool) -> dict:
    """The memory options wasm-ld ends up with (implicit rustc args first)."""
    state = {"initial": None, "max": None, "shared": False, "import": False, "no_grow": False,
             "stack": None, "toks": {}, "occurrences": []}
    seq = [(a, None) for a in (RUSTC_ATOMICS if atomics else [])] + [(t.value, t) for t in args]
    i = 0
    while i < len(seq):
        a, tok = seq[i]
        if UNKNOWN in a:
            i += 1
            continue
        opt, _, val = a.partition("=")
        if opt in ("--initial-memory", "--max-memory") and val:
            n = _int(val) if val.isdigit() else None
            state["initial" if opt == "--initial-memory" else "max"] = n
            if tok is not None:
                state["toks"][opt] = tok
                state["occurrences"].append((opt, n, tok))
        elif a == "--shared-memory":
            state["shared"] = True
        elif opt == "--import-memory":
            state["import"] = True
        elif a == "--no-growable-memory":
            state["no_grow"] = True
        elif a == "-z" and i + 1 < len(seq) and seq[i + 1][0].startswith("stack-size="):
            state["stack"] = _int(seq[i + 1][0].split("=", 1)[1])
            i += 1
        elif a.startswith("-zstack-size="):
            state["stack"] = _int(a.split("=", 1)[1])
        i += 1
    return state


def build_rust_link(span: Span, origin: str, flags: list[Tok], *, target: str | None = None,
                    variant: str | None = None, extra_link_args: list[Tok] = ()) -> list[Fact]:
    """A ``rust-link`` fact (and its ``wasm-ld-arg`` facts) from rustc flags and link args.
    None for ``*-emscripten`` targets: rustc links those with emcc, whose settings decide
    the memory (rustc's wasm-ld defaults for ``+atomics`` do not apply)."""
    if target and "emscripten" in target:
        return []
    link, atomics = link_args_of(flags)
    link += list(extra_link_args)
    st = wasm_ld_memory(link, atomics)
    memory64 = bool(target and target.startswith("wasm64"))
    maximum = st["max"]
    fixed = st["no_grow"] or (st["shared"] and maximum is None)
    if fixed:
        maximum = st["initial"]
    fact = RustLink(span, origin=origin, target=target, variant=variant,
                    rustflags=[t.value for t in flags], link_args=[t.value for t in link], atomics=atomics,
                    implicit_args=list(RUSTC_ATOMICS) if atomics else [], initial_memory=st["initial"],
                    maximum_memory=maximum, shared=st["shared"], import_memory=st["import"],
                    memory64=memory64, stack_size=st["stack"], fixed=fixed, arg_toks=st["toks"])
    out: list[Fact] = [fact]
    for opt, n, tok in st["occurrences"]:
        out.append(WasmLdArg(tok.span() or span, option=opt, value=n, text=tok.value, memory64=memory64,
                             origin=origin))
    return out


def cargo_target(argv: list[str]) -> str | None:
    """``--target wasm32-unknown-unknown`` / ``--target=…`` in a cargo command."""
    if any(a.rsplit("/", 1)[-1] == "wasm-pack" for a in argv):
        return "wasm32-unknown-unknown"
    for i, a in enumerate(argv):
        if a == "--target" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--target="):
            return a.split("=", 1)[1]
    return None


def is_cargo_command(argv: list[str]) -> bool:
    return any(a.replace("\\", "/").rsplit("/", 1)[-1] in CARGO_TOOLS for a in argv[:4])
