"""``wasmlint check [PATH...]``: lint (the default command)."""
from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

from ..cli_parser import add_output_format, positive_int
from ..report import FORMATS
from .common import add_config_args, note, resolve_config, show_settings, split_codes


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="lint files and folders (default command)")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (default: .); given files are reported with their project as context; "
                        "- reads the file named by --stdin-filename from standard input")
    add_output_format(p, FORMATS, env=True)
    p.add_argument("--select", action="append", metavar="CODES", help="only these rules (codes, names, prefixes, ALL)")
    p.add_argument("--ignore", action="append", metavar="CODES", help="skip these rules")
    p.add_argument("--extend-select", action="append", metavar="CODES", help="add rules to the selection")
    p.add_argument("--fix", action="store_true", help="apply safe fixes, then report what remains")
    p.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply unsafe fixes too")
    p.add_argument("--diff", action="store_true",
                   help="print the fixes as a unified diff and change nothing (exit 1 if there is one)")
    p.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    p.add_argument("--update-baseline", action="store_true",
                   help="record the current findings in the --baseline FILE (created if missing)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the per-file cache or replay a run")
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    p.add_argument("--exit-non-zero-on-fix", action="store_true",
                   help="with --fix: exit 1 when a file was changed, even if no finding remains")
    p.add_argument("--show-files", action="store_true", help="print the files that would be checked, then exit")
    p.add_argument("--stdin-filename", metavar="PATH",
                   help="the path of the file read from standard input (given as -): its project is the context")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default="warning",
                   help="lowest severity that makes the exit code 1 (default: warning)")
    p.add_argument("--statistics", action="store_true", help="print counts per rule instead of findings")
    p.add_argument("--deep", action="store_true",
                   help="also run binaryen's wasm-opt on each module to measure what it would save (WL507)")
    p.add_argument("--scope", metavar="SCOPES",
                   help="report findings in these scopes: all, or a comma-separated list of production, test, "
                        "bench, example, fixture, docs, vendored, debug, tooling, unknown (default: each rule's own)")
    p.add_argument("--jobs", type=positive_int, default=None, metavar="N",
                   help="worker processes, at least 1 (default: all cores)")
    add_config_args(p)


TOOL_RULES = ("WL002", "WL507")   # each runs an external tool on every module


def _tools_from_command_line(chosen, rules, args):
    """Rules that start a process per module run only when the command line asks for
    them (`--select`, `--extend-select`, `--deep`): a configuration committed in the
    checked tree cannot make wasmlint run tools (SECURITY.md)."""
    from ..ruleset import select_rules
    cli = select_rules(rules, split_codes(args.select) if args.select else [], [],
                       [*(split_codes(args.extend_select) or []), *(["WL507"] if args.deep else [])])
    allowed = {r.code for r in cli}
    dropped = [r.code for r in chosen if r.code in TOOL_RULES and r.code not in allowed]
    if dropped:
        _err(f"wasmlint: {', '.join(dropped)} run external tools and are enabled only from the command line "
             f"(--extend-select {','.join(dropped)}); the configuration's selection of them is not used")
    return [r for r in chosen if r.code not in dropped]


def choose_rules(args, cfg) -> tuple[list, list]:
    """The whole catalog (with ``extend-rules``) and the rules this run selects: the
    configuration's selection, then ``args.select``/``ignore``/``extend_select``
    (lists of comma-separated selectors, or None), as the command line gives them."""
    from ..ruleset import all_rules, select_rules
    rules = all_rules(cfg.extend_rules)
    select = split_codes(args.select) if args.select else cfg.select
    ignore = [*cfg.ignore, *(split_codes(args.ignore) or [])]
    extend = [*cfg.extend_select, *(split_codes(args.extend_select) or []),
              *(["WL507"] if getattr(args, "deep", False) else [])]
    chosen = select_rules(rules, select, ignore, extend)
    return rules, _tools_from_command_line(chosen, rules, args)


def _err(msg: str) -> None:
    print(f"wasmlint: {msg}", file=sys.stderr)


def _stdin(args) -> dict[str, bytes] | None:
    """``--stdin-filename PATH -``: the path stands for ``-``, its text is read from stdin."""
    if "-" not in args.paths and not args.stdin_filename:
        return None
    if not args.stdin_filename or args.paths != ["-"]:
        raise _Usage("read standard input with `--stdin-filename PATH -` (- as the only path)")
    name = args.stdin_filename
    if not os.path.isfile(name):
        raise _Usage(f"--stdin-filename: {name} is not a file of the project (the file must exist; "
                     "its text is taken from standard input)")
    if args.fix or args.diff:
        raise _Usage("--fix and --diff do not apply to standard input")
    args.paths = [name]
    data = sys.stdin.buffer.read()
    return {os.path.abspath(name): data, os.path.realpath(name): data}


class _Usage(Exception):
    """A usage error of ``check``'s options (exit 2)."""


