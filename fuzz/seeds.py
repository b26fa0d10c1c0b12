"""Write seed corpora for every fuzz target from the repository's own test inputs.

    python fuzz/seeds.py OUT_DIR        # creates OUT_DIR/<target>/...

Whole-source targets get every test file of their kind; the parser targets get
the lines and files that exercise them (emcc command lines, NODE_OPTIONS values,
shell scripts, configuration files, JSON and YAML files).
"""
import hashlib
import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fuzz.targets import SOURCES  # noqa: E402
from wasmlint.classify import kind_by_content, kind_by_name  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"


def _kind(path: Path) -> str | None:
    rel = path.relative_to(TESTS).as_posix()
    return kind_by_content(rel, path.read_bytes()[:4096], kind_by_name(rel))


def seeds() -> dict[str, list[bytes]]:
    out: dict[str, list[bytes]] = {}

    def add(target: str, data: bytes) -> None:
        out.setdefault(target, []).append(data)

    for path in sorted(p for p in TESTS.rglob("*") if p.is_file() and p.stat().st_size < 65536):
        data = path.read_bytes()
        kind = _kind(path)
        if kind in SOURCES:
            add("source_" + kind.replace("-", "_"), data)
        if path.suffix == ".json":
            add("jsonpos", data)
        if path.suffix in (".js", ".mjs", ".cjs") and len(data) < 16384:
            add("js_skeleton", data)
        if path.suffix in (".yml", ".yaml"):
            add("yamlpos", data)
        if kind == "shell" or path.suffix == ".sh":
            add("shell", data)
        if path.name in (".wasmlint.toml", "pyproject.toml"):
            add("config", (b"\0" if path.name == ".wasmlint.toml" else b"\2") + data)
        for line in data.splitlines():
            if b"emcc" in line or b"-s" in line:
                add("emcc_settings", line.strip())
            if b"NODE_OPTIONS" in line or b"node " in line:
                add("node_options", line.strip())
    for line in (TESTS / "grammar_samples" / "node_options.txt").read_bytes().splitlines():
        if line and not line.startswith(b"#"):
            add("node_options", line.split(b"  =>  ")[0])
    return out


def main() -> None:
    root = Path(sys.argv[1])
    for target, items in seeds().items():
        d = root / target
        d.mkdir(parents=True, exist_ok=True)
        for data in items:
            (d / hashlib.sha1(data).hexdigest()).write_bytes(data)
        print(f"{target}: {len(set(items))} seeds")


if __name__ == "__main__":
    main()
