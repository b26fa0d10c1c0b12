"""Every output format, produced for one shared set of findings (the project
``tests/projects/formats``: binaries, per-target findings, a cross-file finding
with related locations, a finding with a safe text fix) and compared with the
committed snapshot in ``tests/snapshots/formats/``. Volatile fields (the
wasmlint version, the absolute project URI) are redacted. SARIF is validated
against the official 2.1.0 schema. ``WASMLINT_UPDATE_SNAPSHOTS=1`` rewrites the
snapshots after a reviewed change.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.fixture_harness import PROJECTS, materialise, run_cli
from wasmlint import __version__
from wasmlint.report import FORMATS

SNAPSHOTS = Path(__file__).parent / "snapshots" / "formats"
SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0.json"
EXT = {"text": "txt", "concise": "txt", "json": "json", "sarif": "sarif.json", "github": "txt",
       "gitlab": "json", "junit": "xml", "rdjson": "rdjson.json"}
ARGS = ["check", "--no-cache", "--jobs", "1"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return materialise(PROJECTS / "formats", tmp_path_factory.mktemp("formats"))


def _output(project: Path, fmt: str) -> tuple[int, str]:
    rc, out, err = run_cli([*ARGS, "--output-format", fmt, "."], project)
    assert "Traceback" not in err
    return rc, out


def _redact(fmt: str, text: str, project: Path) -> str:
    """Volatile fields out: the absolute project URI, the version, and (SARIF) the
    rule documentation texts, which come from rules/ and are checked below."""
    text = text.replace(project.resolve().as_uri(), "file:///<project>")
    if fmt == "sarif":
        doc = json.loads(text)
        run = doc["runs"][0]
        run["tool"]["driver"]["version"] = run["tool"]["driver"]["semanticVersion"] = "<version>"
        for rule in run["tool"]["driver"]["rules"]:
            for key in ("shortDescription", "fullDescription", "help"):
                rule[key] = {k: f"<rules/{rule['id']}.toml>" for k in rule[key]}
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return text


@pytest.mark.parametrize("fmt", FORMATS)
def test_format_snapshot(project, fmt):
    rc, out = _output(project, fmt)
    assert rc == 1
    got = _redact(fmt, out, project)
    snap = SNAPSHOTS / f"{fmt}.{EXT[fmt]}"
    if os.environ.get("WASMLINT_UPDATE_SNAPSHOTS"):
        snap.parent.mkdir(parents=True, exist_ok=True)
        snap.write_text(got, encoding="utf-8")
    assert snap.is_file(), f"no snapshot {snap}; run with WASMLINT_UPDATE_SNAPSHOTS=1"
    assert got == snap.read_text(encoding="utf-8")


def test_environment_variable_sets_the_default_format(project, monkeypatch):
    monkeypatch.setenv("WASMLINT_OUTPUT_FORMAT", "github")
    rc, out, _ = run_cli([*ARGS, "."], project)
    assert rc == 1 and out.startswith("::warning file=")
    rc, out, _ = run_cli([*ARGS, "--output-format", "concise", "."], project)
    assert out.startswith("dist/app.wasm:1:1: warning:")
    monkeypatch.setenv("WASMLINT_OUTPUT_FORMAT", "yaml")
    rc, _, err = run_cli([*ARGS, "."], project)
    assert rc == 2 and "unknown output format 'yaml'" in err


def test_sarif_validates_and_carries_rule_metadata(project):
    _, out = _output(project, "sarif")
    doc = json.loads(out)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(doc)
    run = doc["runs"][0]
    assert run["tool"]["driver"]["version"] == __version__
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    from wasmlint.ruledocs import to_markdown
    from wasmlint.ruleset import all_rules, find_rule
    for code, descriptor in rules.items():
        rule = find_rule(code, all_rules())
        assert descriptor["help"]["markdown"] == to_markdown(rule)
        assert descriptor["shortDescription"]["text"] == rule.summary
    assert rules["WL101"]["helpUri"].endswith("/docs/rules/WL101.md")
    assert rules["WL101"]["defaultConfiguration"]["level"] == "warning"
    assert rules["WL004"]["defaultConfiguration"]["level"] == "note"
    assert rules["WL101"]["fullDescription"]["text"].startswith("Reports a memory whose maximum")
    by_rule = {}
    for res in run["results"]:
        by_rule.setdefault(res["ruleId"], []).append(res)
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
    binary = by_rule["WL101"][0]["locations"][0]["physicalLocation"]
    assert binary["artifactLocation"]["uri"] == "dist/app.wasm"
    assert binary["region"] == {"byteOffset": 11, "byteLength": 2}
    cross = by_rule["WL308"][0]
    assert cross["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dist/threads.wasm"
    fix = by_rule["WL004"][0]["fixes"][0]["artifactChanges"][0]
    assert fix["artifactLocation"]["uri"] == "web/nginx.conf"
    assert fix["replacements"][0]["deletedRegion"]["startLine"] == 7
    assert fix["replacements"][0]["insertedContent"]["text"] == ""
    targets = sorted(r["properties"]["target"] for r in by_rule["WL103"])
    assert targets == ["ios"]      # once, against the smallest budget it exceeds (of ios, desktop)
    prints = [r["partialFingerprints"]["wasmlint/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints)


def test_github_workflow_commands_escape_data_and_properties():
    from wasmlint.diagnostics import Diagnostic
    from wasmlint.facts import Span
    from wasmlint.report.github_format import line
    d = Diagnostic("WL308", "threads-without-isolation", "info", "100% wrong,\nreally: yes",
                   Span("web/a,b:c.conf", 3, 5, 3, 9))
    assert line(d) == ("::notice file=web/a%2Cb%3Ac.conf,line=3,endLine=3,col=5,endColumn=9,"
                       "title=WL308::100%25 wrong,%0Areally: yes")
    d.span = Span("web/nginx.conf", 2, 1, 4, 2)
    assert line(d).startswith("::notice file=web/nginx.conf,line=2,endLine=4,title=WL308::")


def test_gitlab_fingerprints_are_unique_and_survive_a_line_shift(project, tmp_path):
    _, out = _output(project, "gitlab")
    issues = json.loads(out)
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)
    assert {i["severity"] for i in issues} == {"minor", "info"}
    shifted = tmp_path / "shifted"
    shutil.copytree(project, shifted)
    conf = shifted / "web" / "nginx.conf"
    conf.write_text("# moved down by two lines\n\n" + conf.read_text(encoding="utf-8"), encoding="utf-8")
    _, out2 = _output(shifted, "gitlab")
    moved = json.loads(out2)
    assert [i["fingerprint"] for i in moved] == prints
    assert [i["location"]["lines"]["begin"] for i in moved if i["location"]["path"] == "web/nginx.conf"] == [4, 9]


def test_junit_one_testcase_per_finding(project):
    _, out = _output(project, "junit")
    root = ET.fromstring(out)
    cases = [(c.get("classname"), c.get("name"), [f.get("type") for f in c.findall("failure")])
             for c in root.iter("testcase")]
    assert [c for c in cases if c[0] == "web/nginx.conf"] == [
        ("web/nginx.conf", "WL308 web/nginx.conf:2:1", ["WL308"]),
        ("web/nginx.conf", "WL004 web/nginx.conf:7:30", ["WL004"])]
    assert all(len(failures) == 1 for _, _, failures in cases if failures)
    assert len([c for c in cases if c[0] == "dist/threads.wasm"]) == 2     # WL103 and WL305
    findings = json.loads(_output(project, "json")[1])
    assert root.get("failures") == str(len(findings)) == str(sum(1 for c in cases if c[2]))
    assert root.get("tests") == str(len(cases))


def test_rdjson_for_reviewdog(project):
    _, out = _output(project, "rdjson")
    doc = json.loads(out)
    findings = json.loads(_output(project, "json")[1])
    assert doc["source"]["name"] == "wasmlint" and len(doc["diagnostics"]) == len(findings)
    for rd, d in zip(doc["diagnostics"], findings):
        assert rd["code"]["value"] == d["code"] and rd["location"]["path"] == d["path"]
        assert rd["location"]["range"]["start"] == {"line": d["line"], "column": d["column"]}
        assert rd["severity"] == d["severity"].upper()
        if d["fix"] and d["fix"]["applicability"] == "safe":
            assert [s["text"] for s in rd["suggestions"]] == [e["content"] for e in d["fix"]["edits"]]


def test_statistics_counts_per_code(project):
    rc, out, _ = run_cli([*ARGS, "--statistics", "."], project)
    assert rc == 1
    assert [re.split(r"\s+", line.strip()) for line in out.splitlines()] == [
        ["2", "WL308", "threads-without-isolation"], ["1", "WL004", "unused-suppression"],
        ["1", "WL101", "growable-memory"], ["1", "WL103", "maximum-memory-over-budget"],
        ["1", "WL305", "pthreads-with-memory-growth"]]