def run(args) -> int:
    """Check; an unchanged rerun is replayed by ``wasmlint.runmemo`` (recorded here)."""
    rec = None
    if getattr(args, "raw_argv", None) is not None and not (
            args.fix or args.diff or args.update_baseline or args.no_cache or args.deep or args.show_files):
        from ..runmemo import Recorder
        rec = Recorder(args.raw_argv)
    try:
        code, inputs = _run(args)
    except _Usage as exc:
        code, inputs = 2, None
        _err(f"error: {exc}")
    finally:
        if rec is not None:
            rec.close()
    if rec is not None and inputs is not None and code in (0, 1):
        rec.store(code, inputs)
    return code


def _run(args) -> tuple[int, list | None]:
    """The exit code, and what decided the output when it may be replayed (else None)."""
    from .. import baseline as bl
    from ..fingerprint import Fingerprinter
    from ..pipeline import fails, run_check
    from ..progress import Progress
    from ..report import renderer
    from ..runpaths import resolve_run_paths

    overlay = _stdin(args)
    cfg = resolve_config(args)
    if args.show_settings:
        for key in ("select", "ignore", "extend-select"):
            if getattr(args, key.replace("-", "_")):
                cfg.origins[key] = f"command line (--{key})" + (
                    f" and {cfg.origins[key]}" if key != "select" and key in cfg.origins else "")
        cfg.select = split_codes(args.select) if args.select else cfg.select
        cfg.ignore = [*cfg.ignore, *(split_codes(args.ignore) or [])]
        cfg.extend_select = [*cfg.extend_select, *(split_codes(args.extend_select) or [])]
        show_settings(cfg, args.paths, sys.stdout)
        return 0, None
    if args.scope:
        from ..scopes import parse_scopes
        try:
            cfg.report_scopes = parse_scopes(args.scope, "--scope")
        except ValueError as exc:
            _err(f"error: {exc}")
            return 2, None
    fmt = args.output_format or os.environ.get("WASMLINT_OUTPUT_FORMAT") or "text"
    if fmt not in FORMATS:
        _err(f"error: unknown output format {fmt!r}")
        return 2, None
    if args.update_baseline and not args.baseline:
        _err("error: --update-baseline needs --baseline FILE")
        return 2, None
    rules, chosen = choose_rules(args, cfg)
    base = None
    if args.baseline:
        path = Path(args.baseline)
        try:
            base = bl.Baseline(path) if args.update_baseline and not path.exists() else bl.load(path)
        except bl.BaselineError as exc:
            _err(f"error: {exc}")
            return 2, None
    runpaths = resolve_run_paths(args.paths, cfg.root)
    if args.show_files:
        from ..discover import discover
        for e in discover(runpaths.read, cfg.exclude, gitignore=cfg.respect_gitignore):
            if e.kind and runpaths.contains(e.abspath):
                sys.stdout.write(f"{e.path}\n")
        return 0, None
    _warn_left_out(args, cfg, runpaths)
    from ..usercache import distrust
    distrust([*runpaths.read, runpaths.root])
    cache_root = None if args.no_cache else runpaths.root
    stale = [0]
    hidden = [0]

    def check(overlay=overlay):
        with Progress("checking files") as progress:
            return run_check(runpaths.read, cfg, chosen, jobs=args.jobs, progress=progress, overlay=overlay,
                             cache_root=cache_root, all_rules=rules)

    def keep(result, overlay=None):
        abspaths = {e.path: e.abspath for e in result.files}

        def given(span) -> bool:
            path = span.path.split("#", 1)[0]
            return runpaths.contains(abspaths.get(path, path))

        # a finding reported elsewhere (its build line) is kept for a given file that is one of its places
        diags = [d for d in result.diagnostics if given(d.span) or any(map(given, d.also_at))]
        if base is not None and not args.update_baseline:
            fp = Fingerprinter(_read_files(result), {e.path: e.kind for e in result.files}, overlay)
            before = len(diags)
            diags, stale[0] = bl.filter_new(base, diags, fp, abspaths)
            hidden[0] = before - len(diags)
        return diags

    if args.fix or args.diff:
        from ..fix import run_fixes, unified_diff, write_changes
        fr = run_fixes(check, keep, unsafe=args.unsafe_fixes)
        for text in fr.notes:
            note(args, text)
        for d, reason in fr.unapplied:
            note(args, f"{d.span.path}:{d.span.line}:{d.span.column}: fix of {d.code} not applied: {reason}")
        if args.diff:
            sys.stdout.write(unified_diff(fr))
            n = len(fr.changed)
            _err((f"{plural(fr.applied, 'fix', 'fixes')} would change {plural(n, 'file')}" if n
                  else "no fixes to apply") + _remaining(fr))
            return (1 if n and not args.exit_zero else 0), None
        refused = write_changes(fr)
        for msg in refused:
            _err(msg)
        result, diags = fr.result, fr.reported
        if refused:
            result = check()
            diags = keep(result)
        if fr.changed:
            n = len(fr.changed) - len(refused)
            note(args, f"fixed {plural(fr.applied, 'problem')} in {plural(n, 'file')}{_remaining(fr)}")
    else:
        result = check()
        diags = keep(result)
    for text in dict.fromkeys(result.ctx.notes):
        note(args, text)
    abspaths = {e.path: e.abspath for e in result.files}
    kinds = {e.path: e.kind for e in result.files}
    shown = _read_files(result)
    if args.update_baseline:
        fp = Fingerprinter(shown, kinds)
        try:
            n = bl.write(base, diags, fp, abspaths, reported=runpaths.contains if runpaths.filtered else (lambda _: True))
        except OSError as exc:
            _err(f"error: cannot write the baseline {args.baseline}: {exc}")
            return 2, None
        _err(f"wrote {n} finding{'s' if n != 1 else ''} to the baseline {args.baseline}")
        return 0, None
    if hidden[0]:   # the baseline is the user's choice to accept findings: say how many it hid
        note(args, f"{hidden[0]} finding{'s' if hidden[0] != 1 else ''} hidden by the baseline {args.baseline}")
    if stale[0]:
        note(args, f"{stale[0]} baseline entr{'ies' if stale[0] != 1 else 'y'} no longer occur; "
             "run with --update-baseline to drop them")
    out = sys.stdout
    files = [e.path for e in result.files if runpaths.contains(e.abspath)]
    if not any(e.kind and not e.problem for e in result.files if runpaths.contains(e.abspath)):
        note(args, "warning: No files were checked (no file of a kind wasmlint reads under "
                   f"{', '.join(args.paths or ['.'])}; see --show-files)")
    if args.statistics:
        _statistics(diags, fmt, out)
    elif files or fmt != "text":
        from ..fix import applicable
        renderer(fmt)(diags, out, paths=shown, kinds=kinds, rules=chosen, files=files, quiet=args.quiet,
                      fixable=0 if args.fix else sum(1 for d in diags if applicable(d, False)),
                      hidden=0 if args.unsafe_fixes else
                      sum(1 for d in diags if applicable(d, True) and not applicable(d, False)))
    code = 0 if args.exit_zero else 1 if fails(diags, args.fail_on) else 0
    if args.fix and args.exit_non_zero_on_fix and fr.changed and len(fr.changed) > len(refused):
        code = 1
    tools = any(r.code in ("WL002", "WL507") for r in chosen)
    return code, (None if tools or not result.cacheable else _inputs(args, cfg, runpaths, result))


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


