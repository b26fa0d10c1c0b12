"""What the YAML launch surfaces (compose, Kubernetes, workflows, PM2 YAML)
share: loading with positions (Helm templates masked), commands given as a
string or a list, and environments given as a map or a list."""
from __future__ import annotations

import re
from typing import Any

from .. import yamlpos
from ..domain import names_domain
from ..shellparse import Assign
from ..textpos import LineIndex, MappedText, replace_delimited
from . import argv
from .args import BLOCK_LIST, FLOW_LIST, escape_name, list_args
from .build import NODE_OPTIONS_VARS, Unit
from .words import lex

_TEMPLATE_LINE = re.compile(r"^[ \t]*\{\{.*?\}\}[ \t]*$", re.M)


def mask_templates(text: str) -> str:
    """Helm/Go templates: lines that are only an action become blank; inline
    actions become ``$`` runs of the same length (values read as dynamic)."""
    text = _TEMPLATE_LINE.sub(lambda m: " " * len(m.group(0)), text)
    return replace_delimited(text, "{{", "}}", lambda run: "$" * len(run) if "\n" not in run
                             else re.sub(r"[^\n]", " ", run))


def load_source(src, templated_ok: bool = False, domain_only: bool = False):
    """``load`` of a source file's text, or (None, [WL001 fact]) when it is not UTF-8."""
    text, errors = src.decode_or_error()
    if text is None:
        return None, errors
    return load(src, text, templated_ok, domain_only)


def load(src, text: str, templated_ok: bool = False, domain_only: bool = False):
    """(LineIndex, documents) or (None, [WL001 fact]); a templated file that does
    not parse even when masked yields no facts rather than noise, and so does, with
    ``domain_only``, a file that names nothing wasmlint reads (``wasmlint.domain``:
    a scratch `sleep` pod's or a CI job's YAML error hides no fact of ours); a file over
    one of wasmlint's bounds (nested too deeply) is reported whatever it names."""
    idx = LineIndex(text, src.path)
    templated = templated_ok and "{{" in text
    body = mask_templates(text) if templated else text
    try:
        docs = yamlpos.documents(body)
        for d in docs:
            yamlpos.check_size(d)
    except yamlpos.YamlPosError as exc:
        if templated or (domain_only and not exc.limit and not names_domain(text)):
            return None, []
        line, col = idx.line_col(exc.offset)
        return None, [src.error(exc.message, line=line, column=col)]
    idx.masked = body
    return idx, docs


def scalar(idx: LineIndex, node: Any) -> MappedText | None:
    if not yamlpos.is_scalar(node) or node.tag.endswith(":null"):
        return None
    return yamlpos.scalar_text(node, getattr(idx, "masked", idx.text))


def command_toks(unit: Unit, node: Any) -> list[argv.Tok]:
    """A command given as a string (split like a shell would, no shell run) or a list."""
    idx = unit.idx
    if yamlpos.is_scalar(node):
        text = scalar(idx, node)
        if text is None:
            return []
        words = lex(text, expand=False)
        for w in words:
            w.dynamic = w.dynamic or "$" in w.value
        return unit.toks(words, escape_name(text.escape))
    if not yamlpos.is_seq(node):
        return []
    texts = [scalar(idx, i) for i in node.value]
    if any(t is None for t in texts):
        return []
    style = FLOW_LIST if node.flow_style else BLOCK_LIST
    elems = [(t.value, i.start_mark.index, i.end_mark.index) for t, i in zip(texts, node.value)]
    args = list_args(idx, elems, style, editable=all(t.exact for t in texts))
    for a in args:
        a.dynamic = "$" in a.value
    return [argv.Tok(t, a) for t, a in zip(texts, args)]


def env_assigns(unit: Unit, node: Any, k8s: bool = False) -> dict[str, Assign]:
    """``NAME: value`` maps, ``- NAME=value`` lists, and Kubernetes ``- name: N / value: V``.
    NODE_OPTIONS among them becomes a ``node-options`` fact."""
    idx = unit.idx
    out: dict[str, Assign] = {}
    if yamlpos.is_map(node):
        for k, v in yamlpos.pairs(node):
            text = scalar(idx, v)
            if yamlpos.is_scalar(k) and text is not None:
                out[k.value] = Assign(k.value, text, k.start_mark.index, v.end_mark.index, exported=True)
    for item in yamlpos.items(node):
        if k8s and yamlpos.is_map(item):
            name, value = yamlpos.get(item, "name"), yamlpos.get(item, "value")
            text = scalar(idx, value) if value is not None else None
            if yamlpos.str_of(name) and text is not None:
                out[name.value] = Assign(name.value, text, item.start_mark.index, item.end_mark.index,
                                         exported=True)
            continue
        text = scalar(idx, item)
        if text is None or "=" not in text.value:
            continue
        k = text.value.split("=", 1)[0]
        out[k] = Assign(k, text.slice(len(k) + 1, len(text.value)), item.start_mark.index,
                        item.end_mark.index, exported=True)
    for a in out.values():
        if a.name in NODE_OPTIONS_VARS:
            unit.node_options(a)
    return out
