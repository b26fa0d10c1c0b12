"""atheris runner: ``python fuzz/fuzz.py TARGET [libFuzzer options] [corpus dirs]``.

TARGET is a name from fuzz/targets.py (``python fuzz/fuzz.py list`` prints them).
Every exception escaping a target is a crash; see fuzz/README.md.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import importlib  # noqa: E402
import pkgutil  # noqa: E402

import atheris  # noqa: E402

# Coverage is what the target is about: the js_skeleton target's search is for inputs on
# which a skeleton's facts differ from a whole parse's, so only the JS engine is instrumented
# (the build-script evaluation its inputs reach runs at full speed).
FOCUS = {"js_skeleton": ("wasmlint.js", "wasmlint.sources.js")}


def _left_out(target: str) -> list[str]:
    """The wasmlint modules not instrumented for ``target`` (atheris takes exact names)."""
    focus = FOCUS.get(target)
    if focus is None:
        return []
    root = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "wasmlint")
    names = []
    for folder, _dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        package = "wasmlint" if rel == "." else "wasmlint." + rel.replace(os.sep, ".")
        for f in files:
            if f.endswith(".py"):
                names.append(package if f == "__init__.py" else f"{package}.{f[:-3]}")
    return [n for n in names if not any(n == f or n.startswith(f + ".") for f in focus)]


with atheris.instrument_imports(include=["wasmlint"], exclude=_left_out(sys.argv[1] if len(sys.argv) > 1 else "")):
    import wasmlint  # every module now, so coverage instruments the lazily imported ones too
    for _m in pkgutil.walk_packages(wasmlint.__path__, "wasmlint."):
        if not _m.name.endswith("__main__"):
            importlib.import_module(_m.name)
from fuzz.targets import TARGETS  # noqa: E402


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        print("targets:", " ".join(TARGETS))
        sys.exit(0 if sys.argv[1:2] == ["list"] else 2)
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
