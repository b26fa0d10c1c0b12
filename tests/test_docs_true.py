"""Docs that are true: every section of every rule page is its rule file's text,
whole; no page cites a file users do not have; every link in the README and docs
resolves inside the repository; the settings page lists exactly the keys wasmlint
reads; the README's pre-commit snippet works as written."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.wasmbuild import build_wat
from wasmlint.config import CONFIG_KEYS, POLICY_DEFAULTS
from wasmlint.ruledocs import HEADINGS, cite, template_text
from wasmlint.ruleset import builtin_rules

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "SECURITY.md", ROOT / "rules" / "README.md",
               *ROOT.glob("docs/**/*.md")])
MD = MarkdownIt("commonmark").enable("table")


def _page(code: str) -> str:
    return (ROOT / "docs" / "rules" / f"{code}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", sorted(builtin_rules(), key=lambda r: r.code), ids=lambda r: r.code)
def test_every_section_of_every_rule_page_is_its_rule_files_text(rule):
    page = _page(rule.code)
    for key, title in HEADINGS:
        body = rule.docs.get(key)
        if not body:
            assert f"## {title}\n" not in page
            continue
        text = str(body).rstrip("\n") if key in ("example", "use-instead") else cite(str(body).strip())
        assert f"## {title}\n\n" in page and text in page.split(f"## {title}\n\n", 1)[1], (rule.code, key)
    if rule.fix:
        line = next(l for l in page.splitlines() if l.startswith("Fix safety:"))
        assert line == f"Fix safety: **{rule.fix.applicability}** — {template_text(rule.fix.title)}"
        assert "{" not in template_text(rule.fix.title.replace("{{", "").replace("}}", ""))
        assert line.count("`") % 2 == 0, line            # no code span cut in half
    for ref in rule.docs.get("references") or []:
        assert f"- {cite(str(ref))}\n" in page
    assert "## When to ignore it" in page and f"wasmlint: disable={rule.code}" in page


def test_template_text_keeps_every_word_of_a_fix_title():
    assert template_text("Move `{flag.spelling}` before the script") == "Move `‹flag.spelling›` before the script"
    assert template_text("Pass `resourceLimits: {{ maxOldGenerationSizeMb: … }}`") == \
        "Pass `resourceLimits: { maxOldGenerationSizeMb: … }`"
    assert template_text("{n:>5} of {total}") == "‹n› of ‹total›"


def test_no_doc_cites_a_file_or_script_users_do_not_have():
    for path in [*DOCS, *ROOT.glob("docs/rules/*.md")]:
        text = path.read_text(encoding="utf-8")
        if path.parent.name == "docs" or path.parent.parent.name == "docs" or path == ROOT / "README.md":
            for spec in ("facts.md", "formats.md", "platforms.md", "../shared/"):
                assert spec not in text, (path, spec)     # user docs: the evidence page, not the team's specs
        for script in re.findall(r"scripts/[\w-]+\.(?:py|sh)", text):
            assert (ROOT / script).is_file(), f"{path.relative_to(ROOT)} names a missing {script}"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    out = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return out.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    tokens = MD.parse(path.read_text(encoding="utf-8"))
    found = {_slug(tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"}
    for t in tokens:
        if t.type in ("html_block", "inline") and 'id="' in t.content:
            found.update(part.split('"', 1)[0] for part in t.content.split('id="')[1:])
    return found


def _links(path: Path):
    def walk(tokens):
        for t in tokens:
            if t.type == "link_open":
                yield t.attrGet("href")
            yield from walk(t.children or [])
    yield from walk(MD.parse(path.read_text(encoding="utf-8")))


def test_every_link_in_the_readme_and_docs_resolves_in_the_repository():
    checked = 0
    for path in DOCS:
        for href in _links(path):
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            target, _, anchor = href.partition("#")
            dest = (path.parent / target).resolve() if target else path
            assert dest.exists() and ROOT in (dest, *dest.parents), f"{path.relative_to(ROOT)}: {href}"
            if anchor:
                assert anchor in _anchors(dest), f"{path.relative_to(ROOT)}: {href} (no such anchor)"
            checked += 1
    assert checked > 100      # the rule pages link the evidence and the settings page


def _table_keys(text: str, heading: str) -> dict[str, list[str]]:
    section = text.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| `")]
    return {row[0].strip("| `"): row for row in rows}


def test_the_settings_page_lists_every_key_with_its_default():
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert set(_table_keys(text, "## Top-level keys")) == CONFIG_KEYS
    policy = _table_keys(text, "## `policy` keys")
    assert set(policy) == set(POLICY_DEFAULTS)
    for key, default in POLICY_DEFAULTS.items():
        if default not in (None, []):
            assert policy[key][2].strip() == f"`{default}`", key


def test_evidence_sections_each_say_how_to_check_them_again():
    text = (ROOT / "docs" / "evidence.md").read_text(encoding="utf-8")
    sections = text.split('<a id="evidence-')[1:]
    assert [s.split('"', 1)[0] for s in sections] == ["1", "2", "3", "4", "5", "6"]
    for s in sections:
        assert "Re-check" in s or "wasmlint probe" in s, s[:40]


def test_the_license_file_is_the_one_pyproject_names():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_the_readme_pre_commit_snippet_works_as_written(tmp_path):
    fences = [t.content for t in MD.parse((ROOT / "README.md").read_text(encoding="utf-8"))
              if t.type == "fence" and "repo: local" in t.content]
    assert len(fences) == 1
    work = tmp_path / "project"
    work.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GIT_AUTHOR_NAME": "dev", "GIT_AUTHOR_EMAIL": "dev@example.com",
           "GIT_COMMITTER_NAME": "dev", "GIT_COMMITTER_EMAIL": "dev@example.com"}
    (work / ".pre-commit-config.yaml").write_text(fences[0])
    (work / "app.wasm").write_bytes(build_wat('(module (memory (export "memory") 17))'))
    subprocess.run(["git", "init", "-q"], cwd=work, check=True)
    subprocess.run(["git", "add", "-A"], cwd=work, check=True)
    proc = subprocess.run([str(Path(sys.executable).with_name("pre-commit")), "run", "--all-files"], cwd=work,
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "app.wasm:1:1: warning[WL101] memory 0 can grow: it declares no maximum" in proc.stdout
