"""Bazel ``BUILD`` / ``BUILD.bazel`` files → the emcc links of their ``cc_binary`` targets.

Starlark is a dialect of Python (its grammar is a subset of Python 3's), so a BUILD file is
parsed with ``python_argv.parse`` and its values read with ``python_argv.Values``: string
lists, ``+`` of lists and names with one assignment (``BASE_LINKOPTS = [...]`` shared by
several links, as tfjs-backend-wasm does). What is not known (``select(...)``, a list built
by a macro) is one unknown word.

Bazel hands each string of a ``cc_binary``'s ``linkopts`` to the link after "Make"
variable substitution (``$(location :pre.js)``: a path, unknown here) and Bourne shell
tokenization, so ``"-s ALLOW_MEMORY_GROWTH=1"`` is two arguments (Bazel's cc_binary
reference). ``copts`` reach the compiles only. A ``cc_binary`` is an emcc link when the
file's ``wasm_cc_binary(cc_target = ":name")`` (emsdk's Bazel rule) builds it, or when its
linkopts set a setting emcc knows (``-s NAME=…``): a native link has no such flag.
``wasm_cc_binary(threads = "emscripten")`` builds its target with emsdk's ``use_pthreads``
feature, which passes ``-pthread`` to the link. A macro of a ``.bzl`` file that calls
``native.cc_binary(linkopts = [...])`` is read the same way: its literal options are those
of every target the macro makes (a parameter it adds is one unknown word). A ``WORKSPACE`` or
``MODULE.bazel`` that sets up emsdk's toolchain names the release the links run
(``bazel_emsdk``).
"""
from __future__ import annotations

import ast

from ..facts import Fact
from . import emcc_settings as es
from .bazel_emsdk import emsdk_versions
from .emcc import build_facts
from .pstr import UNKNOWN_TEXT, PStr, Tok, shell_split
from .python_argv import Values, parse
from .python_script import dotted

LINK_RULES = frozenset(("cc_binary", "native.cc_binary"))
WASM_RULES = frozenset(("wasm_cc_binary", "native.wasm_cc_binary"))


def wanted(data: bytes) -> bool:
    """Only a file with linkopts, or one that sets up emsdk's toolchain, is parsed."""
    return b"linkopts" in data or b"emsdk" in data


def bazel_facts(text: str, path: str, error) -> list[Fact]:
    script, problem = parse(text, path)
    if script is None:
        message, line, column = problem
        return [error(message.replace("Python 3", "Starlark"), line=line, column=column)]
    values = Values(script)
    out: list[Fact] = list(emsdk_versions(script, values))     # WORKSPACE, MODULE.bazel
    calls = [c for c in script.calls if dotted(c.func) in LINK_RULES | WASM_RULES]
    wasm_targets = {_string(_keyword(c, "cc_target")).lstrip(":"): _keyword(c, "threads")
                    for c in calls if dotted(c.func) in WASM_RULES}
    for call in calls:
        opts = _keyword(call, "linkopts")
        if dotted(call.func) not in LINK_RULES or opts is None:
            continue
        name = _string(_keyword(call, "name"))
        items = values.items(opts, 0)
        words = [w for item in (items if items is not None else [UNKNOWN_TEXT]) for w in _tokenize(item)]
        toks = [Tok(w, script.index) for w in words]
        wrapped = bool(name) and name in wasm_targets     # a name built in a macro (`name + "_bin"`) is not known
        threads = wasm_targets[name] if wrapped else None
        if _string(threads) == "emscripten":
            toks.append(Tok(PStr.spread("-pthread", script.start(threads), script.end(threads)), script.index))
        if wrapped or _sets_emcc_setting(toks):
            out += build_facts(toks, script.span(call), variant=name or None, complete=False)   # `-c opt` adds -O
    return out


def _keyword(call: ast.Call, arg: str):
    return next((k.value for k in call.keywords if k.arg == arg), None)


def _string(node) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def _tokenize(item: PStr) -> list[PStr]:
    """One linkopts string as Bazel passes it: Make variables substituted (``$$`` is a
    ``$``; ``$(…)`` and ``$X`` are unknown here), then split as the Bourne shell does."""
    text, parts, i, plain = item.text, [], 0, 0
    while i < len(text):
        if text[i] != "$" or i + 1 >= len(text):
            i += 1
            continue
        parts.append(item[plain:i])
        if text[i + 1] == "$":
            parts.append(item[i:i + 1])
            i += 2
        elif text[i + 1] == "(":
            close = text.find(")", i + 2)
            parts.append(UNKNOWN_TEXT)
            i = len(text) if close < 0 else close + 1
        else:
            parts.append(UNKNOWN_TEXT)
            i += 2
        plain = i
    parts.append(item[plain:])
    return shell_split(PStr.join(parts))


def _sets_emcc_setting(toks: list[Tok]) -> bool:
    """``-s NAME=VALUE`` or ``-sNAME=VALUE`` with a setting emcc knows."""
    for k, tok in enumerate(toks):
        text = toks[k + 1].value if tok.value == "-s" and k + 1 < len(toks) else (
            tok.value[2:] if tok.value.startswith("-s") else "")
        split = es.split_setting(text) if text else None
        if split is not None and es.known(split[0]):
            return True
    return False
