"""Configuration: ``[tool.wasmlint]`` in pyproject.toml, ``.wasmlint.toml`` or
``.wasmlint.yaml``, found by walking up from the linted path (``--config`` wins).

Unknown keys are an error naming the key and the file (exit 2).
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .paths import NotRegular, link_target, read_regular, real

MIB = 1 << 20
PAGE = 65536

# Built-in targets and their memory budgets (rules-catalog.md). ``None``: unbounded
# unless the project states a container / unit memory limit.
BUILTIN_TARGETS: dict[str, int | None] = {
    "ios": 128 * MIB,
    "android": 200 * MIB,
    "desktop": 512 * MIB,
    "node": None,
}
# Targets whose engines cannot load a memory64 module at all (platforms.md: Safari on iOS
# has no memory64; Chrome 133+ on Android, desktop Chrome and Firefox, node do): a
# memory64 build is not judged against their budgets.
NO_MEMORY64 = frozenset(("ios",))
BROWSER_DEFAULT = ("ios", "android", "desktop")
MOBILE_TARGETS = ("ios", "android")

# Named flag sets a `policy.required-node-flags` entry "preset:NAME" stands for.
# WL201's docs give each one's measured effect (facts.md §1).
NODE_FLAG_PRESETS: dict[str, list[str]] = {
    "common-advice": ["--no-wasm-tier-up", "--no-wasm-lazy-compilation", "--max-old-space-size"],
}
PRESET = "preset:"

# policy key -> default. Keys are kebab-case in files, snake_case in rules.
POLICY_DEFAULTS: dict[str, Any] = {
    "required-node-flags": [],   # none demanded: WL201 asks only for flags with evidence
    "workload-mb": None,
    "runtime-overhead-mb": 32,
    "headroom": 1.2,
    "os-stack-kb": 8192,
    "max-workers": None,  # None: the cores of the machine that runs it are unknown; see rules
    "large-module-bytes": 8 * MIB,
    "name-section-max-bytes": 1 * MIB,
    "main-thread-compile-limit-bytes": 8 * MIB,
    "slow-compile-ms": 1000,
    "compile-variance": 5.0,
    "compile-spread-ms": 50,       # WL902 also needs max - min above this
    "worker-slowdown": 2.0,
    "worker-slowdown-ms": 50,      # WL903 also needs this much per-worker time beyond the cores
    "wasm-opt-threshold-percent": 10,
    "wasm-opt-min-saved-bytes": 1024,   # WL507 also needs this many bytes saved (a tiny module's 50% is noise)
    "max-file-bytes": 16 * MIB,
    "max-binary-bytes": 256 * MIB,
}

CONFIG_KEYS = {
    "targets", "select", "ignore", "extend-select", "per-file-ignores", "severity",
    "exclude", "extend-exclude", "node-version", "emscripten-version", "extend-rules",
    "policy", "custom-targets", "scope", "scopes",
}


class ConfigError(Exception):
    """A configuration problem; the CLI prints it and exits 2."""


@dataclass
class Target:
    name: str
    budget_bytes: int | None
    loads_memory64: bool = True
    profile: Any = None          # platforms.Profile of a deployment platform or a custom target

    @property
    def budget_pages(self) -> int | None:
        return None if self.budget_bytes is None else self.budget_bytes // PAGE

    @property
    def budget_mib(self) -> float | None:
        return None if self.budget_bytes is None else self.budget_bytes / MIB

    def limit(self, name: str) -> Any:
        """A limit of the target's platform profile (``size_bytes``, ``compile_from_bytes`` …),
        None when it has no profile or the platform publishes none."""
        return getattr(self.profile, name, None)

    def with_budget(self, budget_bytes: int | None) -> "Target":
        """This target with the memory the deployment configures (vercel.json, MemorySize)."""
        return Target(self.name, budget_bytes, self.loads_memory64, self.profile)

    def __str__(self) -> str:
        return self.name


@dataclass
class Config:
    path: str | None = None
    trusted: bool = False                  # named with --config, not found in the checked tree
    root: Path = field(default_factory=Path.cwd)
    targets: list[str] = field(default_factory=lambda: list(BROWSER_DEFAULT))
    targets_by_path: dict[str, list[str]] = field(default_factory=dict)
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    node_version: str | None = None
    emscripten_version: str | None = None
    extend_rules: list[str] = field(default_factory=list)
    policy: dict[str, Any] = field(default_factory=lambda: dict(POLICY_DEFAULTS))
    custom_targets: dict[str, Any] = field(default_factory=dict)   # name -> platforms.Profile
    targets_from_cli: bool = False
    report_scopes: tuple[str, ...] | None = None    # `scope`: report these scopes (None: each rule's own)
    scope_globs: dict[str, str] = field(default_factory=dict)   # `scopes`: glob -> scope
    respect_gitignore: bool = True                  # False: --no-respect-gitignore
    origins: dict[str, str] = field(default_factory=dict)   # setting -> where its value came from

    def target(self, name: str) -> Target:
        """A built-in browser or node target, a deployment platform (``data/platforms``) or a
        custom target of the configuration (which wins)."""
        from .platforms import builtin_profiles
        profile = self.custom_targets.get(name) or builtin_profiles().get(name)
        if profile is None and name not in BUILTIN_TARGETS:
            from .cli_parser import did_you_mean
            raise ConfigError(f"unknown target {name!r}{did_you_mean(name, self.known_targets())} "
                              f"(known: {', '.join(self.known_targets())})")
        if profile is None:
            return Target(name, BUILTIN_TARGETS[name], loads_memory64=name not in NO_MEMORY64)
        budget = profile.memory_bytes if profile.custom or name not in BUILTIN_TARGETS else BUILTIN_TARGETS[name]
        return Target(name, budget, loads_memory64=name not in NO_MEMORY64 and profile.memory64 is not False,
                      profile=profile)

    def known_targets(self) -> list[str]:
        from .platforms import builtin_profiles
        return sorted({**BUILTIN_TARGETS, **builtin_profiles(), **self.custom_targets})

    def workload_mb(self, path: str | None = None) -> float | None:
        w = self.policy.get("workload-mb")
        if isinstance(w, dict):
            from .pathmatch import match_any
            for pattern, value in w.items():
                if pattern != "*" and path and match_any(path, [pattern]):
                    return float(value)
            return float(w["*"]) if "*" in w else None
        return None if w is None else float(w)

    def planned_bytes(self, path: str | None = None) -> int | None:
        """need = ceil((runtime overhead + workload MiB) × headroom), whole pages."""
        w = self.workload_mb(path)
        if w is None:
            return None
        need = math.ceil((self.policy["runtime-overhead-mb"] + w) * self.policy["headroom"] * MIB)
        return -(-need // PAGE) * PAGE

    def fingerprint(self) -> str:
        blob = json.dumps({k: v for k, v in self.__dict__.items() if k not in ("root", "path", "origins")},
                          sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


CONFIG_FILES = (".wasmlint.toml", ".wasmlint.yaml", ".wasmlint.yml", "pyproject.toml")


def find_config(start: Path) -> Path | None:
    start = real(start)
    if start.is_file():
        start = start.parent
    for d in (start, *start.parents):
        for name in CONFIG_FILES:
            p = d / name
            if p.is_file():   # follows a symlink; FIFOs and devices are not files
                if name == "pyproject.toml" and not _has_tool_section(p):
                    continue
                return p
    return None


def _has_tool_section(p: Path) -> bool:
    try:
        return "[tool.wasmlint" in _read_text(p).decode("utf-8", "replace")
    except (OSError, ConfigError):
        return False


CONFIG_LIMIT = 1 << 20


def _read_text(path: Path) -> bytes:
    """A configuration file's bytes: at most CONFIG_LIMIT, and never through a symlink
    that leads out of the folder holding it (a checked-out pull request could point
    one at a secret; configuration files above the checked paths are read by design)."""
    if path.is_symlink():
        target, why = link_target(path)
        if target is None:
            raise ConfigError(f"{path}: {why}; not read")
        if real(path.parent) not in target.parents:
            raise ConfigError(f"{path}: symlink to {os.readlink(path)} outside its folder; not read")
    try:
        data = read_regular(path, CONFIG_LIMIT, follow=True)
    except NotRegular:
        raise ConfigError(f"{path}: not a regular file; not read") from None
    if len(data) > CONFIG_LIMIT:
        raise ConfigError(f"{path}: configuration larger than 1 MiB; not read")
    return data


def load_config(path: Path | None, root: Path | None = None, trusted: bool = False) -> Config:
    """``trusted``: the user named the file (``--config``); it may raise the size limits."""
    if path is None:
        return Config(root=real(root or Path.cwd()))
    raw = _read_raw(path)
    cfg = Config(path=str(path), root=real(path).parent)
    cfg.trusted = trusted
    apply_table(cfg, raw, str(path))
    return cfg


def _read_raw(path: Path) -> dict:
    try:
        text = _read_text(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    if path.suffix in (".yaml", ".yml"):
        import yaml
        try:
            data = yaml.safe_load(text) or {}
        except yaml.MarkedYAMLError as exc:   # without PyYAML's snippet of the file
            mark = exc.problem_mark or exc.context_mark
            where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
            raise ConfigError(f"{path}: invalid YAML: {exc.problem or exc.context}{where}") from None
        except (yaml.YAMLError, RecursionError) as exc:
            raise ConfigError(f"{path}: invalid YAML: {exc}") from None
    else:
        from .tomlsafe import TomlError, loads
        try:
            data = loads(text)
        except TomlError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from None
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("wasmlint", {})
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a table")
    return data


def _strings(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"{where}: `{key}` must be a list of strings")


RAISE_ONLY_FROM_CLI = ("max-file-bytes", "max-binary-bytes")
MAX_NUMBER = 1 << 50    # the largest number a setting takes (a petabyte of MiB is beyond any limit)


def _finite(n: Any) -> bool:
    return isinstance(n, (int, float)) and not isinstance(n, bool) and math.isfinite(n) and -MAX_NUMBER <= n <= MAX_NUMBER


def _size_bytes(value: Any, key: str, where: str) -> int:
    if _finite(value) and value > 0:
        return int(value * MIB)
    if isinstance(value, str):
        from .units import parse_size
        n = parse_size(value)
        if n is not None:
            return n
    raise ConfigError(f"{where}: `{key}` must be a size in MiB or a string like '300MiB'")


def _scopes(cfg: Config, raw: dict, where: str) -> None:
    """``scope = "all"`` (or a list of scopes to report) and ``[scopes]`` (glob = scope)."""
    from .scopes import SCOPES, parse_scopes
    try:
        if "scope" in raw:
            cfg.report_scopes = parse_scopes(raw["scope"], "scope")
        table = raw.get("scopes", {})
        if not isinstance(table, dict):
            raise ValueError("`scopes` must be a table of glob = scope")
        for pattern, scope in table.items():
            if scope not in SCOPES:
                raise ValueError(f"`scopes.\"{pattern}\"`: unknown scope `{scope}` (known: {', '.join(SCOPES)})")
            cfg.scope_globs[pattern] = scope
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def unknown_key(key: str, known, where: str) -> ConfigError:
    from .cli_parser import did_you_mean
    return ConfigError(f"{where}: unknown configuration key `{key}`{did_you_mean(key.rsplit('.', 1)[-1], known)}")


def node_version_error(value: str) -> str | None:
    """Why ``value`` is not a node version (``20``, ``v20.11.1``, ``>=18 <21``, ``lts/iron``,
    ``22-alpine``, ``lts/*``), or None."""
    from .nodeflags import _LTS_CODENAMES, _lowest_major
    text = value.strip().lower()
    text = text[5:] if text.startswith("node:") else text
    name = text[4:] if text.startswith("lts/") else text
    if name.split("-", 1)[0] in (*_LTS_CODENAMES, "*", "lts", "latest", "current", "node") \
            or _lowest_major(text) is not None:
        return None
    return f"`{value}` is not a node version (write a major like \"22\", a version, a range or an LTS name)"


def apply_table(cfg: Config, raw: dict, where: str) -> None:
    for key in raw:
        if key not in CONFIG_KEYS:
            raise unknown_key(key, CONFIG_KEYS, where)
        cfg.origins[key] = where
    _scopes(cfg, raw, where)
    if "custom-targets" in raw:
        ct = raw["custom-targets"]
        if not isinstance(ct, dict):
            raise ConfigError(f"{where}: `custom-targets` must be a table of name = {{budget-mb = N}}")
        for name, spec in ct.items():
            cfg.custom_targets[name] = custom_target(cfg, name, spec, where)
    if "targets" in raw:
        t = raw["targets"]
        if not isinstance(t, (dict, list)):
            raise ConfigError(f"{where}: `targets` must be a list of target names (`targets = [\"ios\"]`) "
                              f"or a table of glob = list, not {type(t).__name__} {json.dumps(t, default=str)}")
        if isinstance(t, dict):
            for pattern, names in t.items():
                if not isinstance(names, list):
                    raise ConfigError(f"{where}: `targets.\"{pattern}\"` must be a list of target names")
                lst = _strings(names, f"targets.{pattern}", where)
                if pattern in ("*", "default"):
                    cfg.targets = lst
                else:
                    cfg.targets_by_path[pattern] = lst
        else:
            cfg.targets = _strings(t, "targets", where)
        for name in [*cfg.targets, *(n for v in cfg.targets_by_path.values() for n in v)]:
            try:
                cfg.target(name)
            except ConfigError as exc:
                raise ConfigError(f"{where}: {exc}") from None
    for key, attr in (("select", "select"), ("ignore", "ignore"), ("extend-select", "extend_select"),
                      ("exclude", "exclude"), ("extend-rules", "extend_rules")):
        if key in raw:
            setattr(cfg, attr, _strings(raw[key], key, where))
    if "extend-rules" in raw:
        cfg.extend_rules = [_rules_folder(f, where) for f in cfg.extend_rules]
    if "extend-exclude" in raw:
        cfg.exclude = cfg.exclude + _strings(raw["extend-exclude"], "extend-exclude", where)
    if "per-file-ignores" in raw:
        pfi = raw["per-file-ignores"]
        if not isinstance(pfi, dict):
            raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
        cfg.per_file_ignores = {k: _strings(v, f"per-file-ignores.{k}", where) for k, v in pfi.items()}
    if "severity" in raw:
        sev = raw["severity"]
        if not isinstance(sev, dict) or any(v not in ("error", "warning", "info") for v in sev.values()):
            raise ConfigError(f"{where}: `severity` must map codes to error|warning|info")
        cfg.severity = dict(sev)
    for key in ("node-version", "emscripten-version"):
        if key in raw:
            if not isinstance(raw[key], (str, int, float)) or isinstance(raw[key], bool):
                raise ConfigError(f"{where}: `{key}` must be a version like \"20\" or \"3.1.56\"")
            if key == "node-version" and node_version_error(str(raw[key])):
                raise ConfigError(f"{where}: `node-version`: {node_version_error(str(raw[key]))}")
            cfg.__setattr__(key.replace("-", "_"), str(raw[key]))
    if "policy" in raw:
        pol = raw["policy"]
        if not isinstance(pol, dict):
            raise ConfigError(f"{where}: `policy` must be a table")
        for k, v in pol.items():
            if k not in POLICY_DEFAULTS:
                raise unknown_key(f"policy.{k}", POLICY_DEFAULTS, where)
            cfg.origins[f"policy.{k}"] = where
            if k != "required-node-flags" and not (v is None and POLICY_DEFAULTS[k] is None):
                numbers = list(v.values()) if k == "workload-mb" and isinstance(v, dict) else [v]
                if not all(_finite(n) and n >= 0 for n in numbers):
                    raise ConfigError(f"{where}: `policy.{k}` must be a finite number of at least 0"
                                      + (" or a table of glob = number" if k == "workload-mb" else ""))
            if k in RAISE_ONLY_FROM_CLI and isinstance(v, (int, float)) and v > POLICY_DEFAULTS[k]:
                # the limits that bound the parsers' work: a configuration in the checked tree
                # may lower them, not raise them (--config names a file the user chose)
                if not cfg.trusted:
                    raise ConfigError(f"{where}: `policy.{k}` may not be raised above its default "
                                      f"({POLICY_DEFAULTS[k]}) by a project configuration; pass --config to do so")
            cfg.policy[k] = v
        flags = _strings(cfg.policy["required-node-flags"], "policy.required-node-flags", where)
        cfg.policy["required-node-flags"] = required_flags(flags, where)


CUSTOM_TARGET_KEYS = ("budget-mb", "budget", "extends")


def custom_target(cfg: Config, name: str, spec: Any, where: str):
    """``[custom-targets.NAME]``: ``budget-mb = N`` (the memory), ``extends = "platform"``, and
    the tables of a platform profile (``size = {value = "5MB", compression = "gzip"}``,
    ``memory``, ``startup``, ``loading``, ``memory64``, ``threads``; data/platforms/README.md)."""
    from .platforms import SECTIONS, ProfileError, builtin_profiles, profile_from_table
    key = f"custom-targets.{name}"
    table = dict(spec) if isinstance(spec, dict) else {"budget-mb": spec}
    base = None
    if "extends" in table:
        parent = table.pop("extends")
        base = cfg.custom_targets.get(parent) or builtin_profiles().get(parent)
        if base is None:
            from .cli_parser import did_you_mean
            raise ConfigError(f"{where}: `{key}.extends`: unknown platform `{parent}`"
                              f"{did_you_mean(str(parent), [*builtin_profiles(), *cfg.custom_targets])}")
    budget = [table.pop(k) for k in ("budget-mb", "budget") if k in table]
    for k in table:
        if k not in SECTIONS and k not in ("title", "runtime"):
            raise unknown_key(f"{key}.{k}", [*CUSTOM_TARGET_KEYS, *SECTIONS], where)
    if budget:
        table["memory"] = {**table.get("memory", {}), "value": f"{_size_bytes(budget[0], key, where)}B"}
    if not budget and base is None and "memory" not in table:
        raise ConfigError(f"{where}: `{key}` needs `budget-mb` (its memory), `memory` or `extends`")
    try:
        return profile_from_table(name, table, f"{where}: `{key}`", custom=True, base=base)
    except ProfileError as exc:
        raise ConfigError(str(exc)) from None


def _rules_folder(folder: str, where: str) -> str:
    """An ``extend-rules`` folder, relative to the configuration file that names it."""
    path = Path(folder).expanduser()
    if not path.is_absolute():
        path = Path(os.path.abspath(Path(where).parent / path))
    if not path.is_dir():
        raise ConfigError(f"{where}: `extend-rules`: no folder {folder!r} ({path})")
    return str(path)


def required_flags(entries: list[str], where: str) -> list[str]:
    """``policy.required-node-flags`` with its presets expanded, each flag once."""
    out: list[str] = []
    for entry in entries:
        if entry.startswith(PRESET):
            name = entry[len(PRESET):]
            if name not in NODE_FLAG_PRESETS:
                known = ", ".join(f"`{PRESET}{n}`" for n in NODE_FLAG_PRESETS)
                raise ConfigError(f"{where}: unknown preset `{entry}` in `policy.required-node-flags` "
                                  f"(known: {known})")
            expanded = NODE_FLAG_PRESETS[name]
        elif entry.startswith("--"):
            expanded = [entry]
        else:
            raise ConfigError(f"{where}: `policy.required-node-flags` entry `{entry}` is neither a flag "
                              f"(`--name`) nor a preset (`{PRESET}NAME`)")
        out.extend(f for f in expanded if f not in out)
    return out
