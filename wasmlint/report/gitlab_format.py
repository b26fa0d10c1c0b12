"""GitLab Code Quality report (the ``codequality`` artifact): a JSON array of
issues, each with a fingerprint that is stable across line shifts and unique
within the report."""
from __future__ import annotations

import json

from ..fingerprint import Fingerprinter, unique_keys

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def build(diags, *, paths=None, kinds=None) -> list[dict]:
    fps = unique_keys(Fingerprinter(paths or {}, kinds or {}), diags)
    out = []
    for d, fp in zip(diags, fps):
        s = d.span.to_json()
        target = f" (target {d.target})" if d.target and d.target not in d.message else ""
        issue = {
            "type": "issue",
            "check_name": d.code,
            "description": f"{d.code} {d.name}: {d.message}{target}",
            "categories": ["Bug Risk"],
            "severity": SEVERITY[d.severity],
            "fingerprint": fp,
            "location": {"path": d.span.path.split("#", 1)[0],
                         "lines": {"begin": s["line"], "end": s["end_line"]}},
        }
        if d.url:
            issue["content"] = {"body": f"See {d.url}"}
        out.append(issue)
    return out


def render(diags, out, *, paths=None, kinds=None, **_) -> None:
    out.write(json.dumps(build(diags, paths=paths, kinds=kinds), indent=2, ensure_ascii=False).encode("utf-8", "backslashreplace").decode("utf-8"))
    out.write("\n")
