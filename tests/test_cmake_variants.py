"""CMake variant runs that start from a copy of a trunk run (``cmake_variants``) give the
facts of whole runs, on every CMake file of the fixtures and on an SDL-shaped project
whose variants read files the base run does not."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from lark.exceptions import UnexpectedInput

from wasmlint.sources import SourceFile
from wasmlint.toolchain import cmake_eval
from wasmlint.toolchain.cmake import cmake_facts
from wasmlint.toolchain.project_files import ProjectFiles

TESTS = Path(__file__).parent
SDL = TESTS / "cmake_variants" / "sdl-tests"
FILES = sorted(p for p in TESTS.glob("fixtures/**/*")
               if p.name == "CMakeLists.txt" or p.suffix == ".cmake") + [SDL / "test" / "CMakeLists.txt"]


def _facts(path: Path, shared: bool) -> str:
    root = SDL if path.is_relative_to(SDL) else path.parent
    src = SourceFile(str(path.relative_to(root)), "cmake", path.read_bytes(), abspath=str(path), root=str(root))
    try:
        facts = cmake_facts(path.read_text(), src.path, project=ProjectFiles(src), shared=shared)
    except UnexpectedInput as exc:      # a template, not CMake (WL001's fixtures)
        return str(exc)
    return json.dumps([f.to_json() for f in facts], sort_keys=True, default=str)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTS)))
def test_shared_variant_runs_give_the_facts_of_whole_runs(path):
    assert _facts(path, shared=True) == _facts(path, shared=False)


def test_sdl_variants_resume_where_their_condition_is_first_compared(monkeypatch):
    resumed = []
    execute = cmake_eval.Run.execute

    def spy(run, at=None):
        resumed.append((run.on, at))
        return execute(run, at)
    monkeypatch.setattr(cmake_eval.Run, "execute", spy)
    facts = json.loads(_facts(SDL / "test" / "CMakeLists.txt", shared=True))
    # the base run, a trunk, the variant that reads cmake/sdlextra.cmake, a new trunk, the rest
    assert resumed == [(None, None), (None, None), ("if(SDL_TESTS_LINK_SHARED)", (1, 2)),
                       ("if(SDL_USE_EXTRA_MODULE)", (0, 11)), (None, None),
                       ("if(SDL_EXTRA_LINK_FLAGS)", (1, 35)), ("if(HAIKU)", (0, 8)),
                       ("elseif(SDLTEST_STRESS)", (1, 38)), ("if(SDLTEST_TIMEOUT)", (1, 44))]
    links = {f["output"]: f["settings"].get("INITIAL_MEMORY") for f in facts
             if f["kind"] == "emcc-invocation" and f.get("variant") == "if(SDL_USE_EXTRA_MODULE)"}
    assert links == dict.fromkeys(["checkkeys", "loopwave", "testatomic", "testextra", "testtimeout"], 64 << 20)
