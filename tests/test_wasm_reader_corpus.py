"""The reader on real modules from several toolchains (tests/corpus.lock.json),
their truncations, and its speed on big modules."""
from __future__ import annotations

import hashlib
import json

import pytest
from tests.wasmbuild import ROOT, corpus

from wasmlint.wasm.reader import WasmParseError, parse_module

LOCK = json.loads((ROOT / "tests" / "corpus.lock.json").read_text())


def by_label(package: str, label: str):
    (m,) = [m for m in corpus() if m.package == package and m.label == label]
    return m


def test_lock_covers_the_toolchains_and_single_file_builds():
    packages = LOCK["packages"]
    assert len(packages) >= 20
    assert len({p["name"] for p in packages}) == len(packages)
    toolchains = {p["toolchain"] for p in packages}
    assert {"emscripten", "rust", "go", "assemblyscript", "zig", "c"} <= toolchains
    single_file = [p for p in packages if p["embedded"]]
    assert len(single_file) >= 5
    for p in packages:
        assert p["integrity"].startswith("sha512-") and p["evidence"]
        assert p["wasm"] or p["embedded"], p["name"]
        assert p["tarball_size"] < 10 * 2**20, p["name"]


def test_fetched_files_match_the_lock():
    mods = corpus()
    paths = {m.path for m in mods}
    pinned = {}
    for p in LOCK["packages"]:
        for w in p["wasm"]:
            pinned[w["path"].split("/", 1)[1], f"{p['name']}@{p['version']}"] = w
    checked = 0
    for m in mods:
        w = pinned.get((m.label, m.package))
        if w is not None:
            data = m.path.read_bytes()
            assert (len(data), hashlib.sha256(data).hexdigest()) == (w["size"], w["sha256"])
            checked += 1
    assert checked == len(pinned) and len(paths) >= 30
    embedded = [m for m in mods if m.offset is not None]
    assert len(embedded) == sum(e["modules"] for p in LOCK["packages"] for e in p["embedded"])


def test_every_corpus_module_parses_cleanly():
    for m in corpus():
        mod = parse_module(m.read())
        assert not mod.is_component and mod.version == 1
        assert mod.warnings == [], (m.package, m.label)
        assert mod.memories, (m.package, m.label)  # every one of them has a memory
        assert mod.func_count >= mod.code_function_count > 0


def test_producers_agree_with_the_pinned_toolchain():
    expected_language = {"rust": "Rust", "go": "Go", "zig": "C11"}
    seen = set()
    for m in corpus():
        mod = parse_module(m.read())
        if not mod.producers:
            continue
        langs = [name for name, _ in mod.producers.get("language", [])]
        assert expected_language[m.toolchain] in langs, (m.package, langs)
        seen.add(m.toolchain)
        if m.toolchain == "zig":
            clang = dict(mod.producers["processed-by"])["clang"]
            assert "zig" in clang
    assert seen == {"rust", "go", "zig"}


def test_known_memory_declarations():
    cases = {
        ("@node-rs/crc32-wasm32-wasi@1.10.6", "crc32.wasm32-wasi.wasm"):
            [("imported", "env", "memory", 99, 65536, True, False)],
        ("esbuild-wasm@0.28.2", "esbuild.wasm"): [("defined", None, None, 95, None, False, False)],
        ("@jsquash/jpeg@1.6.0", "codec/dec/mozjpeg_dec.wasm"):
            [("defined", None, None, 258, 32768, False, False)],
        ("web-tree-sitter@0.27.2", "web-tree-sitter.wasm"):
            [("imported", "env", "memory", 512, 32768, False, False)],
        ("libsodium@0.8.4", "dist/modules/libsodium.js#wasm@611045"):
            [("defined", None, None, 64, 32768, False, False)],
    }
    for (pkg, label), mems in cases.items():
        mod = parse_module(by_label(pkg, label).read())
        got = [(m.origin, m.import_module, m.import_name, m.initial, m.maximum, m.shared,
                m.memory64) for m in mod.memories]
        assert got == mems, (pkg, label)


def test_custom_sections_seen_in_the_wild():
    jq = parse_module(by_label("jq-web@0.6.2", "jq.wasm").read())
    assert jq.has_dwarf and jq.debug_sections_size > 100_000 and jq.name_section_size > 0
    wts = parse_module(by_label("web-tree-sitter@0.27.2", "web-tree-sitter.wasm").read())
    assert wts.source_mapping_url == "web-tree-sitter.wasm.map"
    assert wts.dylink is not None and wts.dylink.mem_size > 0 and wts.dylink.needed == []
    grammar = parse_module(by_label("tree-sitter-javascript@0.25.0",
                                    "tree-sitter-javascript.wasm").read())
    assert grammar.dylink.table_size > 0
    png = parse_module(by_label("@jsquash/png@3.1.1", "codec/pkg/squoosh_png_bg.wasm").read())
    assert ("+", "sign-ext") in png.target_features
    rabin = parse_module(by_label("rabin-wasm@0.1.5", "dist/rabin.wasm").read())
    assert rabin.source_mapping_url == "./rabin.wasm.map"


def _boundaries(data: bytes) -> dict[int, int]:
    full = parse_module(data)
    out = {s.payload_offset + s.payload_size: i for i, s in enumerate(full.sections)}
    out[8] = -1
    return out


