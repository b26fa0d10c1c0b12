"""Configuration files: discovery by walking up, every format, errors name key and file."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixture_harness import run_cli
from wasmlint.config import ConfigError, find_config, load_config


def test_pyproject_tool_section_found_by_walking_up(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.wasmlint]\ntargets = ["ios"]\n\n[tool.wasmlint.policy]\nworkload-mb = 100\n')
    sub = tmp_path / "web" / "pkg"
    sub.mkdir(parents=True)
    found = find_config(sub)
    assert found == tmp_path / "pyproject.toml"
    cfg = load_config(found)
    assert cfg.targets == ["ios"]
    assert cfg.workload_mb() == 100
    # ceil((32 + 100) MiB * 1.2) = 158.4 MiB -> 2535 pages
    assert cfg.planned_bytes() == 2535 * 65536


def test_pyproject_without_tool_section_is_skipped(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "a").mkdir()
    assert find_config(tmp_path / "a") in (None,) or find_config(tmp_path / "a").parent != tmp_path


def test_yaml_config_with_custom_target_and_per_path_targets(tmp_path):
    (tmp_path / ".wasmlint.yaml").write_text(
        "targets:\n  '*': [ios, android]\n  'server/**': [node]\n"
        "custom-targets:\n  tv:\n    budget-mb: 300\n"
        "policy:\n  workload-mb:\n    '*': 10\n    'big/**': 400\n")
    cfg = load_config(find_config(tmp_path))
    assert cfg.targets == ["ios", "android"]
    assert cfg.targets_by_path == {"server/**": ["node"]}
    assert cfg.target("tv").budget_bytes == 300 << 20
    assert cfg.workload_mb("big/x.wasm") == 400
    assert cfg.workload_mb("small/x.wasm") == 10


@pytest.mark.parametrize("text,needle", [
    ("tragets = ['ios']\n", "unknown configuration key `tragets`"),
    ("[policy]\nworkload = 3\n", "unknown configuration key `policy.workload`"),
    ("targets = ['watch']\n", "unknown target 'watch'"),
    ("severity = { WL101 = 'fatal' }\n", "`severity` must map"),
    ("targets = [\n", "invalid TOML"),
    ("[policy]\nrequired-node-flags = ['preset:folklore']\n",
     "unknown preset `preset:folklore` in `policy.required-node-flags` (known: `preset:common-advice`)"),
    ("[policy]\nrequired-node-flags = ['max-old-space-size']\n",
     "entry `max-old-space-size` is neither a flag (`--name`) nor a preset (`preset:NAME`)"),
    ("[policy]\nrequired-node-flags = [1]\n", "`policy.required-node-flags` must be a list of strings"),
])
def test_bad_config_names_key_and_file(tmp_path, text, needle):
    cfg = tmp_path / ".wasmlint.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError) as exc:
        load_config(cfg)
    assert needle in str(exc.value)
    assert str(cfg) in str(exc.value)


def test_cli_exits_2_on_bad_config(tmp_path):
    (tmp_path / ".wasmlint.toml").write_text("colour = true\n")
    rc, out, err = run_cli(["check", "."], tmp_path)
    assert rc == 2
    assert "unknown configuration key `colour`" in err and ".wasmlint.toml" in err
    assert "Traceback" not in err


def test_cli_exits_2_on_unknown_selector_and_target(tmp_path):
    rc, _, err = run_cli(["check", "--select", "WL1,nonsense-rule", "."], tmp_path)
    assert rc == 2 and "nonsense-rule" in err
    rc, _, err = run_cli(["check", "--target", "ios,watch", "."], tmp_path)
    assert rc == 2 and "watch" in err


def test_explicit_config_path_must_exist(tmp_path):
    rc, _, err = run_cli(["check", "--config", "nope.toml", "."], tmp_path)
    assert rc == 2 and "nope.toml" in err


def test_required_node_flags_default_is_empty_and_presets_expand(tmp_path):
    assert load_config(None).policy["required-node-flags"] == []
    cfg = tmp_path / ".wasmlint.toml"
    cfg.write_text('[policy]\nrequired-node-flags = ["--max-old-space-size=2048", "preset:common-advice"]\n')
    assert load_config(cfg).policy["required-node-flags"] == [
        "--max-old-space-size=2048", "--no-wasm-tier-up", "--no-wasm-lazy-compilation", "--max-old-space-size"]
    cfg.write_text('[policy]\nrequired-node-flags = "preset:common-advice, --no-wasm-tier-up"\n')
    assert load_config(cfg).policy["required-node-flags"] == [
        "--no-wasm-tier-up", "--no-wasm-lazy-compilation", "--max-old-space-size"]
