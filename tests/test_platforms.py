"""Deployment platforms: the profiles in wasmlint/data/platforms/, custom targets, `wasmlint
targets`, and which deployment each platform's own files make (tests/projects/deployments:
one small project per platform, shaped like public deployments of it)."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.fixture_harness import FIXTURES, PROJECTS, materialise, run_cli
from wasmlint.config import Config, ConfigError, apply_table
from wasmlint.jsonpos import blank_jsonc, parse
from wasmlint.platforms import PLATFORMS_DIR, builtin_profiles

PROFILES = builtin_profiles()


def test_every_profile_file_is_loaded_under_its_own_name():
    names = sorted(p.stem for p in PLATFORMS_DIR.glob("*.toml"))
    assert names == sorted(PROFILES)
    assert {"cloudflare-workers", "vercel-edge", "vercel-node", "netlify-edge", "supabase-edge", "aws-lambda",
            "fastly-compute", "shopify-function", "deno-deploy", "spin", "wasmcloud", "wasmtime", "electron",
            "unity-web", "godot-web"} <= set(PROFILES)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_each_limit_cites_a_public_source_with_date_and_confidence(name):
    profile = PROFILES[name]
    assert profile.sources, name
    for limit, source in profile.sources.items():
        assert source.url.startswith("https://"), (name, limit)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source.read), (name, limit)
        assert source.confidence in ("high", "medium", "low"), (name, limit)
        # the shared notes of the team are no public source
        assert ".md" not in source.url and "shared/" not in source.note, (name, limit)


def test_published_numbers_are_read_as_the_platforms_state_them():
    assert PROFILES["shopify-function"].size_bytes == 256 * 1024
    assert PROFILES["shopify-function"].size_counts == "module"
    assert PROFILES["cloudflare-workers"].size_bytes == 64 << 20       # since 2026-09: uncompressed
    assert PROFILES["cloudflare-workers"].size_compression == "raw"
    assert PROFILES["vercel-edge"].size_compression == "gzip"
    assert PROFILES["cloudflare-workers"].compile_from_bytes is False
    assert PROFILES["aws-lambda"].memory_bytes == 128 << 20 and PROFILES["aws-lambda"].memory_configurable


def test_custom_target_extends_a_platform_and_overrides_its_limits():
    cfg = Config()
    apply_table(cfg, {"custom-targets": {"edge-pro": {"extends": "vercel-edge", "size": {"value": "2MB"}},
                                         "kiosk": {"budget-mb": 300}}}, "test.toml")
    pro = cfg.target("edge-pro")
    assert (pro.limit("size_bytes"), pro.limit("size_compression"), pro.budget_bytes) == (2_000_000, "gzip", 128 << 20)
    assert cfg.target("kiosk").budget_bytes == 300 << 20
    assert cfg.target("cloudflare-workers").limit("compile_from_bytes") is False


@pytest.mark.parametrize("table,message", [
    ({"edge": {"extends": "vercel-edge", "sise": {"value": "2MB"}}},
     "test.toml: unknown configuration key `custom-targets.edge.sise`; did you mean `size`?"),
    ({"edge": {"extends": "vercel-egde"}},
     "test.toml: `custom-targets.edge.extends`: unknown platform `vercel-egde`; did you mean `vercel-edge`?"),
    ({"edge": {"extends": "vercel-edge", "size": {"vaule": "2MB"}}},
     "test.toml: `custom-targets.edge`: unknown key `size.vaule`; did you mean `value`?"),
    ({"edge": {"extends": "vercel-edge", "size": {"value": "2MB", "compression": "brotli"}}},
     "test.toml: `custom-targets.edge`: `size.compression` must be one of raw, gzip"),
])
def test_custom_target_mistakes_are_named(table, message):
    with pytest.raises(ConfigError) as err:
        apply_table(Config(), {"custom-targets": table}, "test.toml")
    assert str(err.value) == message


def test_targets_accept_platform_names_and_suggest_a_spelling():
    cfg = Config()
    apply_table(cfg, {"targets": ["ios", "cloudflare-workers"]}, "test.toml")
    assert cfg.targets == ["ios", "cloudflare-workers"]
    with pytest.raises(ConfigError, match="unknown target 'clodflare-workers'; did you mean `cloudflare-workers`?"):
        apply_table(Config(), {"targets": ["clodflare-workers"]}, "test.toml")


def test_targets_command_lists_limits_and_sources(tmp_path):
    rc, out, _ = run_cli(["targets", "shopify-function"], tmp_path)
    assert rc == 0
    assert out.splitlines()[:3] == [
        "shopify-function  (Shopify Functions)",
        "  memory     not published",
        "  size       256 KiB raw, per module",
    ]
    assert "  source     size: https://shopify.dev/docs/api/functions/current#other-limitations (read 2026-12-06, high)" \
        in out.splitlines()
    rc, out, _ = run_cli(["targets", "--output-format", "json"], tmp_path)
    rows = json.loads(out)
    assert {r["name"] for r in rows} == {"ios", "android", "desktop", "node", *PROFILES}
    rc, _, err = run_cli(["targets", "cloudflare"], tmp_path)
    assert rc == 2 and "unknown target `cloudflare`" in err


def test_targets_command_shows_the_projects_custom_targets(tmp_path):
    (tmp_path / ".wasmlint.toml").write_text('[custom-targets.edge-pro]\nextends = "vercel-edge"\n'
                                             'size = { value = "2MB" }\n')
    rc, out, _ = run_cli(["targets", "edge-pro"], tmp_path)
    assert rc == 0 and "  size       1.9 MiB (2,000,000 bytes) gzip, per bundle" in out.splitlines()


def test_jsonc_comments_and_trailing_commas_keep_offsets():
    text = '{\n  // the entry\n  "main": "src/index.ts", /* a note */\n  "rules": [1, 2,],\n}\n'
    blank = blank_jsonc(text)
    assert len(blank) == len(text)
    node = parse(blank).get("main")
    assert text[node.start:node.end] == '"src/index.ts"'


def _project(tmp_path, monkeypatch, name):
    from wasmlint.config import load_config
    from wasmlint.link import link
    from wasmlint.pipeline import inspect_paths
    work = materialise(PROJECTS / "deployments" / name, tmp_path)
    monkeypatch.chdir(work)
    cfg = load_config(None, root=work)
    results = inspect_paths(["."], cfg)
    facts = [f for r in results for f in r.facts]
    return cfg, link(facts, {r.path: r.kind or "" for r in results})


@pytest.mark.parametrize("name,module,platform", [
    ("netlify", "netlify/edge-functions/photon.wasm", "netlify-edge"),
    ("supabase", "supabase/functions/resize/resize.wasm", "supabase-edge"),
    ("spin", "target/wasm32-wasip1/release/todo_api.wasm", "spin"),
    ("fastly", "bin/main.wasm", "fastly-compute"),
    ("deno", "lib/blake3.wasm", "deno-deploy"),
    ("wrangler-jsonc", "src/sqlite3.wasm", "cloudflare-workers"),
])
def test_a_platforms_files_make_its_modules_targets(tmp_path, monkeypatch, name, module, platform):
    cfg, project = _project(tmp_path, monkeypatch, name)
    [memory] = project.at("memory", module)
    assert [t.name for t in project.targets_for(memory, cfg)] == [platform]


def test_a_shopify_function_over_256_kib_is_refused_at_the_real_limit(tmp_path):
    """The fixtures scale the limit down; this module is really over Shopify's 256 KiB."""
    from tests.wasmbuild import build_wat
    from wasmlint.condition import _fmt_bytes
    shutil.copy(FIXTURES / "WL601" / "shopify-function-over" / "shopify.extension.toml", tmp_path)
    (tmp_path / "dist").mkdir()
    data = "".join(f"\\{(i * 7919) % 251:02x}" for i in range(270 * 1024))
    module = tmp_path / "dist" / "function.wasm"
    module.write_bytes(build_wat(f'(module (memory 5) (func (export "run")) (data (i32.const 0) "{data}"))'))
    rc, out, _ = run_cli(["check", "--select", "WL601", "--output-format", "concise", "--no-cache", "."], tmp_path)
    size = module.stat().st_size
    assert size > 256 * 1024
    assert out.splitlines() == [
        f"dist/function.wasm:1:1: error: this module is {_fmt_bytes(size)} uncompressed, above the shopify-function "
        "limit of 256 KiB per module (Shopify Functions): the platform refuses the deploy [WL601]"]