def _truncations(data: bytes, lengths) -> int:
    full = parse_module(data)
    bounds = _boundaries(data)
    view = memoryview(data)
    n_checked = 0
    for n in lengths:
        n_checked += 1
        try:
            mod = parse_module(view[:n])
        except WasmParseError as e:
            assert 0 <= e.offset <= n
            continue
        assert n in bounds, n
        assert mod.sections == full.sections[:bounds[n] + 1]
    return n_checked


@pytest.mark.parametrize("pkg,label", [
    ("rabin-wasm@0.1.5", "dist/rabin.wasm"),
    ("xxhash-wasm@1.1.0", "workerd/xxhash.wasm"),
    ("@chainsafe/as-sha256@1.2.5", "build/optimized.wasm"),
    ("sha512-wasm@2.3.4", "sha512.js#wasm@986"),
])
def test_every_truncation_of_small_real_modules(pkg, label):
    data = by_label(pkg, label).read()
    assert _truncations(data, range(len(data))) == len(data)


@pytest.mark.parametrize("pkg,label", [
    ("esbuild-wasm@0.28.2", "esbuild.wasm"),
    ("web-tree-sitter@0.27.2", "web-tree-sitter.wasm"),
    ("@resvg/resvg-wasm@2.6.2", "index_bg.wasm"),
])
def test_truncations_of_big_modules_near_the_start_and_section_boundaries(pkg, label):
    data = by_label(pkg, label).read()
    lengths = set(range(min(len(data), 4096)))
    for s in parse_module(data).sections:
        for edge in (s.offset, s.payload_offset, s.payload_offset + s.payload_size):
            lengths.update(range(max(0, edge - 40), min(len(data), edge + 40)))
    _truncations(data, sorted(lengths))


def test_biggest_corpus_module_reads_without_decoding_code():
    """The code section is skipped by its size: overwriting every function body with
    garbage changes nothing the reader reports (speed is measured by scripts/bench.py)."""
    m = max(corpus(), key=lambda m: m.path.stat().st_size)
    data = bytearray(m.read())
    assert len(data) > 10_000_000
    before = parse_module(bytes(data))
    code = before.section("code")
    start = code.payload_offset + 8
    data[start:code.payload_offset + code.payload_size] = b"\xff" * (code.payload_size - 8)
    after = parse_module(bytes(data))
    assert after.memories == before.memories and after.code_size == before.code_size
    assert after.code_function_count == before.code_function_count


def _big_module(code_bytes: int, functions: int) -> bytes:
    from wasmlint.wasm.leb import encode_uleb as leb

    def sec(sid, payload):
        return bytes([sid]) + leb(len(payload)) + payload

    body_len = code_bytes // functions
    body = b"\x00" + b"\xfe" * (body_len - 2) + b"\x0b"  # no locals, then bytes that are no valid opcode
    code = leb(functions) + (leb(len(body)) + body) * functions
    return (b"\0asm\x01\0\0\0" + sec(1, b"\x01\x60\x00\x00")
            + sec(3, leb(functions) + b"\x00" * functions)
            + sec(5, b"\x01\x01\x80\x02\x80\x80\x04")
            + sec(7, b"\x01\x06memory\x02\x00")
            + sec(10, code) + sec(11, b"\x00"))


def test_30mb_module_with_undecodable_bodies_reads():
    data = _big_module(30 * 2**20, 20_000)
    assert len(data) > 30 * 2**20
    mod = parse_module(data)
    assert (mod.code_function_count, mod.func_count) == (20_000, 20_000)
    assert (mod.memories[0].initial, mod.memories[0].maximum) == (256, 65536)


def _load_fetch_script():
    import importlib.util
    spec = importlib.util.spec_from_file_location("fetch_testdata_t",
                                                  ROOT / "scripts" / "fetch_testdata.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _tarball(files: dict[str, bytes]) -> bytes:
    import io
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tf.addfile(info, io.BytesIO(content))
    return buf.getvalue()


def test_fetch_checks_integrity_and_extracts_only_listed_files(tmp_path, monkeypatch):
    fetch = _load_fetch_script()
    monkeypatch.setattr(fetch, "CACHE", tmp_path / "cache")
    wasm = b"\0asm\x01\0\0\0"
    tgz = _tarball({"package/a.wasm": wasm, "package/../../evil.wasm": wasm,
                    "package/other.js": b"x"})
    pkg = {"name": "@x/y", "version": "1.0.0", "integrity": fetch._sri(tgz),
           "wasm": [{"path": "package/a.wasm", "size": 8,
                     "sha256": hashlib.sha256(wasm).hexdigest()}], "embedded": []}
    calls = []
    monkeypatch.setattr(fetch, "_download", lambda p: calls.append(p) or tgz)
    fetch._fetch_one(pkg)
    fetch._fetch_one(pkg)  # cached: no second download
    assert len(calls) == 1
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["cache/@x+y@1.0.0/.integrity", "cache/@x+y@1.0.0/a.wasm"]

    bad = dict(pkg, version="2.0.0", integrity=fetch._sri(b"other"))
    with pytest.raises(fetch.FetchError, match="tarball integrity mismatch"):
        fetch._fetch_one(bad)
    wrong_hash = dict(pkg, version="3.0.0", wasm=[dict(pkg["wasm"][0], sha256="0" * 64)])
    with pytest.raises(fetch.FetchError, match="does not match its pinned sha256"):
        fetch._fetch_one(wrong_hash)
