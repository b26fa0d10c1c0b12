"""The argument parser and its usage errors: argparse, with a "did you mean" from
difflib for unknown subcommands, options and choices (exit 2, as argparse exits)."""
from __future__ import annotations

import argparse
import difflib
import os

# subcommand aliases -> the module that runs them
ALIASES = {"explain": "rule"}


def did_you_mean(word: str, known) -> str:
    """`` (did you mean `x`?)`` for the closest known spelling, else ``""``."""
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        """One line and a pointer to --help (not argparse's whole usage block), exit 2."""
        self.exit(2, f"{self.prog}: error: {message}\n(see `{self.prog} --help`)\n")

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            hint = did_you_mean(value, action.choices)
            name = "/".join(action.option_strings) or action.dest
            if isinstance(action, argparse._SubParsersAction):
                name = "subcommand"
            self.error(f"{name}: invalid choice `{value}` (choose from "
                       f"{', '.join(map(str, action.choices))}){hint}")

    def parse_args(self, args=None, namespace=None):
        ns, extras = self.parse_known_args(args, namespace)
        if extras:
            sub = self._chosen_subparser(ns)
            options = [o for a in sub._actions for o in a.option_strings]
            first = extras[0]
            hint = did_you_mean(first.split("=", 1)[0], options) if first.startswith("-") else ""
            sub.error(f"unrecognized argument{'s' if len(extras) > 1 else ''}: {' '.join(extras)}{hint}")
        return ns

    def _chosen_subparser(self, ns):
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                return action.choices.get(getattr(ns, "command", None) or "", self)
        return self


PIPE_WIDTH = 10_000    # columns of a table printed to a pipe or file: never cut at 80


def console(file=None, **options):
    """A rich console for a command's tables: the terminal's width on a terminal, and
    no width limit (rich's default is 80) when the output goes to a pipe or a file."""
    import sys
    from rich.console import Console
    stream = file if file is not None else sys.stdout
    tty = getattr(stream, "isatty", lambda: False)()
    return Console(file=stream, highlight=False, width=None if tty else PIPE_WIDTH, **options)


def positive_int(text: str) -> int:
    """``--jobs`` and friends: a whole number of at least 1."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def add_output_format(p, choices, default=None, env: bool = False) -> None:
    """``--output-format`` (``--format`` kept as its alias) on every subcommand."""
    where = "$WASMLINT_OUTPUT_FORMAT or text" if env else default
    p.add_argument("--output-format", "--format", dest="output_format", choices=choices, default=default,
                   help=f"output format (default: {where})")


def add_output_args(p) -> None:
    """What every subcommand takes about where and how its output goes."""
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the output: auto (when a terminal), always, never")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="print findings (or the command's result) and nothing else: no summary, no notes")
    p.add_argument("--output-file", "-o", metavar="FILE", help="write the output to FILE instead of stdout")


def command_word(argv: list[str], commands) -> tuple[list[str], str | None]:
    """``argv`` with ``check`` put first when no subcommand is named, or an error
    message when the first word is neither a subcommand nor a path: an unknown
    subcommand (``wasmlint chek``) is never read as a path."""
    if not argv:
        return ["check"], None
    first = argv[0]
    if first in commands or first in ("-h", "--help", "--version"):
        return argv, None
    if first.startswith("-") or os.path.lexists(first) or any(c in first for c in "/\\.*?[~"):
        return ["check", *argv], None
    return argv, (f"unrecognized subcommand `{first}`{did_you_mean(first, commands)} "
                  f"(commands: {', '.join(sorted(commands))}; to check a missing path write ./{first})")
