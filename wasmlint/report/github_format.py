"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice``
line per finding, shown as an annotation on the pull request.

Escaping follows the workflow-command rules: in the message ``%``, CR and LF
become ``%25``, ``%0D``, ``%0A``; in property values ``:`` and ``,`` are escaped
too (``%3A``, ``%2C``). Columns are given only for single-line spans (GitHub
ignores them otherwise); ``endColumn`` is exclusive, as in the other formats.
"""
from __future__ import annotations

from .escape import visible

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(s: str) -> str:
    """The workflow-command escapes, then every other control character (and a byte
    that is not UTF-8) as a visible escape: nothing reaches the log raw."""
    return visible(s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def line(d) -> str:
    s = d.span.to_json()
    props = [("file", d.span.path.split("#", 1)[0]), ("line", s["line"]), ("endLine", s["end_line"])]
    if s["end_line"] == s["line"]:
        props += [("col", s["column"]), ("endColumn", max(s["end_column"], s["column"]))]
    props.append(("title", d.code))
    head = ",".join(f"{k}={escape_property(str(v))}" for k, v in props)
    target = f" (target {d.target})" if d.target and d.target not in d.message else ""
    return f"::{LEVEL[d.severity]} {head}::{escape_data(d.message + target)}"


def render(diags, out, **_) -> None:
    for d in diags:
        out.write(line(d) + "\n")
