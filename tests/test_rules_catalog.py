"""The rule catalog itself: file names, docs skeleton, fixtures, executed doc examples."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixture_harness import FIXTURES, run_cli
from wasmlint.resources import data_dir
from wasmlint.ruledocs import to_markdown
from wasmlint.ruleset import all_rules, load_folder

RULES = all_rules()
REQUIRED_DOCS = ("summary", "what", "why", "fix")


def test_file_name_is_code_and_names_unique():
    files = sorted(p.stem for p in data_dir("rules").glob("WL*.toml"))
    assert files == [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert all(n == n.lower() and " " not in n for n in names)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_docs_skeleton(rule):
    for part in REQUIRED_DOCS:
        assert str(rule.docs.get(part, "")).strip(), f"{rule.code}: docs.{part} is missing"
    md = to_markdown(rule)
    assert md.startswith(f"# {rule.code} {rule.name}")
    assert "## Why it matters" in md


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_a_firing_and_a_quiet_fixture(rule):
    cases = [p for p in (FIXTURES / rule.code).glob("*/") if p.is_dir()]
    assert cases, f"no fixtures under tests/fixtures/{rule.code}/"
    expectations = [(c / name) for c in cases for name in ("expected.txt", "expected-probe.txt")
                    if (c / name).exists()]
    assert any(e.read_text().strip() for e in expectations), f"{rule.code}: no case fires"
    assert any(not e.read_text().strip() for e in expectations), f"{rule.code}: no quiet case"
    for e in expectations:
        for line in e.read_text().splitlines():
            if line.strip():
                assert line.endswith(f"[{rule.code}]") or "[WL" in line


EXAMPLE_RULES = [r for r in RULES if r.docs.get("example") and r.docs.get("use-instead")]


def _write_example(tmp: Path, rule, text: str) -> None:
    from tests.wasmbuild import build_wat
    lang = rule.docs.get("example-lang", "")
    name = rule.docs.get("example-file") or ("example.wasm" if lang == "wat" else None)
    assert name, f"{rule.code}: docs need example-file"
    target = tmp / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if lang == "wat" and not text.lstrip().startswith(";;"):
        target.write_bytes(build_wat(text))
    elif lang == "wat":   # a comment describing raw bytes: "00 61 73 6d …"
        hexes = text.split(":", 1)[1].split()
        target.write_bytes(bytes(int(h, 16) for h in hexes))
    else:
        target.write_text(text.lstrip("\n"), encoding="utf-8")
    companions = dict(rule.docs.get("companions", {}))   # other files the example needs
    if rule.docs.get("companion-file"):
        companions[rule.docs["companion-file"]] = rule.docs["companion"]
    for name, content in companions.items():
        companion = tmp / name
        if companion.suffix == ".wat":
            companion.with_suffix(".wasm").write_bytes(build_wat(content))
        else:
            companion.write_text(content, encoding="utf-8")
    if rule.docs.get("example-config"):
        (tmp / ".wasmlint.toml").write_text(rule.docs["example-config"] + "\n")


@pytest.mark.parametrize("rule", EXAMPLE_RULES, ids=lambda r: r.code)
def test_doc_example_raises_the_rule_and_use_instead_does_not(rule, tmp_path):
    bad, good = tmp_path / "example", tmp_path / "use-instead"
    bad.mkdir(), good.mkdir()
    _write_example(bad, rule, rule.docs["example"])
    _write_example(good, rule, rule.docs["use-instead"])
    args = ["check", "--select", rule.code, "--output-format", "concise", "--jobs", "1", "."]
    _, out, err = run_cli(args, bad)
    assert f"[{rule.code}]" in out, f"example did not raise {rule.code}: {out}{err}"
    _, out, err = run_cli(args, good)
    assert f"[{rule.code}]" not in out, f"use-instead raised {rule.code}: {out}"


def test_broken_rule_file_is_a_clear_error(tmp_path):
    (tmp_path / "WL999.toml").write_text('code = "WL999"\nname = "x"\nseverity = "fatal"\nfacts = []\n')
    from wasmlint.ruleset import RuleError
    with pytest.raises(RuleError, match="severity"):
        load_folder(tmp_path)
    (tmp_path / "WL999.toml").write_text('code = "WL998"\nname = "x"\nseverity = "info"\nfacts = []\n')
    with pytest.raises(RuleError, match="file name"):
        load_folder(tmp_path)
    (tmp_path / "WL999.toml").write_text('code = "WL999"\nname = "x"\nseverity = "info"\nfacts = []\n'
                                         'per-target = "each"\n')
    with pytest.raises(RuleError, match="per-target"):
        load_folder(tmp_path)
    (tmp_path / "WL999.toml").write_text('code = "WL999"\nname = "x"\nseverity = "info"\nfacts = []\n'
                                         'per-target = "tightest"\n')
    [rule] = load_folder(tmp_path)
    assert rule.per_target and rule.tightest