def _remaining(fr) -> str:
    """What is left after the fixes, as ruff says it: how many remain, and how many
    of those ``--unsafe-fixes`` would fix."""
    left = f"; {len(fr.reported)} remaining" if fr.reported else ""
    if fr.hidden:
        left += (f" ({plural(fr.hidden, 'hidden fix', 'hidden fixes')} can be enabled with the "
                 "`--unsafe-fixes` option)")
    return left


def _statistics(diags, fmt: str, out) -> None:
    """Counts per rule: a table, or with ``--output-format json`` a JSON array."""
    counts = Counter((d.code, d.name) for d in diags)
    fixable = Counter(d.code for d in diags if d.fix is not None and d.fix.applicability != "suggestion")
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if fmt == "json":
        import json
        json.dump([{"code": code, "name": name, "count": n, "fixable": fixable[code]}
                   for (code, name), n in rows], out, indent=2)
        out.write("\n")
        return
    for (code, name), n in rows:
        out.write(f"{n:>5}  {code}  {name}\n")


def _warn_left_out(args, cfg, runpaths) -> None:
    """A path named on the command line that a walk of its project would leave out is
    still read, with a warning (ruff checks such a file too, and says nothing)."""
    from ..discover import left_out
    for path in args.paths:
        why = left_out(path, runpaths.root, cfg.exclude, cfg.respect_gitignore)
        if why == "gitignored":
            note(args, f"warning: {path} is ignored by a .gitignore; checked because it was named "
                       "(--no-respect-gitignore reads every such file)")
        elif why == "excluded":
            note(args, f"warning: {path} is excluded by `exclude` ({cfg.origins.get('exclude', 'default')}); "
                       "checked because it was named")


def _inputs(args, cfg, runpaths, result) -> list[tuple[str, str | None]]:
    """Every path whose state decided this run's output (see ``wasmlint.runmemo``)."""
    from ..config import CONFIG_FILES
    from ..runmemo import above
    given = [*(args.paths or ["."]), *runpaths.read]
    ins = [(os.path.abspath(p), None) for p in [*given, *result.visited]]
    ins += [(e.abspath, None) for e in result.files]
    ins += above(given, CONFIG_FILES)
    for extra in (args.config, cfg.path, args.baseline):
        if extra:
            ins.append((os.path.abspath(extra), None))
    for folder in cfg.extend_rules:
        ins.append((os.path.abspath(folder), None))
        ins += [(str(p.absolute()), None) for p in sorted(Path(folder).glob("WL*.toml"))]
    return ins


def _read_files(result) -> dict[str, str]:
    """Display path → absolute path of the files the pipeline read. Reports and
    fingerprints open only these: a file reported as not read (a symlink out of the
    tree, a FIFO, one over the size limit) stays unopened."""
    return {e.path: e.abspath for e in result.files if e.path in result.digests}
