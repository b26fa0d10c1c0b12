"""``wasmlint inspect --format json`` shows every fact, whatever its values hold."""
from __future__ import annotations

import json

from tests.fixture_harness import run_cli


def test_inspect_json_shows_sets_of_options_as_lists(tmp_path):
    """cargo's target selection (``--lib``) is a set in the fact: shown as a sorted list,
    not an internal error (it was a TypeError on every project with a cargo build)."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.rs").write_text("")
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "x"\nversion = "0.1.0"\nedition = "2021"\n'
                                         '[lib]\ncrate-type = ["cdylib"]\n')
    (tmp_path / "package.json").write_text(json.dumps({"scripts": {
        "build": "cargo build --lib --bins --release --target wasm32-unknown-unknown"}}))
    rc, out, err = run_cli(["inspect", "--format", "json", "."], tmp_path)
    assert rc == 0, err
    links = [f for e in json.loads(out) for f in e["facts"] if f["kind"] == "rust-link"]
    assert [f["build"]["selects"] for f in links] == [["--bins", "--lib"]]
