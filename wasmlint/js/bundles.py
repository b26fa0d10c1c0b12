"""Bundler configs → ``bundle`` facts: the files a bundle is built from and the files it
writes. A bundle holds the code of the modules its entry imports, so a finding in it and
the same finding in one of those modules are one root cause (``wasmlint.rootcause``).

Read from object literals that name both sides, as the bundlers document them:
rollup's ``{input, output: {file | dir}}`` (one object, or an array of them, in
``rollup.config.*``/``rollup.*.config.*``), esbuild's ``build({entryPoints, outfile |
outdir})`` and tsup's ``{entry, outDir}`` in any script. Paths are relative to the
folder the bundler runs in (``Bundle.resolved``). A computed path is left out.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import ClassVar

from ..facts import Fact
from .parse import Doc, object_pairs, string_value, unwrap

INPUT_KEYS = ("input", "entryPoints", "entry")
OUTPUT_KEYS = ("file", "dir", "outfile", "outdir", "outDir")
MARKS = (b"entryPoints", b"outfile", b"outdir", b"outDir")


@dataclass
class Bundle(Fact):
    """One bundle a config builds: its entries and what it writes, as written."""

    kind: ClassVar[str] = "bundle"
    bundler: str = ""
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)     # files, or folders (``dir``) ending in "/"

    def resolved(self, files) -> tuple[list[str], list[str]]:
        """(entries, outputs) as project paths, from the folder the bundler runs in: the
        config's, else the nearest folder above it holding an entry (``node scripts/build.mjs``
        run from the project's root). The search ends at the top: "" for a path shown
        relative to the folder wasmlint runs in, "/" (its own parent) for an absolute one."""
        folder = posixpath.dirname(self.span.path.split("#", 1)[0])
        while True:
            entries = [_join(folder, p) for p in self.inputs]
            top = posixpath.dirname(folder)
            if any(e in files for e in entries) or top == folder:
                outs = [_join(folder, o) + ("/" if o.endswith("/") else "") for o in self.outputs]
                return entries, outs
            folder = top


def is_rollup_config(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name.startswith("rollup.") and ".config." in "." + name.partition(".")[2]


def wanted(path: str, data: bytes, has=None) -> bool:
    """``has``: how to tell whether the bytes mention a word (``Sites.has``)."""
    has = has or data.__contains__
    return is_rollup_config(path) or any(has(m) for m in MARKS)


def bundles(doc: Doc) -> list[Bundle]:
    out = []
    for key in INPUT_KEYS:
        for node in doc.words(key, ("property_identifier",)):
            pair = node.parent
            obj = pair.parent if pair is not None and pair.type == "pair" else None
            if obj is None or obj.type != "object" or pair.child_by_field_name("key") != node:
                continue
            pairs = object_pairs(obj)
            inputs = _strings(pairs[key][1])
            outputs = [o + "/" if k in ("dir", "outdir", "outDir") else o
                       for value in _objects(pairs.get("output", (None, None))[1]) or [obj]
                       for k, o in _outputs(value)]
            if inputs and outputs:
                bundler = "rollup" if key == "input" else "esbuild" if key == "entryPoints" else "bundler"
                out.append(Bundle(doc.span(pair), bundler=bundler, inputs=inputs, outputs=outputs))
    return out


def _join(folder: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(folder, path.removeprefix("./"))) if folder else \
        posixpath.normpath(path.removeprefix("./"))


def _strings(node) -> list[str]:
    """A string, or the string items of an array or of an object (rollup's named inputs)."""
    node = unwrap(node)
    if node is None:
        return []
    if node.type == "array":
        return [s for c in node.named_children if (s := string_value(c))]
    if node.type == "object":
        return [s for _p, v in object_pairs(node).values() if (s := string_value(v))]
    text = string_value(node)
    return [text] if text else []


def _objects(node) -> list:
    node = unwrap(node)
    if node is None:
        return []
    if node.type == "array":
        return [c for c in node.named_children if unwrap(c) is not None and unwrap(c).type == "object"]
    return [node] if node.type == "object" else []


def _outputs(obj) -> list[tuple[str, str]]:
    pairs = object_pairs(obj)
    return [(k, s) for k in OUTPUT_KEYS if k in pairs and (s := string_value(pairs[k][1]))]