def _wl601_json(case: str, tmp_path) -> tuple[Path, list[dict]]:
    work = materialise(FIXTURES / "WL601" / case, tmp_path)
    _rc, out, _ = run_cli(["check", "--select", "WL601", "--output-format", "json", "--no-cache", "."], work)
    return work, json.loads(out)


def test_a_bundles_terms_are_each_file_as_shipped_and_add_up_in_the_json_data(tmp_path):
    """Cloudflare counts uncompressed: the module's bytes and the JavaScript files' bytes on disk."""
    work, [d] = _wl601_json("wrangler-module-and-glue", tmp_path)
    data = d["data"]
    js = ["src/index.js", "pkg/photo_resize.js", "pkg/photo_resize_bg.js"]
    assert data["terms"] == [
        {"term": "module", "what": "pkg/photo_resize_bg.wasm", "path": "pkg/photo_resize_bg.wasm", "files": 1,
         "bytes": (work / "pkg/photo_resize_bg.wasm").stat().st_size},
        {"term": "javascript", "what": "3 JavaScript files", "path": None, "files": 3,
         "bytes": sum((work / p).stat().st_size for p in js)}]
    assert data["total_bytes"] == sum(t["bytes"] for t in data["terms"]) > data["limit_bytes"] == 2048
    assert (data["compression"], data["counts"]) == ("raw", "bundle")


def test_a_module_over_a_gzip_limit_is_counted_as_gzip_counts_it(tmp_path):
    import gzip
    work, [d] = _wl601_json("vercel-edge-gzip", tmp_path)
    [term] = d["data"]["terms"]
    raw = (work / term["path"]).read_bytes()
    assert term["bytes"] == len(gzip.compress(raw, compresslevel=6, mtime=0)) == d["data"]["total_bytes"]
    assert d["data"]["compression"] == "gzip"
