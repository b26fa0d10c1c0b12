"""Recorded probe results (``*.probe.json``, the output of
``wasmlint probe --format json``) → ``probe-result``, ``probe-allocation`` and ``probe-target-run``
facts, so CI can probe once and ``wasmlint check`` judge the recording with the
project's policy. Findings point at the flag set or target entry in the file.
"""
from __future__ import annotations

import json

from ..facts import Fact, Span
from ..probe.facts import facts_from_result
from . import SourceFile


def extract(src: SourceFile) -> list[Fact]:
    text, errors = src.decode_or_error()
    if text is None:
        return errors
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [src.error(f"invalid JSON: {exc.msg}", line=exc.lineno, column=exc.colno, offset=exc.pos)]
    if not isinstance(data, dict) or not isinstance(data.get("flag_sets"), list):
        return [src.error("not a recorded probe result: expected an object with `flag_sets` "
                          "(the output of `wasmlint probe --format json`)")]
    return facts_from_result(data, src.path, _spans(text, src.path))


def _spans(text: str, path: str) -> dict:
    """Positions of each flag set and allocation entry, from YAML's composed nodes
    (JSON is YAML); none when the layout is JSON that YAML cannot compose."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    out: dict = {}
    for key, value in getattr(root, "value", ()):
        if key.value == "flag_sets" and isinstance(value, yaml.SequenceNode):
            for i, node in enumerate(value.value):
                out[("flag_sets", i)] = _span(node, path)
        elif key.value in ("allocation", "under_target") and isinstance(value, yaml.MappingNode):
            for k, node in value.value:
                out[(key.value, k.value)] = _span(k, path)
    return out


def _span(node, path: str) -> Span:
    s, e = node.start_mark, node.end_mark
    return Span(path, s.line + 1, s.column + 1, e.line + 1, e.column + 1, s.index, e.index)
