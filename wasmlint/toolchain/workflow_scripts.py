"""The project scripts a CI workflow's ``run:`` step runs: ``bash ./ci/build_steps.sh
build_web``, ``./scripts/build.sh``, ``source env.sh``.

GitHub runs a step's text with ``bash -e`` in the step's working folder of the checkout,
so a script it names runs there, with the step's arguments (a script that dispatches on
``"$1"`` runs the function they name). Its commands are the workflow's: an ``emcmake cmake
-DAPP_BUILD_WEB=ON`` in ``.github/workflows/build_steps.sh`` configures the project as
much as one written in the step (mujoco's live.yml). The scripts are read with the shell
evaluator's project reader (``shellfiles``: project files only, size-limited).
"""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass

from ..shellfiles import project_reader

WORKFLOWS = ".github/workflows/"
RUNS_SCRIPT = (".sh", ".bash", "./", "source ", ". ")   # text of a step that may run a project script


@dataclass
class _Workflow:
    """The workflow file as ``shellfiles.project_reader`` names a source file."""
    abspath: str
    root: str
    path: str


def step_reader(project, rel: str, base: str):
    """The reader of the scripts a step of workflow ``rel`` runs from the checkout folder
    ``base``; None for any other file, or a project without a folder."""
    if not rel.startswith(WORKFLOWS) or project is None or project.root is None:
        return None
    root = str(project.root)
    src = _Workflow(os.path.join(root, rel), root, project.shown(rel))
    return project_reader(src, os.path.normpath(os.path.join(root, base)))


def may_run_script(rel: str, text: str) -> bool:
    """Whether a workflow's text can name a project script to run."""
    return rel.startswith(WORKFLOWS) and posixpath.basename(rel).endswith((".yml", ".yaml")) and \
        any(m in text for m in RUNS_SCRIPT)
