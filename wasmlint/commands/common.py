"""What several subcommands share: configuration lookup and CLI overrides."""
from __future__ import annotations

from pathlib import Path

from ..config import Config, ConfigError, find_config, load_config


def add_config_args(p) -> None:
    p.add_argument("--config", metavar="FILE", help="configuration file (default: found by walking up)")
    p.add_argument("--target", action="append", metavar="NAME",
                   help="target(s) to check memory against; repeat or comma-separate (ios,android,desktop,node,…)")
    p.add_argument("--node-version", metavar="VERSION", help="the node version that runs the project")


def resolve_config(args) -> Config:
    paths = getattr(args, "paths", None) or ["."]
    if args.config:
        path = Path(args.config)
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file not found")
    else:
        path = find_config(Path(paths[0]))
    cfg = load_config(path, root=Path(paths[0]), trusted=bool(args.config))
    if getattr(args, "target", None):
        names = [t.strip() for v in args.target for t in v.split(",") if t.strip()]
        for n in names:
            cfg.target(n)
        cfg.targets = names
        cfg.targets_by_path = {}
        cfg.targets_from_cli = True
    if getattr(args, "node_version", None):
        cfg.node_version = args.node_version
    return cfg


def split_codes(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [c.strip() for v in values for c in v.split(",") if c.strip()]
