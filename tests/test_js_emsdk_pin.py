"""The release a build script pins is found from where the file's one scan (or a byte
search) finds the names that say Emscripten or emsdk: the same matches as the expression
tried at every word."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings, strategies as st

from wasmlint.js import emsdk_pin
from wasmlint.js.sites import Sites

_PIECES = st.lists(st.sampled_from(["emsdk", "EMSDK", "Emsdk", "emscripten", "Emscripten", "EMSCRIPTEN", "emsd", "k",
                                    "x", "$", "a$", "9", "_", " ", "\n", "=", '"', "'", "`", "1", ".", "2.3", "const "]),
                   max_size=20)


def _spans(matches):
    return [(m.span(), m.group(1)) for m in matches]


@settings(max_examples=600, deadline=None)
@given(_PIECES)
def test_pinned_names_are_those_of_the_expression_tried_everywhere(pieces):
    data = "".join(pieces).encode()
    expected = _spans(emsdk_pin._PINNED.finditer(data))
    assert _spans(emsdk_pin._pinned(data)) == expected
    assert _spans(emsdk_pin._pinned(data, Sites(data))) == expected


def test_pinned_names_in_real_files_are_those_of_the_expression():
    root = Path(__file__).parent
    files = [p for p in root.rglob("*") if p.suffix in (".js", ".mjs", ".cjs", ".ts") and p.is_file()]
    spans = [(_spans(emsdk_pin._pinned(d, Sites(d))), _spans(emsdk_pin._pinned(d)), _spans(emsdk_pin._PINNED.finditer(d)))
             for d in (p.read_bytes() for p in files)]
    assert all(a == b == c for a, b, c in spans)
    assert sum(1 for a, _, _ in spans if a) >= 1
