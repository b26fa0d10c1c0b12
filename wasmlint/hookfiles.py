"""The ``files`` pattern of the pre-commit hook (``.pre-commit-hooks.yaml``), built
from the classifier's own name tables so the hook passes every file wasmlint reads:
``python scripts/gen_precommit_hooks.py`` writes it and a test keeps it equal."""
from __future__ import annotations

from .classify import JS_EXTENSIONS, NAME_KINDS, PATH_KINDS
from .config import CONFIG_FILES

# Extensions whose kind is decided by content (compose, Kubernetes, PM2 YAML; Meson
# machine files named *.ini or *.txt) and Bazel's `BUILD` and `WORKSPACE` (in capitals only: the hook's
# pattern ignores case): the hook passes them all and wasmlint decides each.
SNIFFED = ("*.yml", "*.yaml", "*.ini", "*.txt", "BUILD", "WORKSPACE")


def glob_regex(glob: str) -> str:
    """A glob on a path as a regular expression: ``*`` and ``?`` stay within one folder; a
    class of letters and digits (``[a-z0-9]``) stays a class."""
    out = []
    k = 0
    while k < len(glob):
        c = glob[k]
        end = glob.find("]", k) if c == "[" else -1
        if end > k + 1 and all(x.isalnum() or x == "-" for x in glob[k + 1:end]):
            out.append(glob[k:end + 1])
            k = end + 1
            continue
        out.append("[^/]*" if c == "*" else "[^/]" if c == "?" else c if c.isalnum() or c in "_-/"
                   else "\\" + c)
        k += 1
    return "".join(out)


def files_pattern() -> str:
    """One case-insensitive, verbose regular expression (pre-commit ``re.search``es paths
    relative to the repository root), one alternative per line."""
    names = [g for g, _ in NAME_KINDS] + [f"*{ext}" for ext in JS_EXTENSIONS] + list(SNIFFED) + list(CONFIG_FILES)
    paths = [g.removeprefix("*/") for g, _ in PATH_KINDS]   # "(^|/)" stands for any folder above
    alternatives = [f"(^|/){glob_regex(g)}$" for g in dict.fromkeys([*names, *paths])]
    return "(?ix)(\n  " + "\n| ".join(alternatives) + "\n)"
