"""Work of the rules phase that is a function of one value (a path, a folder, the set of
web links) is done once per value, not once per fact or finding: a file of thousands of
links paid it thousands of times (``docs/performance.md``, issue #17)."""
from __future__ import annotations

from wasmlint.config import Config
from wasmlint.pipeline import run_check
from wasmlint.ruleset import all_rules

LINKS = 40


def _makefile(tmp_path, flags: str) -> None:
    recipes = "".join(f"t{k}.js: t{k}.c\n\temcc -O3 {flags} -o $@ $<\n" for k in range(LINKS))
    (tmp_path / "Makefile").write_text(f"all: {' '.join(f't{k}.js' for k in range(LINKS))}\n" + recipes)


def test_a_files_project_relative_path_is_found_once(tmp_path, monkeypatch):
    from wasmlint import runpaths
    _makefile(tmp_path, "-sALLOW_MEMORY_GROWTH=1 -pthread")
    asked = []
    real = runpaths.project_relative
    monkeypatch.setattr(runpaths, "project_relative", lambda p, roots: asked.append(p) or real(p, roots))
    result = run_check([str(tmp_path)], Config(root=tmp_path), all_rules(), jobs=1)
    assert any(d.code == "WL103" for d in result.diagnostics)     # the links were judged
    assert asked and len(asked) == len(set(asked))      # each path once, however many links it holds


def test_links_without_a_web_environment_are_not_walked_for_node_twins(tmp_path, monkeypatch):
    from wasmlint import node_twins
    _makefile(tmp_path, "-sALLOW_MEMORY_GROWTH=1")
    stems = []
    real = node_twins._stems
    monkeypatch.setattr(node_twins, "_stems", lambda link: stems.append(link) or real(link))
    run_check([str(tmp_path)], Config(root=tmp_path), all_rules(), jobs=1)
    assert stems == []


def test_a_node_twin_beside_a_web_link_is_still_found():
    from wasmlint.node_twins import node_twin_outputs

    class Link:
        def __init__(self, out: str, env=None):
            self.settings = {"ENVIRONMENT": env} if env else {}
            self.artifact_paths = [out]

    links = [Link("dist/app.js", "web"), Link("dist/app-node.js"), *(Link(f"dist/t{k}.js") for k in range(LINKS))]
    assert node_twin_outputs(links) == {"dist/app-node.js"}
    assert node_twin_outputs(links[1:]) == set()       # without the web link, no twin
