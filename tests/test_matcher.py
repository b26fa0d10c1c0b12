"""``.github/wasmlint-matcher.json``: the problem matcher users copy for the
concise format, tested against every expected line of every fixture and
against real concise output."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.fixture_harness import FIXTURES, PROJECTS, materialise, run_cli

ROOT = Path(__file__).resolve().parent.parent
MATCHER = json.loads((ROOT / ".github" / "wasmlint-matcher.json").read_text(encoding="utf-8"))
LINES = sorted({line for f in FIXTURES.glob("*/*/expected*.txt")
                for line in f.read_text(encoding="utf-8").splitlines() if line.strip()})


def match(line: str) -> dict:
    """What GitHub would read from ``line``: exactly one matcher must match it."""
    hits = []
    for m in MATCHER["problemMatcher"]:
        (pattern,) = m["pattern"]
        found = re.match(pattern["regexp"], line)
        if found:
            fields = {k: found.group(v) for k, v in pattern.items() if k != "regexp"}
            fields.setdefault("severity", m.get("severity"))
            hits.append(fields)
    assert len(hits) == 1, f"{len(hits)} matchers match {line!r}"
    return hits[0]


def test_there_are_expected_lines_to_check():
    assert len(LINES) > 20


@pytest.mark.parametrize("line", LINES)
def test_every_expected_fixture_line_is_matched(line):
    got = match(line)
    path, ln, col, _ = line.split(":", 3)
    assert got["file"] == path and got["line"] == ln and got["column"] == col
    assert line.endswith(f"[{got['code']}]")
    assert got["severity"] in ("error", "warning", "notice")
    assert got["message"] and got["message"] in line


def test_real_concise_output_is_matched(tmp_path):
    project = materialise(PROJECTS / "formats", tmp_path)
    _, out, _ = run_cli(["check", "--no-cache", "--output-format", "concise", "."], project)
    got = [match(line) for line in out.splitlines()]
    assert [(g["file"], g["line"], g["code"], g["severity"]) for g in got][-1] == (
        "web/nginx.conf", "7", "WL004", "notice")
    assert {g["severity"] for g in got} == {"warning", "notice"}
    # a path with colons and a message with brackets still split right
    odd = "deploy/a:b/nginx.conf:12:3: error: flag `--x` [after] the script [WL203]"
    assert match(odd) == {"file": "deploy/a:b/nginx.conf", "line": "12", "column": "3", "severity": "error",
                          "message": "flag `--x` [after] the script", "code": "WL203"}
