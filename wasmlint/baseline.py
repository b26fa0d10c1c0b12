"""The baseline: findings a project has accepted, so that later runs report
only new ones (``--baseline FILE``, ``--update-baseline``).

The file is JSON, sorted, without timestamps or line numbers (so it changes
only when findings do)::

    {
      "wasmlint-baseline": 1,
      "findings": [
        {"code": "WL101", "path": "dist/app.wasm", "fingerprint": "…32 hex…",
         "count": 1, "message": "memory 0 can grow: …"}
      ]
    }

``path`` is relative to the baseline file's folder; ``fingerprint`` is
``wasmlint.fingerprint`` (code + path + target + the flagged text, or the message
for binaries); ``count`` is how many identical findings are accepted; ``message``
is for people reading the file and is not compared.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic
from .fingerprint import Fingerprinter
from .paths import real

FORMAT = 1


class BaselineError(Exception):
    """A baseline file that is missing or not a wasmlint baseline (exit 2)."""


@dataclass
class Baseline:
    path: Path
    entries: list[dict] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return real(self.path).parent

    def relpath(self, abspath: str) -> str:
        return Path(os.path.relpath(abspath, self.folder)).as_posix()

    def abspath(self, rel: str) -> str:
        return os.path.normpath(os.path.join(self.folder, rel.split("#", 1)[0]))


MAX_COUNT = 1_000_000     # times one finding can be recorded
BASELINE_LIMIT = 64 << 20


def load(path: Path) -> Baseline:
    if not path.is_file():
        raise BaselineError(f"{path}: baseline file not found (create it with --update-baseline)")
    try:
        from .paths import read_regular
        raw = read_regular(path, BASELINE_LIMIT, follow=True)
        if len(raw) > BASELINE_LIMIT:
            raise ValueError("larger than 64 MiB")
        doc = json.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
    if not isinstance(doc, dict) or doc.get("wasmlint-baseline") != FORMAT or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"{path}: not a wasmlint baseline (format {FORMAT})")
    for e in doc["findings"]:
        count = e.get("count", 1) if isinstance(e, dict) else None
        if not (isinstance(e, dict) and isinstance(e.get("fingerprint"), str) and isinstance(e.get("path"), str)
                and type(count) is int and 0 < count <= MAX_COUNT):
            raise BaselineError(f"{path}: malformed baseline entry {str(e)[:200]}")
    return Baseline(path, doc["findings"])


def _entry_path(b: Baseline, d: Diagnostic, abspaths: dict[str, str]) -> str:
    base, _, rest = d.span.path.partition("#")
    ap = abspaths.get(base) or os.path.abspath(base)
    return b.relpath(ap) + (f"#{rest}" if rest else "")


def filter_new(b: Baseline, diags: list[Diagnostic], fp: Fingerprinter,
               abspaths: dict[str, str]) -> tuple[list[Diagnostic], int]:
    """The findings not accepted by the baseline, and how many entries matched nothing."""
    budget = Counter({e["fingerprint"]: int(e.get("count", 1)) for e in b.entries})
    new = []
    for d in diags:
        k = fp.key(d, _entry_path(b, d, abspaths))
        if budget[k] > 0:
            budget[k] -= 1
        else:
            new.append(d)
    return new, sum(1 for v in budget.values() if v > 0)


def write(b: Baseline, diags: list[Diagnostic], fp: Fingerprinter, abspaths: dict[str, str],
          reported=lambda abspath: True) -> int:
    """Record ``diags``; entries for files outside ``reported`` are kept as they were."""
    counts: dict[tuple, dict] = {}
    for d in diags:
        rel = _entry_path(b, d, abspaths)
        k = fp.key(d, rel)
        entry = counts.setdefault((rel, d.code, k), {"code": d.code, "path": rel, "fingerprint": k,
                                                       "count": 0, "message": d.message})
        entry["count"] += 1
    # a finding reported outside the given files for one of its places in them (rootcause.py) is rewritten,
    # not kept twice
    kept = [e for e in b.entries if not reported(b.abspath(e["path"]))
            and (e["path"], e["code"], e["fingerprint"]) not in counts]
    entries = sorted([*kept, *counts.values()], key=lambda e: (e["path"], e["code"], e["fingerprint"]))
    doc = {"wasmlint-baseline": FORMAT, "findings": entries}
    if b.path.is_symlink():   # a committed link could point anywhere: the baseline itself is written, or nothing
        raise OSError(f"{b.path} is a symlink; not written through")
    from .fileio import write_atomic
    b.path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(b.path, (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8", "surrogateescape"))
    b.entries = entries
    return sum(e["count"] for e in counts.values())
