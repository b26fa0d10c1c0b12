"""Links made alike in several variants are one fact (``makefile_facts._merge``); only a run
of make named for release makes it that release's link (``EmccInvocation.release_run``)."""
from __future__ import annotations

from wasmlint.facts import Span
from wasmlint.toolchain.emcc import EmccInvocation
from wasmlint.toolchain.makefile_facts import _merge


def _link(variant: str | None) -> EmccInvocation:
    link = EmccInvocation(Span("CMakeLists.txt", 126), variant=variant)
    link.output = "openscad.js"
    return link


def test_a_make_run_named_for_release_marks_the_link_it_makes_alike():
    base, again = _link(None), _link("RELEASE=1")
    merged = _merge([(None, [base]), ("RELEASE=1", [again])], release_runs=True)
    assert merged == [base] and base.release_run == "RELEASE=1"


def test_a_cmake_release_build_type_does_not_mark_the_base_reading():
    """openscad: the Release configuration's link equals the base reading, whose
    ``$<$<CONFIG:Debug>:-g -O0>`` words are kept; the base is no release run."""
    base, again = _link(None), _link("CONFIG Release")
    merged = _merge([(None, [base]), ("CONFIG Release", [again])])
    assert merged == [base] and base.release_run is None
