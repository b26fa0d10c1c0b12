"""The rule pages in docs/rules/ are generated from rules/ and must be current;
every diagnostic's url points at its page."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.fixture_harness import PROJECTS, materialise, run_cli
from wasmlint.ruleset import DOCS_URL, PROJECT_URL, all_rules

ROOT = Path(__file__).resolve().parent.parent


def test_rule_pages_are_current():
    proc = subprocess.run([sys.executable, "scripts/gen_docs.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, "docs/rules/ is stale; run `python scripts/gen_docs.py`\n" + proc.stdout


def test_every_rule_has_its_page_and_the_index_links_it():
    index = (ROOT / "docs" / "rules" / "index.md").read_text(encoding="utf-8")
    for rule in all_rules():
        page = ROOT / "docs" / "rules" / f"{rule.code}.md"
        assert page.read_text(encoding="utf-8").splitlines()[2] == f"# {rule.code} {rule.name}"
        assert f"[{rule.code}]({rule.code}.md)" in index
        assert rule.url == f"{DOCS_URL}/{rule.code}.md"
        assert rule.url.startswith(PROJECT_URL)
        assert rule.url.removeprefix(f"{PROJECT_URL}/blob/main/") == page.relative_to(ROOT).as_posix()


def test_diagnostic_urls_point_at_existing_pages(tmp_path):
    import json
    project = materialise(PROJECTS / "formats", tmp_path)
    _, out, _ = run_cli(["check", "--no-cache", "--output-format", "json", "."], project)
    urls = {d["code"]: d["url"] for d in json.loads(out)}
    assert len(urls) == 5
    for code, url in urls.items():
        assert (ROOT / url.removeprefix(f"{PROJECT_URL}/blob/main/")).is_file(), code


def test_ci_guide_snippets_parse_and_use_real_options():
    import json as json_mod
    import re
    import shlex
    import textwrap

    import yaml

    from wasmlint.cli import build_parser
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(\w+)\n(.*?)```", text, re.S)
    assert {lang for lang, _ in blocks} >= {"yaml", "json", "sh", "toml"}
    for lang, body in blocks:
        if lang == "yaml":
            assert yaml.safe_load(textwrap.dedent(body))
        elif lang == "json" and "…" not in body:
            json_mod.loads(body)
    commands = re.findall(r"(wasmlint check[^\n\"`>|#]*)", text)
    assert len(commands) >= 8
    parser = build_parser()
    for cmd in commands:
        parser.parse_args(shlex.split(cmd)[1:])   # argparse exits on an unknown option
