"""The pre-commit hook's ``files`` pattern is generated from the classifier's name
tables: every name wasmlint reads is passed to it (``meson.build``, ``*.cross`` too)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from wasmlint.classify import NAME_KINDS, PATH_KINDS, kind_by_name

ROOT = Path(__file__).resolve().parent.parent


def _hook_files() -> re.Pattern:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return re.compile(hooks[0]["files"])


def test_the_hook_file_is_generated_from_the_classifier():
    proc = subprocess.run([sys.executable, "scripts/gen_precommit_hooks.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout


@pytest.mark.parametrize("glob, kind", [*NAME_KINDS, *PATH_KINDS])
def test_every_name_the_classifier_reads_is_passed_to_the_hook(glob, kind):
    sample = re.sub(r"\[(.)[^]]*\]", r"\1", glob).replace("*", "x").replace("?", "x")   # `[a-z0-9]`: its first
    for path in (sample, f"deploy/{sample}"):
        assert kind_by_name(path) == kind or kind_by_name(path) is not None
        assert _hook_files().search(path), path
        assert _hook_files().search(path.upper()), path     # names are matched without case, as classify does


@pytest.mark.parametrize("path", ["meson.build", "cross/aarch64.cross", "src/worker.mts", "k8s/deploy.yaml",
                                  ".wasmlint.toml", "pyproject.toml"])
def test_names_the_old_hand_written_pattern_missed_or_kept(path):
    assert _hook_files().search(path)


@pytest.mark.parametrize("path", ["README.md", "src/main.c", "logo.png"])
def test_files_wasmlint_does_not_read_are_not_passed(path):
    assert not _hook_files().search(path)
