"""cargo-family commands: which of them link, for which triple, and where a shipped
WebAssembly build writes its module (``cargo``, ``cross``, ``cargo component``,
``wasm-pack``, ``trunk``; behind ``rustup run …``)."""
from __future__ import annotations

from dataclasses import dataclass, field

CARGO_TOOLS = frozenset(("cargo", "wasm-pack", "rustc", "cross", "trunk", "cargo-component"))

# cargo subcommands that compile and link an artifact; check, clippy, doc, fmt and the
# verification build of package/publish link nothing that ships
LINKING = frozenset(("build", "b", "rustc", "run", "r", "test", "t", "bench", "install"))
# tools that only build for WebAssembly: their building subcommands and the triple they use
# (wasm-pack's own `--target web|bundler|nodejs` names a JS flavour, not a triple)
WASM_TOOLS = {"wasm-pack": (("build", "test"), "wasm32-unknown-unknown"),
              "trunk": (("build", "serve"), "wasm32-unknown-unknown"),
              "cargo-component": (LINKING, "wasm32-wasip1")}
_GLOBAL_VALUE_OPTIONS = ("-Z", "--config", "-C", "--color", "--explain", "--manifest-path")


def is_wasm_target(triple: str | None) -> bool:
    """A WebAssembly triple (``wasm32-unknown-unknown``, ``wasm32-wasip1``, ``wasm32v1-none``,
    ``wasm64-…``); a value only partly known counts when its known start says so."""
    return bool(triple) and triple.startswith("wasm")


def _subcommand(args: list[str]) -> int | None:
    """Index of the subcommand after cargo's global options (``+toolchain``, ``-Z x``, ``-q``)."""
    i = 0
    while i < len(args):
        a = args[i]
        if a in _GLOBAL_VALUE_OPTIONS:
            i += 2
        elif a.startswith(("-", "+")):
            i += 1
        else:
            return i
    return None


def _target_option(args: list[str]) -> str | None:
    """``--target T``, ``--target=T`` or ``--config build.target=…`` (before any ``--``)."""
    for i, a in enumerate(args):
        if a == "--":
            break
        if a == "--target" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--target="):
            return a.split("=", 1)[1]
        config = args[i + 1] if a == "--config" and i + 1 < len(args) else a[9:] if a.startswith("--config=") else ""
        key, eq, value = config.partition("=")
        if eq and key.strip() == "build.target":
            return value.strip().strip("'\"") or None
    return None


@dataclass(frozen=True)
class CargoRun:
    """A cargo-family command that links: its tool and the triple the command itself names
    (None: cargo's configuration decides, the host when it says nothing)."""

    tool: str
    target: str | None
    sub: str = field(default="", compare=False)
    args: tuple = field(default=(), compare=False)     # the words after the subcommand

    @property
    def ships(self) -> bool:
        """A build whose output ships: not `test`, `bench`, `run`, `install` or `trunk serve`."""
        return self.sub in ("build", "b", "rustc")

    @property
    def command(self) -> str:
        return f"{'cargo component' if self.tool == 'cargo-component' else self.tool} {self.sub}"


def cargo_run(argv: list[str]) -> CargoRun | None:
    """The linking cargo build in ``argv`` (possibly behind ``rustup run …``), or None.
    ``rustc`` run directly does not read RUSTFLAGS, so it is not one."""
    names = [a.replace("\\", "/").rsplit("/", 1)[-1] for a in argv[:4]]     # the tool is among the first words
    at = next((k for k, n in enumerate(names) if n in CARGO_TOOLS), None)
    if at is None or names[at] == "rustc":
        return None
    tool, rest = names[at], argv[at + 1:]
    sub = _subcommand(rest)
    if tool in ("cargo", "cross") and sub is not None and rest[sub] == "component":
        tool, rest = "cargo-component", rest[sub + 1:]
        sub = _subcommand(rest)
    if sub is None:
        return None
    subs, triple = WASM_TOOLS.get(tool, (LINKING, None))
    if rest[sub] not in subs:
        return None
    after = tuple(rest[sub + 1:])
    if tool in ("wasm-pack", "trunk"):
        return CargoRun(tool, triple, rest[sub], after)
    return CargoRun(tool, _target_option(list(after)) or triple, rest[sub], after)


# options that take a value, so the word after them is not the crate's path (wasm-pack)
_WASM_PACK_VALUES = ("-t", "--target", "-d", "--out-dir", "--out-name", "-s", "--scope", "-m", "--mode",
                     "--profile", "--log-level")
_WASM_PACK_FLAGS = ("--dev", "--debug", "--release", "--profiling", "--no-typescript", "--no-pack", "--no-opt",
                    "--weak-refs", "--reference-types", "-v", "--verbose", "-q", "--quiet", "-h", "--help")
_CARGO_VALUES = ("--manifest-path", "-p", "--package", "--target-dir", "--profile", "--target", "--features",
                 "-F", "--bin", "--example", "-j", "--jobs", "--config", "-Z", "--color", "--message-format",
                 "--crate-type")
