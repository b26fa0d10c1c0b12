"""What a V8 flag measurably does to WebAssembly, as `check` judges it on a
launch and `probe` respects when it recommends (one table for both).

* testing-only flags (WL211): measured slower, meant for V8's tests (facts.md §3);
* ineffective flags (WL210): no effect under dynamic tiering, node 20 and later
  (facts.md §1, §6).
"""
from __future__ import annotations

# canonical name -> (negated, what it does)
TESTING_ONLY: dict[str, tuple[bool, str]] = {
    "--liftoff-only": (False, "keeps every function in the baseline compiler (a hot kernel measured 2.4x slower)"),
    "--wasm-dynamic-tiering": (True, "compiles everything with the optimizing tier up front, the slowest setting "
                                     "measured (2.6x single-threaded, 3.8x wall time with 4 workers)"),
}


def testing_only(name: str | None, negated: bool) -> str | None:
    """What a testing-only flag does, or None for any other flag."""
    entry = TESTING_ONLY.get(name or "")
    return entry[1] if entry is not None and entry[0] == negated else None


def ineffective(major: int, name: str | None, negated: bool, dynamic_tiering_off: bool) -> bool:
    """``--no-wasm-tier-up`` under dynamic tiering (the default from node 20)."""
    return major >= 20 and not dynamic_tiering_off and name == "--wasm-tier-up" and negated


def testing_only_words(db, words: list[str]) -> list[str]:
    """The words of a flag set that are testing-only flags for this node's database."""
    out = []
    for w in words:
        info = db.lookup(w) if db is not None else None
        if info is not None and testing_only(info.name, info.negated):
            out.append(w)
    return out
