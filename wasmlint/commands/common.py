"""What several subcommands share: configuration lookup and CLI overrides."""
from __future__ import annotations

import sys
from pathlib import Path

from ..cli_parser import add_output_args
from ..config import Config, ConfigError, find_config, load_config, node_version_error


def add_config_args(p) -> None:
    p.add_argument("--config", metavar="FILE", help="configuration file (default: found by walking up)")
    p.add_argument("--target", action="append", metavar="NAME",
                   help="target(s) to check memory against; repeat or comma-separate (ios,android,desktop,node,…)")
    p.add_argument("--node-version", metavar="VERSION", help="the node version that runs the project")
    p.add_argument("--extend-exclude", action="append", metavar="GLOBS",
                   help="leave out these paths too (gitignore-style globs; repeat or comma-separate)")
    p.add_argument("--no-respect-gitignore", dest="respect_gitignore", action="store_false",
                   help="read files that .gitignore files leave out")
    p.add_argument("--show-settings", action="store_true",
                   help="print the resolved configuration and where each value came from, then exit")
    add_output_args(p)


def note(args, message: str) -> None:
    """A note on stderr (``wasmlint: …``), left out by ``--quiet``."""
    if not getattr(args, "quiet", False):
        print(f"wasmlint: {message}", file=sys.stderr)


def project_start(paths: list[str]) -> Path:
    """Where the project context is looked up from: the first path (``check dir``,
    ``check dir/sub`` and ``check dir/file.js`` find the same configuration)."""
    return Path(paths[0])


def resolve_config(args) -> Config:
    paths = getattr(args, "paths", None) or ["."]
    if args.config:
        path = Path(args.config)
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file not found")
    else:
        path = find_config(project_start(paths))
    cfg = load_config(path, root=project_start(paths), trusted=bool(args.config))
    if getattr(args, "target", None):
        names = [t.strip() for v in args.target for t in v.split(",") if t.strip()]
        for n in names:
            cfg.target(n)
        cfg.targets = names
        cfg.targets_by_path = {}
        cfg.targets_from_cli = True
        cfg.origins["targets"] = "command line (--target)"
    if getattr(args, "node_version", None):
        problem = node_version_error(args.node_version)
        if problem:
            raise ConfigError(f"--node-version: {problem}")
        cfg.node_version = args.node_version
        cfg.origins["node-version"] = "command line (--node-version)"
    if getattr(args, "extend_exclude", None):
        cfg.exclude = [*cfg.exclude, *split_codes(args.extend_exclude)]
        cfg.origins["exclude"] = "command line (--extend-exclude)" + (
            f" and {cfg.origins['exclude']}" if "exclude" in cfg.origins else "")
    if getattr(args, "respect_gitignore", True) is False:
        cfg.respect_gitignore = False
        cfg.origins["respect-gitignore"] = "command line (--no-respect-gitignore)"
    return cfg


def show_settings(cfg: Config, paths: list[str], out) -> None:
    """``--show-settings``: the project root, every setting, its value and where it came from."""
    import json
    from ..config import POLICY_DEFAULTS
    from ..runpaths import project_root
    values = {
        "targets": cfg.targets if not cfg.targets_by_path else {"*": cfg.targets, **cfg.targets_by_path},
        "select": cfg.select, "ignore": cfg.ignore, "extend-select": cfg.extend_select,
        "per-file-ignores": cfg.per_file_ignores, "severity": cfg.severity, "exclude": cfg.exclude,
        "respect-gitignore": cfg.respect_gitignore, "node-version": cfg.node_version,
        "emscripten-version": cfg.emscripten_version, "extend-rules": cfg.extend_rules,
        "custom-targets": {k: {"memory": f"{p.memory_bytes >> 20} MiB" if p.memory_bytes else None,
                               **({"size": f"{p.size_bytes} bytes ({p.size_compression}, {p.size_counts})"}
                                  if p.size_bytes else {})}
                           for k, p in cfg.custom_targets.items()},
        "scope": list(cfg.report_scopes) if cfg.report_scopes else None, "scopes": cfg.scope_globs,
        **{f"policy.{k}": cfg.policy.get(k) for k in POLICY_DEFAULTS},
    }
    out.write(f"configuration file: {cfg.path or 'none (defaults)'}\n")
    root = project_root(project_start(paths or ["."]))
    out.write(f"project root: {root or 'none (no .git or configuration above; the given paths alone)'}\n")
    width = max(map(len, values))
    for key, value in values.items():
        origin = cfg.origins.get(key, "default")
        out.write(f"{key:<{width}} = {json.dumps(value)}  # {origin}\n")


def split_codes(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [c.strip() for v in values for c in v.split(",") if c.strip()]
