"""SARIF 2.1.0 (GitHub code scanning and other SARIF viewers).

One run; ``tool.driver.rules`` holds every rule selected for the run with its
summary, full description, help page and default level; each result has its
location (line/column region for text, ``byteOffset``/``byteLength`` for
binaries), related locations, fixes with text edits, a partial fingerprint
that survives line shifts, and its target and production scope as properties. Columns are Unicode code points (``columnKind``).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..fingerprint import Fingerprinter, unique_keys

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
BASE = "%SRCROOT%"


def _artifact(path: str) -> dict:
    path = path.split("#", 1)[0]
    if path.startswith("/"):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path.encode("utf-8", "surrogateescape")), "uriBaseId": BASE}   # bytes of a non-UTF-8 name: %XX


def _region(span, binary: bool) -> dict:
    s = span.to_json()
    if binary and s["offset"] is not None:
        end = s["end_offset"] if s["end_offset"] is not None else s["offset"]
        return {"byteOffset": s["offset"], "byteLength": max(0, end - s["offset"])}
    return {"startLine": s["line"], "startColumn": s["column"],
            "endLine": s["end_line"], "endColumn": s["end_column"]}


def _text(s: str) -> str:
    return re.sub(r"\s+", " ", str(s or "")).strip()


def _rule(rule) -> dict:
    from ..ruledocs import to_markdown
    full = _text(rule.docs.get("what")) or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": full},
        "helpUri": rule.url,
        "help": {"text": f"{full} See {rule.url}", "markdown": to_markdown(rule)},
        "defaultConfiguration": {"level": LEVEL[rule.severity], "enabled": rule.default_enabled},
        "properties": {"tags": [rule.name], "since": rule.since},
    }


def _fix(fix) -> dict | None:
    if not fix or not fix.edits:
        return None
    by_path: dict[str, list] = {}
    for e in fix.edits:
        by_path.setdefault(e.span.path, []).append(
            {"deletedRegion": _region(e.span, False), "insertedContent": {"text": e.content}})
    return {"description": {"text": f"{fix.description} ({fix.applicability})"},
            "artifactChanges": [{"artifactLocation": _artifact(p), "replacements": r}
                                for p, r in sorted(by_path.items())]}


def build(diags, *, paths=None, kinds=None, rules=(), cwd: Path | None = None) -> dict:
    kinds = kinds or {}
    descriptors = {r.code: _rule(r) for r in rules}
    for d in diags:   # a finding of a rule not passed in (never expected) still gets a descriptor
        descriptors.setdefault(d.code, {"id": d.code, "name": d.name, "helpUri": d.url or ""})
    order = sorted(descriptors)
    index = {code: i for i, code in enumerate(order)}
    fps = unique_keys(Fingerprinter(paths or {}, kinds), diags)
    results = []
    for d, fp in zip(diags, fps):
        binary = kinds.get(d.span.path) == "wasm"
        res = {
            "ruleId": d.code, "ruleIndex": index[d.code], "level": LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(d.span.path),
                                                "region": _region(d.span, binary)}}],
            "partialFingerprints": {"wasmlint/v1": fp},
        }
        if d.related:
            res["relatedLocations"] = [
                {"id": i, "message": {"text": r.message},
                 "physicalLocation": {"artifactLocation": _artifact(r.span.path),
                                      "region": _region(r.span, kinds.get(r.span.path) == "wasm")}}
                for i, r in enumerate(d.related)]
        fix = _fix(d.fix)
        if fix:
            res["fixes"] = [fix]
        props = {k: v for k, v in (("target", d.target), ("scope", d.scope)) if v}
        if props:
            res["properties"] = props
        results.append(res)
    root = (cwd or Path.cwd()).resolve().as_uri().rstrip("/") + "/"
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "wasmlint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": _project_url(), "rules": [descriptors[c] for c in order]}},
            "originalUriBaseIds": {BASE: {"uri": root}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _project_url() -> str:
    from ..ruleset import PROJECT_URL
    return PROJECT_URL


def render(diags, out, *, paths=None, kinds=None, rules=(), **_) -> None:
    out.write(json.dumps(build(diags, paths=paths, kinds=kinds, rules=rules), indent=2, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8"))
    out.write("\n")
