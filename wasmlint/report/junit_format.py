"""JUnit XML: one ``testcase`` per finding (named ``CODE path:line:col``, its
``classname`` the file, with one ``failure``), and one passing ``testcase`` per
checked file without findings, so test dashboards count and track findings one by one."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .concise_format import line as concise_line
from .escape import visible


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(s: str) -> str:
    """Text XML 1.0 can hold, with control characters shown as escapes."""
    return _NOT_XML.sub("\ufffd", visible(s))


def build(diags, files=()) -> ET.Element:
    by_file: dict[str, list] = {f: [] for f in files}
    for d in diags:
        by_file.setdefault(d.span.path.split("#", 1)[0], []).append(d)
    tests = sum(max(1, len(v)) for v in by_file.values())
    failed = len(diags)
    suites = ET.Element("testsuites", name="wasmlint", tests=str(tests), failures=str(failed), errors="0")
    suite = ET.SubElement(suites, "testsuite", name="wasmlint", tests=str(tests), failures=str(failed),
                          errors="0", skipped="0")
    for path in sorted(by_file):
        if not by_file[path]:
            ET.SubElement(suite, "testcase", name=_x(path), classname=_x(path), file=_x(path))
        for d in by_file[path]:
            where = f"{d.span.path}:{d.span.line}:{d.span.column}"
            case = ET.SubElement(suite, "testcase", name=_x(f"{d.code} {where}"), classname=_x(path),
                                 file=_x(path), line=str(d.span.line))
            fail = ET.SubElement(case, "failure", message=_x(f"{d.code} {d.name}: {d.message}"), type=d.code)
            fail.text = _x(concise_line(d))
    return suites


def render(diags, out, *, files=(), **_) -> None:
    tree = build(diags, files)
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(tree, encoding="unicode"))
    out.write("\n")
