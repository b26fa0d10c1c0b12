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

A wasm build with no rustflags at all (``wasm-pack build``, ``cargo build --target
wasm32-…``) still links: rustc's wasm32 targets pass wasm-ld ``-z stack-size=1048576
--stack-first`` and nothing about memory, so wasm-ld declares an initial memory of
the stack plus the data and no maximum (measured with rustc 1.97 nightly on
wasm32-unknown-unknown, wasm32-wasip1 and wasm32v1-none: 17 pages, no maximum, for
8 bytes of data; ``rustc --print target-spec-json`` shows those ``pre-link-args``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from ..facts import Fact, Span, internal
from ..memory import PAGE, MemoryLike
from .cargo_commands import CargoRun, RustBuild, rust_build
from .pstr import UNKNOWN, Tok

RUSTC_ATOMICS = ["--shared-memory", "--max-memory=1073741824", "--import-memory"]
# wasm-ld options that decide the memory's size or growth (``-z stack-size`` only moves
# the initial size; the memory stays growable)
MEMORY_OPTIONS = ("--initial-memory", "--max-memory", "--shared-memory", "--import-memory",
                  "--no-growable-memory")
RUSTC_DEFAULT_STACK = 1048576
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
    needs_build_target: bool = False   # kept only if the cargo config's `[build] target` is wasm
    cwd: str | None = None             # the folder the build runs in, when its script says (see RustLink)

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
    rustflags_scope: str | None = None  # RUSTFLAGS set on the command, or in an environment others read
    needs_build_target: bool = False    # kept only if the cargo config's `[build] target` is wasm
    cwd: str | None = None              # the folder cargo runs in when a build script says (its cwd option);
    #                                     None: the folder of the file it is written in
    command: str | None = None          # the build command (`wasm-pack build`), for builds of scripts
    build: RustBuild | None = None      # what the command builds and where it writes it
    artifacts: list = field(default_factory=list)   # project paths of the .wasm it writes (the project decides)
    crate_folder: str | None = None     # the folder of the package it compiles (the project decides)
    workspace_folder: str | None = internal()   # its workspace root's folder: whose [profile.*] it reads
    arg_toks: dict = internal(default_factory=dict)
    ran_in: str | None = internal()     # the file whose command links, when its flags are set elsewhere
    moved_to: str | None = internal()   # the folder a shell `cd` moved the build to, from where its text starts

    @property
    def decides_memory(self) -> bool:
        """Whether this link decides the memory. A build does, always (with no memory
        options: Rust's default). A cargo config only when its rustflags state the memory;
        one that only passes `--cfg …` is a flags source, and the builds that read it decide."""
        return self.origin != "cargo-config" or self.atomics or any(
            a.partition("=")[0] in MEMORY_OPTIONS for a in self.link_args)

    @property
    def imported(self) -> bool:  # type: ignore[override]
        """``--import-memory`` without ``--shared-memory``: the module takes a memory its host
        makes (a component adapter takes the main module's), so its limits are only what it
        accepts. A shared import is the threads layout, whose glue makes the memory the
        import's limits describe: that link decides the memory."""
        return self.import_memory and not self.shared

    @property
    def initial_pages(self) -> int | None:  # type: ignore[override]
        return None if self.initial_memory is None else -(-self.initial_memory // PAGE)

    @property
    def maximum_pages(self) -> int | None:  # type: ignore[override]
        return None if self.maximum_memory is None else -(-self.maximum_memory // PAGE)

    @property
    def growable(self) -> bool:  # type: ignore[override]
        if self.fixed or not self.decides_memory:
            return False
        if self.maximum_memory is None:
            return True
        return self.initial_memory is None or self.maximum_memory > self.initial_memory

    @property
    def label(self) -> str:
        where = f" for `{self.target}`" if self.target else ""
        source = f"`{self.command}`" if self.origin == "build" else self.origin
        return f"Rust wasm link ({source}{where})"

    @property
    def growth_reason(self) -> str:
        if self.maximum_memory is None and self.origin == "build" and not self.link_args:
            return ("no rustflags set the memory (no RUSTFLAGS, no memory options in a cargo config), so rustc's "
                    "default applies: an initial memory of the 1 MiB stack plus data, and no maximum")
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
        """Config rustflags that cargo drops because this build sets RUSTFLAGS (configs of the
        command's folder and the folders above it)."""
        if self.origin not in ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS") or ctx.project is None:
            return []
        from .cargo import config_applies
        out = []
        for f in ctx.project.cargo_configs:
            if not config_applies(f.span.path, self.span.path, ctx.project.files, self.cwd):
                continue
            if self.target is None or f.target is None or f.target == self.target or f.target.startswith("cfg("):
                if not _flag_units(f.rustflags) <= _flag_units(self.rustflags):
                    out.append(f)       # a config whose every flag RUSTFLAGS repeats loses nothing
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
                    f"(set policy.workload-mb to get N) {self.link_arg_home}")
        n = pages * PAGE
        return (f"link with `-C link-arg=--initial-memory={n} -C link-arg=--max-memory={n}` ({pages} pages) "
                f"{self.link_arg_home}")

    @property
    def link_arg_home(self) -> str:
        """Where wasm-ld options belong: only flags a native linker never reads (it rejects them)."""
        triple = self.target or "wasm32-unknown-unknown"
        if self.origin == "cargo-config":
            return f"in `[target.{triple}] rustflags`" + (
                "" if self.target else " (not `[build] rustflags`, which native builds read too)")
        if self.origin == "build.rs":
            return "from build.rs only when `CARGO_CFG_TARGET_FAMILY` is `wasm`"
        if self.origin == "build":
            return f"in `[target.{triple}] rustflags` of the `.cargo/config.toml` this build reads"
        if self.rustflags_scope == "command":
            return f"in this command's `{self.origin}`"
        return (f"in a `{self.origin}` set on this wasm build's command alone: the `{self.origin}` here is "
                "also read by every other cargo command of its environment, native ones included")


    @property
    def artifact_paths(self) -> list[str]:
        return list(self.artifacts)

    def graph_refs(self) -> list:
        """build → the .wasm it writes (build config → artifact, as an emcc link's)."""
        import posixpath
        from ..graph import Ref
        base = posixpath.dirname(self.span.path) or "."
        return [Ref("builds", posixpath.relpath(a, base), self.span) for a in self.artifacts]


# rustc options that take their value as the next word or glued on (``-C opt``, ``-Copt``)
_VALUE_OPTIONS = ("--cfg", "--cap-lints", "-C", "-A", "-W", "-D", "-F", "-L", "-l", "-Z")


def _flag_units(flags: list[str]) -> set[str]:
    """Rustflags as the options they make, however written: ``--cfg x``, ``--cfg=x`` and
    ``-Copt`` / ``-C opt`` are one each."""
    out, k = set(), 0
    while k < len(flags):
        f = flags[k]
        if f in _VALUE_OPTIONS and k + 1 < len(flags):
            out.add(f"{f}={flags[k + 1]}")
            k += 2
            continue
        short = next((o for o in _VALUE_OPTIONS if len(o) == 2 and f.startswith(o) and len(f) > 2), None)
        out.add(f"{short}={f[2:]}" if short else f)
        k += 1
    return out


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
                    variant: str | None = None, extra_link_args: list[Tok] = (), rustflags_scope: str | None = None,
                    needs_build_target: bool = False, run: CargoRun | None = None,
                    ran_in: str | None = None, moved_to: str | None = None,
                    rustc_args: list[Tok] = ()) -> list[Fact]:
    """A ``rust-link`` fact (and its ``wasm-ld-arg`` facts) from rustc flags and link args.
    None for ``*-emscripten`` targets: rustc links those with emcc, whose settings decide
    the memory (rustc's wasm-ld defaults for ``+atomics`` do not apply). ``run``: the
    build command the flags are for (a shipped build records what it writes); ``rustc_args``:
    the ones `cargo rustc … --` passes after the rustflags."""
    if target and "emscripten" in target:
        return []
    link, atomics = link_args_of([*flags, *rustc_args])
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
                    memory64=memory64, stack_size=st["stack"], fixed=fixed, rustflags_scope=rustflags_scope,
                    needs_build_target=needs_build_target, arg_toks=st["toks"],
                    command=run.command if run is not None else None,
                    build=rust_build(run) if run is not None and run.ships else None, ran_in=ran_in,
                    moved_to=moved_to)
    out: list[Fact] = [fact]
    for opt, n, tok in st["occurrences"]:
        out.append(WasmLdArg(tok.span() or span, option=opt, value=n, text=tok.value, memory64=memory64,
                             origin=origin, needs_build_target=needs_build_target))
    return out
