"""WL120's sum as the JSON output carries it (``data``), and the lower bounds it keeps
where a term is not known exactly (the fixtures in tests/fixtures/WL120 compare the
messages)."""
from __future__ import annotations

import json
from pathlib import Path

from tests.fixture_harness import FIXTURES, materialise, run_cli
from wasmlint.nodeheap import MIB
from wasmlint.process_budget import measured, young_generation


def _findings(case: str, tmp_path: Path, *args: str) -> list[dict]:
    work = materialise(FIXTURES / "WL120" / case, tmp_path)
    rc, out, err = run_cli(["check", "--select", "WL120", *args, "--output-format", "json",
                            "--jobs", "1", "--no-cache", "."], work)
    assert rc in (0, 1) and "Traceback" not in err, err
    return json.loads(out)


def test_json_data_lists_every_term_of_the_sum(tmp_path):
    [d] = _findings("compose-workers", tmp_path)
    data = d["data"]
    heap = 1024 * MIB + young_generation(20, 1024)
    stack = measured()[20]["worker"]["stack_size_mb"] * MIB
    assert data["limit"] == {"bytes": 1536 * MIB, "what": "`mem_limit`"}
    assert [(t["term"], t["count"], t["each_bytes"]) for t in data["terms"]] == [
        ("js-heap", 1, heap), ("wasm-memory", 4, 4096 * 65536), ("worker-stacks", 4, stack)]
    assert data["total_bytes"] == heap + 4 * 4096 * 65536 + 4 * stack == sum(t["bytes"] for t in data["terms"])
    assert data["terms"][1]["path"] == "src/resize.wasm"


def test_a_pool_sized_by_the_cores_counts_one_worker_and_stays_quiet_below_the_limit(tmp_path):
    """cores-bound-workers: one worker fits in 640M, two would not; the count is
    the cores', unknown here, so the documented lower bound (one) is used."""
    work = materialise(FIXTURES / "WL120" / "cores-bound-workers", tmp_path)
    compose = work / "docker-compose.yml"
    compose.write_text(compose.read_text().replace("memory: 640M", "memory: 560M"))
    rc, out, err = run_cli(["check", "--select", "WL120", "--output-format", "json", "--jobs", "1",
                            "--no-cache", "."], work)
    [d] = json.loads(out)
    terms = {t["term"]: t for t in d["data"]["terms"]}
    assert terms["wasm-memory"]["count"] == 1 and terms["worker-stacks"]["count"] == 1
    assert "at least 1 worker (as many as the cores) started at lib/main.js:6" in d["message"]
    one = d["data"]["total_bytes"]
    two = one + terms["wasm-memory"]["each_bytes"] + terms["worker-stacks"]["each_bytes"]
    assert one <= 640 * MIB < two


def test_the_rule_stays_out_of_tests_and_examples(tmp_path):
    work = materialise(FIXTURES / "WL120" / "compose-workers", tmp_path)
    examples = work.parent / "proj" / "examples"
    examples.parent.mkdir()
    work.rename(examples)
    rc, out, err = run_cli(["check", "--select", "WL120", "--output-format", "json", "--jobs", "1",
                            "--no-cache", "."], examples.parent)
    assert json.loads(out) == [] and rc == 0, err
    rc, out, err = run_cli(["check", "--select", "WL120", "--scope", "all", "--output-format", "json",
                            "--jobs", "1", "--no-cache", "."], examples.parent)
    assert [d["code"] for d in json.loads(out)] == ["WL120"]
