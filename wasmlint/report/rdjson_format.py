"""reviewdog's Diagnostic Format (``rdjson``): ``reviewdog -f=rdjson`` posts each
finding as a review comment, with safe fixes as suggestions. Lines and columns are
1-based, as reviewdog expects; ``path`` is relative to the working folder."""
from __future__ import annotations

import json

from ..ruleset import PROJECT_URL

SEVERITY = {"error": "ERROR", "warning": "WARNING", "info": "INFO"}


def _range(s: dict) -> dict:
    start = {"line": s["line"], "column": s["column"]}
    end = {"line": s["end_line"] or s["line"], "column": s["end_column"] or s["column"]}
    return {"start": start, "end": end}


def _diagnostic(d) -> dict:
    s = d.span.to_json()
    target = f" (target {d.target})" if d.target and d.target not in d.message else ""
    out = {"message": f"{d.message}{target}",
           "location": {"path": d.span.path.split("#", 1)[0], "range": _range(s)},
           "severity": SEVERITY[d.severity],
           "code": {"value": d.code, **({"url": d.url} if d.url else {})}}
    if d.fix is not None and d.fix.applicability == "safe" and d.fix.edits:
        out["suggestions"] = [{"range": _range(e.span.to_json()), "text": e.content} for e in d.fix.edits
                              if e.span.path == d.span.path]
    if d.related:
        out["related_locations"] = [{"message": r.message, "location": {
            "path": r.span.path.split("#", 1)[0],
            "range": {"start": {"line": r.span.line, "column": r.span.column}}}} for r in d.related]
    return out


def build(diags) -> dict:
    return {"source": {"name": "wasmlint", "url": PROJECT_URL},
            "diagnostics": [_diagnostic(d) for d in diags]}


def render(diags, out, **_) -> None:
    out.write(json.dumps(build(diags), indent=2, ensure_ascii=False).encode("utf-8", "backslashreplace")
              .decode("utf-8"))
    out.write("\n")