# cargo's target selection (cargo-build(1) "Target Selection") and the options that build
# every member of a workspace
_SELECTION = frozenset(("--lib", "--bin", "--bins", "--example", "--examples", "--test", "--tests", "--bench",
                        "--benches", "--all-targets", "--workspace", "--all"))


@dataclass(frozen=True)
class RustBuild:
    """Where a shipped wasm build writes its module, as its command says (paths relative to
    the folder the command runs in; the project's manifests name the file, ``cargo_link``)."""

    tool: str                       # cargo | cross | cargo-component | wasm-pack
    crate: str | None = "."         # wasm-pack's PATH, or the folder of `--manifest-path` (None: search up)
    manifest: str | None = None     # `--manifest-path`
    package: str | None = None      # `-p NAME`
    profile_dir: str = "debug"      # the folder under target/<triple>/
    target_dir: str | None = None   # `--target-dir`
    out_dir: str = "pkg"            # wasm-pack `--out-dir`, relative to the crate
    out_name: str | None = None     # wasm-pack `--out-name`
    selects: frozenset = frozenset()    # cargo's target selection options (`--lib`, `--example` …)
    crate_types: tuple = ()         # `cargo rustc --crate-type T` (or `-- --crate-type T`)
    example: str | None = None      # `--example NAME`


def rust_build(run: CargoRun) -> RustBuild | None:
    """The output a shipped build writes, from its options; None for trunk (hashed names)."""
    args = list(run.args)
    rustc_args: list[str] = []
    if "--" in args:
        args, rustc_args = args[:args.index("--")], args[args.index("--") + 1:]
    if run.tool == "trunk":
        return None
    if run.tool == "wasm-pack":
        opt, words = _options(_wasm_pack_own(args), _WASM_PACK_VALUES)
        profile = "dev" if opt.get("--dev") or opt.get("--debug") else opt.get("--profile") or "release"
        # no PATH: wasm-pack takes the nearest folder at or above the current one that holds a
        # Cargo.toml (wasm-pack's command/utils.rs, find_manifest_from_cwd)
        return RustBuild("wasm-pack", crate=words[0] if words else None, profile_dir=_profile_dir(profile),
                         out_dir=opt.get("-d") or opt.get("--out-dir") or "pkg", out_name=opt.get("--out-name"))
    opt, _words = _options(args, _CARGO_VALUES)
    profile = "release" if opt.get("--release") or opt.get("-r") else opt.get("--profile") or "dev"
    manifest = opt.get("--manifest-path")
    crate_types = [opt.get("--crate-type")] + [_options(rustc_args, ("--crate-type",))[0].get("--crate-type")]
    return RustBuild(run.tool, crate=_dirname(manifest) if manifest else None, manifest=manifest,
                     package=opt.get("-p") or opt.get("--package"), profile_dir=_profile_dir(profile),
                     target_dir=opt.get("--target-dir"), selects=frozenset(_SELECTION & set(opt)),
                     example=opt["--example"] if isinstance(opt.get("--example"), str) else None,
                     crate_types=tuple(t for v in crate_types if isinstance(v, str) for t in v.split(",")))


def _wasm_pack_own(args: list[str]) -> list[str]:
    """wasm-pack build's own options and PATH: the first option it does not know starts the
    extra options it hands to cargo (`wasm-pack build --release --manifest-path ./Cargo.toml
    -Z build-std`: `./Cargo.toml` is cargo's, not the crate's PATH)."""
    k = 0
    while k < len(args):
        a = args[k]
        if a.split("=", 1)[0] in _WASM_PACK_VALUES:
            k += 1 if "=" in a else 2
        elif a in _WASM_PACK_FLAGS or not a.startswith("-"):
            k += 1
        else:
            break
    return args[:k]


def _options(args: list[str], takes_value: tuple) -> tuple[dict, list[str]]:
    """Options (``--opt value``, ``--opt=value``, ``-pNAME``; a flag alone is True; the last
    wins) and the positional words."""
    opt: dict = {}
    words: list[str] = []
    k = 0
    while k < len(args):
        a = args[k]
        name, eq, value = a.partition("=")
        if not a.startswith("-") or a == "-":
            words.append(a)
        elif eq and name in takes_value:
            opt[name] = value
        elif a in takes_value:
            if k + 1 < len(args):
                opt[a] = args[k + 1]
            k += 1
        elif a[:2] in takes_value and not a.startswith("--"):
            opt[a[:2]] = a[2:]
        else:
            opt[a] = True
        k += 1
    return opt, words


def _profile_dir(profile: str) -> str:
    """Cargo writes `dev` and `test` builds to `debug/`, `bench` to `release/`, others to their name."""
    return {"dev": "debug", "test": "debug", "bench": "release"}.get(profile, profile)


def _dirname(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else "."
