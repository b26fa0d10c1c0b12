"""The ``wasmlint`` command line. Each subcommand is a module in
``wasmlint/commands/`` with ``add_parser(subparsers)`` and ``run(args) -> int``."""
from __future__ import annotations

import importlib
import os
import sys

from . import __version__

COMMANDS = ("check", "rule", "inspect", "probe", "doctor")
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _available_commands():
    for name in COMMANDS:
        try:
            yield name, importlib.import_module(f"wasmlint.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"wasmlint.commands.{name}":
                raise


def build_parser():
    import argparse
    parser = argparse.ArgumentParser(
        prog="wasmlint", description="Lint WebAssembly deployments: binaries, build configs, loaders and node launches.")
    parser.add_argument("--version", action="version", version=f"wasmlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for _, mod in _available_commands():
        mod.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    raw = list(argv)
    from .usercache import distrust_for_argv
    distrust_for_argv(raw)
    if not os.environ.get("WASMLINT_DEBUG"):
        from .runmemo import replay
        try:
            code = replay(raw)
        except BrokenPipeError:   # `wasmlint check | head`
            return EXIT_OK
        if code is not None:
            return code
    names = {n for n, _ in _available_commands()}
    if not argv or (argv[0] not in names and argv[0] not in ("-h", "--help", "--version")):
        argv.insert(0, "check")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exc.code or 0)
    args.raw_argv = raw
    mod = importlib.import_module(f"wasmlint.commands.{args.command}")
    try:
        return mod.run(args)
    except KeyboardInterrupt:
        print("wasmlint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        from .config import ConfigError
        from .ruleset import RuleError
        if isinstance(exc, (ConfigError, RuleError)):
            print(f"wasmlint: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        if os.environ.get("WASMLINT_DEBUG"):
            raise
        print(f"wasmlint: internal error: {type(exc).__name__}: {exc}\n"
              "Please report this with the command that caused it (set WASMLINT_DEBUG=1 for details).",
              file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
