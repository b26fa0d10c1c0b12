"""The ``wasmlint`` command line. Each subcommand is a module in
``wasmlint/commands/`` with ``add_parser(subparsers)`` and ``run(args) -> int``."""
from __future__ import annotations

import importlib
import os
import sys

from . import __version__

COMMANDS = ("check", "rule", "inspect", "probe", "doctor", "targets", "clean", "server")
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
# options whose run is not replayed from the run memo (it writes elsewhere than stdout,
# reads stdin, or is not a check)
NO_REPLAY = ("--output-file", "-o", "--show-settings", "--show-files", "--stdin-filename", "-")


def _available_commands():
    for name in COMMANDS:
        try:
            yield name, importlib.import_module(f"wasmlint.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"wasmlint.commands.{name}":
                raise


def build_parser():
    from .cli_parser import Parser
    parser = Parser(
        prog="wasmlint", description="Lint WebAssembly deployments: binaries, build configs, loaders and node launches.")
    parser.add_argument("--version", action="version", version=f"wasmlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for _, mod in _available_commands():
        mod.add_parser(sub)
    return parser


def _replayable(argv: list[str]) -> bool:
    return not any(a == o or a.startswith(o + "=") or (o == "-o" and a.startswith("-o"))
                   for a in argv for o in NO_REPLAY)


def _set_color(choice: str | None) -> None:
    """``--color always|never``: what rich reads (force-color.org, no-color.org)."""
    if choice == "always":
        os.environ.pop("NO_COLOR", None)
        os.environ["FORCE_COLOR"] = "1"
    elif choice == "never":
        os.environ.pop("FORCE_COLOR", None)
        os.environ["NO_COLOR"] = "1"


def _stop_on_ctrl_c() -> None:
    """Ctrl-C ends the run at once with exit 130: the handler kills the worker pool
    (forked workers inherit the handler and exit too) and exits
    without unwinding, since an interrupt that lands in a finaliser or a pool
    thread would otherwise be lost. A run started with SIGINT ignored keeps ignoring it."""
    import signal
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        return
    main_pid = os.getpid()

    def interrupted(signum, frame):
        if os.getpid() != main_pid:     # a forked worker: the terminal's Ctrl-C reached it too
            os._exit(EXIT_INTERRUPTED)
        _end_children()
        try:
            os.write(2, b"wasmlint: interrupted\n")
        finally:
            os._exit(EXIT_INTERRUPTED)

    signal.signal(signal.SIGINT, interrupted)


def _end_children() -> None:
    """Kill and reap every child process: the pool's registered workers, and on Linux any
    child the kernel lists (one forked a moment before the interrupt is not yet registered)."""
    import signal
    mp = sys.modules.get("multiprocessing")
    pids = {c.pid for c in (mp.active_children() if mp is not None else []) if c.pid}
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as fh:
                pids.update(int(p) for p in fh.read().split())
    except OSError:
        pass
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass


def main(argv: list[str] | None = None) -> int:
    if argv is None:     # the console script (not a caller in the same process)
        _stop_on_ctrl_c()
    argv = list(sys.argv[1:] if argv is None else argv)
    raw = list(argv)
    from .usercache import distrust_for_argv
    distrust_for_argv(raw)
    if not os.environ.get("WASMLINT_DEBUG") and _replayable(raw):
        from .runmemo import replay
        try:
            code = replay(raw)
        except BrokenPipeError:   # `wasmlint check | head`
            return EXIT_OK
        if code is not None:
            return code
    from .cli_parser import ALIASES, command_word
    names = {n for n, _ in _available_commands()} | set(ALIASES)
    argv, problem = command_word(argv, names)
    if problem:
        print(f"wasmlint: error: {problem}", file=sys.stderr)
        return EXIT_ERROR
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exc.code or 0)
    args.raw_argv = raw if _replayable(raw) else None
    _set_color(getattr(args, "color", None))
    mod = importlib.import_module(f"wasmlint.commands.{ALIASES.get(args.command, args.command)}")
    try:
        return _run_to(mod, args)
    except KeyboardInterrupt:
        print("wasmlint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
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


def _run_to(mod, args) -> int:
    """Run the subcommand, its standard output going to ``--output-file`` when given."""
    target = getattr(args, "output_file", None)
    if not target:
        return _run(mod, args)
    try:
        fh = open(target, "w", encoding="utf-8")
    except OSError as exc:
        print(f"wasmlint: error: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    saved = sys.stdout
    sys.stdout = fh
    try:
        return _run(mod, args)
    finally:
        sys.stdout = saved
        fh.close()


def _run(mod, args) -> int:
    """``--show-settings`` of a command other than ``check`` (which adds its rule options)."""
    if getattr(args, "show_settings", False) and mod.__name__ != "wasmlint.commands.check":
        from .commands.common import resolve_config, show_settings
        args.paths = getattr(args, "paths", None) or [getattr(args, "module", None) or "."]
        show_settings(resolve_config(args), args.paths, sys.stdout)
        return EXIT_OK
    return mod.run(args)


if __name__ == "__main__":
    sys.exit(main())
