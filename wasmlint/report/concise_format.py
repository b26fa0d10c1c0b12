"""``path:line:col: severity: message [CODE]`` — one line per finding (editors,
problem matchers)."""
from __future__ import annotations


from .escape import visible


def line(d) -> str:
    target = f" (target {d.target})" if d.target and d.target not in d.message else ""
    return visible(f"{d.span.path}:{d.span.line}:{d.span.column}: {d.severity}: {d.message}{target} [{d.code}]")


def render(diags, out, **_) -> None:
    for d in diags:
        out.write(line(d) + "\n")
