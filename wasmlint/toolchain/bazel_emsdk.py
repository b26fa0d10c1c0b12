"""The Emscripten release a Bazel build links with: emsdk's Bazel toolchain.

A ``WORKSPACE`` fetches emsdk's ``bazel/`` folder (``http_archive(name = "emsdk",
strip_prefix = "emsdk-X/bazel", urls = [".../tags/X.tar.gz"])``, or ``git_repository(name =
"emsdk", tag = "X")``); a ``MODULE.bazel`` depends on it (``bazel_dep(name = "emsdk", version =
"X")``, the Bazel Central Registry's emsdk module, numbered as emsdk's releases). Its
``emscripten_deps()`` downloads the newest release the checkout's ``revisions.bzl`` lists, which
emsdk's release X brings up to X, unless the project picks one: ``emscripten_deps(
emscripten_version = "Y")`` (WORKSPACE) or ``emscripten_deps.config(version = "Y")`` (the
MODULE.bazel extension). A checkout at a commit, or a module overridden by ``local_path_override``
/ ``git_override`` / ``archive_override``, is pinned to a release not readable here ("").
"""
from __future__ import annotations

import ast

from .emver import EmscriptenVersion, LATEST, version_label
from .python_argv import Values
from .python_script import Script, dotted

_OVERRIDES = frozenset(("local_path_override", "git_override", "archive_override"))


def emsdk_versions(script: Script, values: Values) -> list[EmscriptenVersion]:
    """One ``emscripten-version`` fact for the file's emsdk toolchain, if it sets one up."""
    checkout = chosen = overridden = None
    for call in script.calls:
        func = (dotted(call.func) or "").rsplit(".", 1)[-1]
        if func in _OVERRIDES and _keyword_text(values, call, "module_name") == "emsdk":
            overridden = (call, "")
        elif _keyword_text(values, call, "name") == "emsdk":
            checkout = _checkout(values, call, func) or checkout
        node = _keyword(call, "emscripten_version") or (
            _keyword(call, "version") if _is_extension_config(values, call) else None)
        if node is not None:
            chosen = node
    if chosen is not None:
        text = values.text(chosen, 0)
        if text.known and version_label(text.text) not in ("", LATEST):
            return [EmscriptenVersion(script.span(chosen), version=text.text.strip(), source="bazel")]
    checkout = overridden or checkout
    if checkout is None:
        return []
    node, version = checkout
    return [EmscriptenVersion(script.span(node), version=version, source="bazel")]


def _checkout(values: Values, call: ast.Call, name: str):
    """(node, release) of an emsdk checkout or module dependency, else None."""
    if name == "bazel_dep":
        node = _keyword(call, "version")
        return (node, _release(values, node)) if node is not None else None
    if name == "git_repository":
        node = _keyword(call, "tag")
        return (node, _release(values, node)) if node is not None else (call, "")
    if name == "http_archive":
        node = _keyword(call, "strip_prefix")
        text = values.text(node, 0) if node is not None else None
        if text is not None and text.known and text.text.startswith("emsdk-"):
            ref = text.text[len("emsdk-"):].split("/", 1)[0]
            return node, version_label(ref) if version_label(ref) != LATEST else ""
        return call, ""
    return None


def _release(values: Values, node) -> str:
    text = values.text(node, 0)
    label = version_label(text.text) if text.known else ""
    return label if label != LATEST else ""


def _is_extension_config(values: Values, call: ast.Call) -> bool:
    """``deps.config(...)`` where ``deps = use_extension("@emsdk//:emscripten_deps.bzl", …)``."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "config" and isinstance(func.value, ast.Name)):
        return False
    _, value = values.reaching_value(func.value)
    if not (isinstance(value, ast.Call) and dotted(value.func) == "use_extension" and value.args):
        return False
    text = values.text(value.args[0], 0)
    return text.known and text.text.startswith("@emsdk//")


def _keyword(call: ast.Call, arg: str):
    return next((k.value for k in call.keywords if k.arg == arg), None)


def _keyword_text(values: Values, call: ast.Call, arg: str) -> str | None:
    node = _keyword(call, arg)
    text = values.text(node, 0) if node is not None else None
    return text.text if text is not None and text.known else None
