"""What a package publishes for its users' tests: an ``exports`` subpath named for tests
(``"./testing"``, ``"./test-utils"``, ``"./TestBundle"``) is a test utility that the
package's users import from their own tests (``@angular/core/testing``), not code their
product runs. It is not a production entry point; its files take the ``test`` scope unless
production reaches them another way."""
from __future__ import annotations

from . import Scoped
from .conventions import CAMEL_JOIN, words_of

# the words of a subpath that name test or benchmark code (not `check` or `spec`, which name
# runtime helpers and data in code: `./helpers/classCallCheck`, `./known-chain-specs`)
SUBPATH_WORDS = {**dict.fromkeys(("test", "tests", "testing", "testutils", "testkit", "testhelpers"), "test"),
                 **dict.fromkeys(("bench", "benches", "benchmark", "benchmarks"), "bench")}


def test_export(entry) -> Scoped | None:
    """The scope an ``exports`` entry's subpath names (``./testing`` → test), else None."""
    if entry.field != "exports" or not entry.subpath.startswith("./"):
        return None
    name = entry.subpath.rstrip("/").rsplit("/", 1)[-1].replace("*", "")
    words = words_of(name) + words_of(CAMEL_JOIN.sub("_", name))
    scope = next((SUBPATH_WORDS[w] for w in words if w in SUBPATH_WORDS), None)
    return Scoped(scope, f"named `{entry.subpath}`") if scope else None


def test_exports(project, prod: dict[str, Scoped], edges) -> None:
    """The files published only as test utilities take their subpath's scope, unless
    production reaches them another way (run once production is known). ``edges(fact,
    kind)``: the graph edges of one fact."""
    for f in project.of_kind("package-entry"):
        said = test_export(f)
        for e in edges(f, "publishes") if said is not None else ():
            if e.dst:
                prod.setdefault(e.dst, Scoped(said.scope, f"published as `{f.subpath}` of {f.span.path} `exports`, "
                                                          "a subpath named for tests: a test utility for the "
                                                          "package's users"))
