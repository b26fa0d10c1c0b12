"""One project as the server sees it: its configuration and rules (found as ``wasmlint
check`` finds them, with the editor's settings in place of command-line options) and
its analysis: the ``check`` pipeline over the whole project, each open buffer standing
for its file (``paths.overlaid``), the other files from the per-file cache."""
from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..config import CONFIG_FILES
from ..diagnostics import Diagnostic
from ..paths import overlaid

TOOL_RULES = ("WL002", "WL507")   # they start a process per module: never from an editor
DEBOUNCE_MS = 300
# initializationOptions: key -> the check option it stands for
OPTION_KEYS = {"select": "select", "ignore": "ignore", "extend-select": "extend_select",
               "extendSelect": "extend_select", "targets": "target", "node-version": "node_version",
               "nodeVersion": "node_version"}


class SettingsError(ValueError):
    """initializationOptions that are not what the server reads."""


@dataclass
class Settings:
    """The editor's settings: ``select``, ``ignore``, ``extend-select``, ``targets``,
    ``node-version`` (as the command-line options), and ``debounce`` in milliseconds."""

    options: dict = field(default_factory=dict)     # check option name -> value, as argparse gives it
    debounce_ms: int = DEBOUNCE_MS

    @classmethod
    def parse(cls, raw) -> tuple["Settings", list[str]]:
        """The settings and what was wrong with ``raw`` (each a message; the rest is used)."""
        out, problems = cls(), []
        if raw is None:
            return out, problems
        if not isinstance(raw, dict):
            return out, ["initializationOptions must be an object"]
        from ..cli_parser import did_you_mean
        for key, value in raw.items():
            if key == "debounce":
                if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 60_000:
                    out.debounce_ms = value
                else:
                    problems.append("`debounce` must be a number of milliseconds from 0 to 60000")
            elif key in ("node-version", "nodeVersion"):
                if isinstance(value, str):
                    out.options["node_version"] = value
                else:
                    problems.append(f"`{key}` must be a string such as \"22\"")
            elif key in OPTION_KEYS:
                values = [value] if isinstance(value, str) else value
                if isinstance(values, list) and all(isinstance(v, str) for v in values):
                    out.options[OPTION_KEYS[key]] = values
                else:
                    problems.append(f"`{key}` must be a list of strings or a comma-separated string")
            else:
                problems.append(f"unknown setting `{key}`{did_you_mean(key, [*OPTION_KEYS, 'debounce'])}")
        return out, problems


def is_config_file(path: str) -> bool:
    return os.path.basename(path) in CONFIG_FILES


def project_key(path: str) -> str:
    """The project a file belongs to: the root ``wasmlint check`` finds (a folder with
    ``.git`` or a configuration), or the file alone."""
    from ..runpaths import project_root
    root = project_root(Path(path))
    return str(root) if root is not None else os.path.realpath(path)


@dataclass
class Analysis:
    """A finished analysis: the findings of each file (by absolute path)."""

    result: object                           # pipeline.CheckResult
    by_file: dict[str, list[Diagnostic]]     # abspath -> its findings
    abspaths: dict[str, str]                 # display path -> abspath


class Session:
    """A project: ``key`` is its root folder (or its only file)."""

    def __init__(self, key: str, settings: Settings):
        self.key, self.settings = key, settings
        self._loaded = None

    def args(self) -> argparse.Namespace:
        o = self.settings.options
        return argparse.Namespace(paths=[self.key], config=None, target=o.get("target"),
                                  node_version=o.get("node_version"), extend_exclude=None,
                                  respect_gitignore=True, select=o.get("select"), ignore=o.get("ignore"),
                                  extend_select=o.get("extend_select"), deep=False)

    def load(self):
        """(config, all rules, chosen rules, run paths); raises ConfigError/RuleError."""
        if self._loaded is None:
            from ..commands.check import choose_rules
            from ..commands.common import resolve_config
            from ..runpaths import resolve_run_paths
            from ..usercache import distrust
            args = self.args()
            cfg = resolve_config(args)
            rules, chosen = choose_rules(args, cfg)
            runpaths = resolve_run_paths(args.paths, cfg.root)
            distrust([*runpaths.read, runpaths.root])
            self._loaded = cfg, rules, [r for r in chosen if r.code not in TOOL_RULES], runpaths
        return self._loaded

    def rules(self) -> list:
        return self.load()[1]

    def check(self, buffers: dict[str, bytes]):
        """The pipeline over the project, ``buffers`` (abspath -> text) standing for their files."""
        from ..pipeline import run_check
        cfg, rules, chosen, runpaths = self.load()
        overlay = dict(buffers)
        overlay.update({os.path.realpath(p): data for p, data in buffers.items()})
        with overlaid(overlay):      # the walk, too, classifies a buffer by its text
            return run_check(runpaths.read, cfg, chosen, jobs=1, overlay=overlay,
                             cache_root=runpaths.root, all_rules=rules)

    def analyse(self, buffers: dict[str, bytes]) -> Analysis:
        result = self.check(buffers)
        abspaths = {e.path: e.abspath for e in result.files}
        by_file: dict[str, list[Diagnostic]] = {}
        for d in result.diagnostics:
            path = d.span.path.split("#", 1)[0]
            by_file.setdefault(os.path.realpath(abspaths.get(path, path)), []).append(d)
        return Analysis(result, by_file, abspaths)

    def fix_all(self, abspath: str, buffers: dict[str, bytes]) -> dict[str, tuple[str, str]]:
        """What ``check --fix`` makes of the files when fixing the safe fixes of the
        findings in ``abspath``: abspath -> (text before, text after), for each file it changes."""
        from ..edits import TextFile
        from ..fix import run_fixes
        real = os.path.realpath(abspath)

        def keep(result, overlay):
            where = {e.path: os.path.realpath(e.abspath) for e in result.files}
            return [d for d in result.diagnostics if where.get(d.span.path.split("#", 1)[0]) == real]

        fr = run_fixes(lambda overlay: self.check(overlay), keep, contents=buffers)
        return {c.abspath: (TextFile.decode(c.original).text, c.text.text) for c in fr.changed}
