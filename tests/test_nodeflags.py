"""The node flag database: generated data against facts.md, the API, the generator's parsers."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from wasmlint import nodeflags
from wasmlint.nodeflags import FlagDB, removed_in, resolve_major

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "nodeflags"
DATA = ROOT / "wasmlint" / "data" / "node-flags"


def _generator():
    spec = importlib.util.spec_from_file_location("gen_node_flags", ROOT / "scripts" / "gen_node_flags.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_node_flags", mod)
    spec.loader.exec_module(mod)
    return mod


gen = _generator()


# ------------------------------------------------------------------ the data files


def test_all_majors_present_and_small():
    assert nodeflags.available_majors() == [18, 20, 22, 24, 26]
    for major in nodeflags.available_majors():
        path = DATA / f"{major}.json"
        assert path.stat().st_size < 300_000
        data = json.loads(path.read_text())
        assert data["major"] == major and data["node"].startswith(f"{major}.")
        assert path.read_text() == gen.dumps(data), "data file not in canonical form"


@pytest.mark.parametrize("major,node,v8", [(20, "20.20.2", "11.3"), (22, "22.", "12.4"),
                                           (24, "24.", "13.6"), (26, "26.", "14.6")])
def test_versions_recorded(major, node, v8):
    db = FlagDB.for_major(major)
    assert db.node_version.startswith(node)
    assert db.v8_version.startswith(v8)


def _known(major: int, flag: str) -> bool:
    return FlagDB.for_major(major).lookup(flag) is not None


@pytest.mark.parametrize("flag,present", [
    # facts.md section 6: flags removed ("bad option") from a major on
    ("--experimental-wasm-memory64", {18: True, 20: True, 22: True, 24: False, 26: False}),
    ("--experimental-wasm-multi-memory", {22: True, 24: False, 26: False}),
    ("--huge-max-old-generation-size", {20: True, 22: True, 24: False, 26: False}),
    ("--turboshaft-wasm", {22: True, 24: False}),
    ("--expose-wasm", {20: True, 22: True, 24: False, 26: False}),
    ("--experimental-wasm-gc", {20: True, 22: False, 24: False}),
    ("--experimental-wasm-relaxed-simd", {20: True, 22: False}),
    ("--experimental-wasm-extended-const", {20: True, 22: False}),
    ("--experimental-wasm-jspi", {24: True, 26: False}),
    ("--experimental-wasm-stack-switching", {24: True, 26: False}),
    ("--experimental-wasm-imported-strings", {24: True, 26: False}),
    ("--experimental-wasm-threads", {20: False, 22: False, 24: False, 26: False}),
    ("--experimental-wasm-bigint", {20: False, 22: False, 24: False, 26: False}),
    ("--no-liftoff", {18: True, 20: True, 22: True, 24: True, 26: True}),
])
def test_flag_presence_across_majors(flag, present):
    assert {m: _known(m, flag) for m in present} == present


def test_node_options_acceptance_across_majors():
    def env(major, flag):
        info = FlagDB.for_major(major).lookup(flag)
        return bool(info and info.allowed_in_node_options)

    for major in (20, 22, 24, 26):
        for flag in ("--no-wasm-tier-up", "--no-liftoff", "--liftoff-only", "--stack-size=2000"):
            assert not env(major, flag), (major, flag)
        assert env(major, "--max-old-space-size=4096")
        assert env(major, "--disable-wasm-trap-handler")
        assert env(major, "--experimental-wasm-modules")
    assert not env(20, "--max-old-space-size-percentage=50")
    assert [env(m, "--max-old-space-size-percentage=50") for m in (22, 24, 26)] == [True] * 3
    assert [env(m, "--max-heap-size=100") for m in (20, 22, 24, 26)] == [False, False, True, True]


def test_v8_flags_never_allowed_in_worker():
    for major in nodeflags.available_majors():
        db = FlagDB.for_major(major)
        assert not [n for n in db.v8_flags() if db.lookup(n).allowed_in_worker]
        assert db.lookup("--enable-source-maps").allowed_in_worker


# ------------------------------------------------------------------ resolve_major


@pytest.mark.parametrize("spec,major,noted", [
    ("20", 20, False), ("v20.11.1", 20, False), (">=18 <21", 18, False), ("^22", 22, False),
    ("lts/iron", 20, False), ("iron", 20, False), ("22-alpine", 22, False),
    ("node:20-slim", 20, False), ("node:22-alpine3.19", 22, False), ("20.x", 20, False),
    ("18 || 20", 18, False), (">=22.0.0", 22, False), ("~24.1", 24, False),
    ("16", 18, True), ("25", 24, True), ("19", 18, True), (">19", 20, False),
    (None, 26, True), ("", 26, True), ("lts/*", 26, True), ("latest", 26, True),
])
def test_resolve_major(spec, major, noted):
    got, note = resolve_major(spec)
    assert got == major
    assert (note is not None) == noted
    if spec is None:
        assert note == "no node version names no known node major; assuming node 26 (newest LTS)"


def test_newest_lts_is_newest_even_major():
    assert nodeflags.newest_lts() == 26


# ------------------------------------------------------------------ lookup


def test_lookup_normalises_like_node():
    db = FlagDB.for_major(20)
    info = db.lookup("--max_old_space_size=4096")
    assert (info.name, info.spelling, info.value, info.is_v8) == (
        "--max-old-space-size", "--max_old_space_size", "4096", True)
    assert info.node_declared and info.allowed_in_node_options and not info.allowed_in_worker
    neg = db.lookup("--no-wasm-tier-up")
    assert (neg.name, neg.negated, neg.type) == ("--wasm-tier-up", True, "bool")
    assert db.lookup("--no_liftoff").name == "--liftoff"
    assert db.lookup("-stack-size=2000").name == "--stack-size"
    assert db.lookup("--enable_source_maps").name == "--enable-source-maps"
    assert db.lookup("--no-deprecation").negated
    assert db.lookup("-r").name == "--require"
    assert db.lookup("--loader=x").name == "--experimental-loader"
    inspect = db.lookup("--inspect=9229")
    assert (inspect.name, inspect.value) == ("--inspect", "9229")


@pytest.mark.parametrize("arg", ["--no-wasm-tierup", "--bogus-flag", "--no-title", "--no-v8-pool-size",
                                 "--expose-gc=1", "-title=x", "-r=x", "--no-max-old-space-size",
                                 "app.js", "-", "--"])
def test_lookup_rejects_what_node_rejects(arg):
    assert FlagDB.for_major(20).lookup(arg) is None


def test_takes_value_mirrors_node():
    db = FlagDB.for_major(20)
    for arg in ("-r", "--require", "--import", "--title", "--v8-pool-size", "--inspect-port", "-e",
                "--print", "-p", "-C"):
        assert db.takes_value(arg), arg
    for arg in ("--require=x", "--stack-size", "--max-old-space-size", "--expose-gc", "--inspect",
                "--liftoff", "--bogus", "app.js"):
        assert not db.takes_value(arg), arg
    # node 22 declares --stack-trace-limit itself but still hands it to V8 without the next word
    assert not FlagDB.for_major(22).takes_value("--stack-trace-limit")


def test_did_you_mean():
    db = FlagDB.for_major(20)
    assert db.did_you_mean("--no-wasm-tierup") == "--no-wasm-tier-up"
    assert db.did_you_mean("--max-old-spacesize=4096") == "--max-old-space-size"
    assert db.did_you_mean("--expose-gc") is None  # known
    assert db.did_you_mean("--bogus-flag") is None  # nothing close


def test_removed_in():
    assert removed_in("--experimental-wasm-memory64") == 24
    assert removed_in("--huge-max-old-generation-size") == 24
    assert removed_in("--experimental-wasm-jspi") == 26
    assert removed_in("--liftoff") is None
    assert removed_in("--bogus-flag") is None


def test_node_and_v8_partition():
    db = FlagDB.for_major(20)
    assert "--liftoff" in db.v8_flags() and "--liftoff" not in db.node_options()
    assert "--disable-wasm-trap-handler" in db.node_options()
    assert sorted(db.v8_flags() + db.node_options()) == db.names()
    with pytest.raises(KeyError):
        FlagDB.for_major(19)


# ------------------------------------------------------------------ generator parsers


def test_parse_v8_options_fixture():
    flags = gen.parse_v8_options((FIXTURES / "v8-options.txt").read_text())
    assert flags["--liftoff"] == "bool" and flags["--stack-size"] == "int"
    assert flags["--enable-armv7"] == "maybe_bool" and flags["--maglev-filter"] == "string"
    assert "--flag" not in flags and "--no-flag" not in flags  # syntax preamble
    assert "--experimental" not in flags  # no type line in this snippet


def test_parse_help_fixture():
    opts = gen.parse_help((FIXTURES / "help.txt").read_text())
    assert opts["--require"] == {"value": "required", "aliases": ["-r"]}
    assert opts["--experimental-loader"] == {"value": "required", "aliases": ["--loader"]}
    assert opts["--inspect"]["value"] == "optional"
    assert opts["--disable-wasm-trap-handler"]["value"] == "none"
    assert "-" not in opts and "--" not in opts and "--not-an-option-here" not in opts


def _build():
    return gen.build_db(20, (FIXTURES / "v8-options.txt").read_text(), (FIXTURES / "help.txt").read_text(),
                        json.loads((FIXTURES / "info.json").read_text()),
                        json.loads((FIXTURES / "worker.json").read_text()))


def test_build_db_is_deterministic_and_matches_expected():
    first, second = gen.dumps(_build()), gen.dumps(_build())
    assert first == second
    assert first == (FIXTURES / "expected.json").read_text()


def test_build_db_records():
    flags = _build()["flags"]
    assert flags["--max-old-space-size"] == {"k": "v8", "t": "size_t", "v": "=", "nd": 1, "env": 1}
    assert flags["--liftoff"] == {"k": "v8", "t": "bool", "neg": 1, "on": 1}   # default: --liftoff
    assert flags["--require"] == {"k": "node", "t": "string_list", "v": "sep", "env": 1, "w": 1}
    assert flags["--stack-trace-limit"]["v"] == "="  # also a V8 flag: V8 reads it
    assert flags["--eval"]["w"] == 1  # a value error in the probe: the Worker parser knows it
    assert "--enable-etw-stack-walking" not in flags  # node declares it, this V8 lacks it
    assert "--no-addons" not in flags and "--addons" in flags
    aliases = _build()["aliases"]
    assert aliases["-r"] == ["--require"] and aliases["--loader"] == ["--experimental-loader"]
    assert "--print <arg>" not in aliases  # its target "-pe" is not in this snippet
    assert "--prof-process" not in aliases and "--force-fips=" not in aliases


def test_v8_bool_defaults_from_real_binaries():
    """memory64 needs its flag on node 20 but is on by default in 22.19+ (facts.md §6)."""
    from wasmlint.nodeflags import FlagDB
    assert FlagDB.for_major(20).lookup("--experimental-wasm-memory64").default_on is False
    assert FlagDB.for_major(22).lookup("--experimental-wasm-memory64").default_on is True
    assert FlagDB.for_major(20).lookup("--liftoff").default_on is True
    assert FlagDB.for_major(20).lookup("--jitless").default_on is False
