"""Whether Emscripten glue was built to run in node only, read from its constants.

Emscripten writes the environment checks of a build for one environment as
constants (``-sENVIRONMENT=node``: ``var ENVIRONMENT_IS_WEB = false; var
ENVIRONMENT_IS_NODE = true;``, minified or not; a pthreads build keeps
``ENVIRONMENT_IS_WORKER = typeof importScripts === "function"`` for its node
worker threads); a build for several tests the host (``ENVIRONMENT_IS_NODE =
typeof process == "object" && …``). Glue whose ``ENVIRONMENT_IS_NODE`` is the
literal ``true`` takes node's paths (``require("fs")``) wherever it runs: only
node runs it, and the module it loads is its node variant.
"""
from __future__ import annotations

from .parse import Doc, unwrap
from .shapes import DECLARED


def node_only(doc: Doc) -> bool:
    """``var ENVIRONMENT_IS_NODE = true``, declared once."""
    values = []
    for ident in doc.words("ENVIRONMENT_IS_NODE", ("identifier",), DECLARED):
        decl = ident.parent
        if decl is not None and decl.type == "variable_declarator" and \
                decl.child_by_field_name("name").id == ident.id:
            value = unwrap(decl.child_by_field_name("value"))
            values.append(value.type if value is not None else "")
    return values == ["true"]
