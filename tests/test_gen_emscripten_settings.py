"""scripts/gen_emscripten_settings.py's history: a setting dropped from src/settings.js
without a LEGACY_SETTINGS entry is recorded with the first release that no longer has it."""
from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location("gen_emscripten_settings", ROOT / "scripts/gen_emscripten_settings.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _release(work: Path, tag: str, settings: str) -> None:
    (work / "src").mkdir(exist_ok=True)
    (work / "src/settings.js").write_text(settings)
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "-A"], check=True, capture_output=True)
    subprocess.run([*git, "commit", "-qm", tag], check=True, capture_output=True)
    subprocess.run([*git, "tag", tag], check=True, capture_output=True)


def test_dropped_setting_gets_the_first_release_without_it(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _release(tmp_path, "1.38.28", "var EMTERPRETIFY = 0;\nvar MODULARIZE = 0;\nvar OLD = 1;\n")
    _release(tmp_path, "1.39.16", "var EMTERPRETIFY = 0;\nvar MODULARIZE = 0;\n")
    _release(tmp_path, "1.39.17", "var MODULARIZE = 0;\n")
    _release(tmp_path, "2.0.0", "var MODULARIZE = 0;\nvar OLD = 1;\n")     # back again: not dropped
    first, introduced, deprecated, dropped = _generator().history(tmp_path / ".git")
    assert dropped == {"EMTERPRETIFY": "1.39.17"}
