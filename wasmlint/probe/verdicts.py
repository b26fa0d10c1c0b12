"""Judge a probe result: rules WL901–WL904 over its facts, and the flag set
to recommend."""
from __future__ import annotations

from ..config import Config
from ..diagnostics import Diagnostic
from ..evaluate import Context, evaluate
from ..link import link
from .facts import facts_from_result

PROBE_FACTS = ("probe-result", "probe-allocation", "probe-target-run")
BETTER = 0.9   # a flag set must save at least 10% over the defaults (and more than their spread)


def diagnose(result: dict, config: Config, rules: list, path: str) -> list[Diagnostic]:
    """Diagnostics of the selected rules that read probe facts."""
    facts = facts_from_result(result, path)
    chosen = [r for r in rules if any(k in PROBE_FACTS for k in r.facts)]
    ctx = Context(config=config, project=link(facts, {path: "wasm"}))
    diags = evaluate(chosen, facts, ctx)
    diags.sort(key=Diagnostic.sort_key)
    return diags


def _total(fs: dict) -> tuple[float, str] | None:
    """Time from compile to the end of the workload, and what it is made of."""
    c = fs.get("compile_ms")
    if fs.get("error") or not isinstance(c, dict) or c.get("median") is None:
        return None
    parts = [("compile", c["median"])]
    for key, label in (("instantiate_ms", "instantiate"), ("first_call_ms", "first call"),
                       ("call_ms", "steady call")):
        if fs.get(key) is not None:
            parts.append((label, fs[key]))
    total = sum(v for _, v in parts)
    return total, ", ".join(f"{label} {v:.1f}" for label, v in parts)


def _spread(fs: dict) -> tuple[float, str]:
    """Run-to-run spread (slowest − fastest) of a flag set, and of what: whole runs
    when the result records them (``total_ms``), else its compiles (older results)."""
    for key, what in (("total_ms", "run-to-run spread"), ("compile_ms", "run-to-run compile spread")):
        v = fs.get(key)
        if isinstance(v, dict) and isinstance(v.get("max"), (int, float)) and isinstance(v.get("min"), (int, float)):
            return v["max"] - v["min"], what
    return 0.0, "run-to-run spread (not recorded)"


def _testing_only(result: dict, flags: list[str]) -> list[str]:
    """Flags of the set that `check` calls testing-only (WL211) on the probed node."""
    from ..launch.verdicts import testing_only_words
    from ..nodeflags import FlagDB, resolve_major
    return testing_only_words(FlagDB.for_major(resolve_major(result.get("node"))[0]), flags)


def recommend(result: dict) -> dict:
    """The fastest measured flag set, when it beats node's defaults by 10% or more and
    by more than the defaults' own run-to-run spread; never a set holding a flag that
    `check` calls testing-only."""
    timed = [(fs, t) for fs in result.get("flag_sets", []) if (t := _total(fs))]
    if not timed:
        return {"flags": [], "why": "no flag set could be measured"}
    default = next(((fs, t) for fs, t in timed if not fs["flags"]), None)
    name = lambda fs: f"`{' '.join(fs['flags'])}`" if fs["flags"] else "default flags"  # noqa: E731
    if default is None:
        return {"flags": [], "why": "default flags were not measured, so no flag set can be shown to beat them"}
    testing = {id(fs): bad for fs, _ in timed if (bad := _testing_only(result, fs["flags"]))}
    best = min((ft for ft in timed if id(ft[0]) not in testing), key=lambda ft: ft[1][0])
    fastest = min(timed, key=lambda ft: ft[1][0])
    skipped = ""
    if id(fastest[0]) in testing and fastest[1][0] < best[1][0]:
        skipped = (f"; {name(fastest[0])} ({fastest[1][0]:.1f} ms) is not recommended: "
                   f"{', '.join(f'`{f}`' for f in testing[id(fastest[0])])} is a testing-only flag (WL211)")
    if any(fs.get("first_call_ms") is not None for fs, _ in timed):
        what = "from compile to the end of the workload"
    else:
        what = "to compile" if result.get("compile_only") else "to compile and instantiate"
    spread, spread_what = _spread(default[0])
    saving = default[1][0] - best[1][0]
    if best[0] is default[0] or best[1][0] > BETTER * default[1][0] or saving <= spread:
        return {"flags": [], "why": f"no flag set was 10% faster {what} than node's defaults "
                                    f"({default[1][0]:.1f} ms: {default[1][1]} ms) and by more than their "
                                    f"{spread_what} ({spread:.1f} ms); add no V8 flags{skipped}"}
    return {"flags": best[0]["flags"],
            "why": f"{name(best[0])}: {best[1][0]:.1f} ms {what} ({best[1][1]} ms) vs "
                   f"{default[1][0]:.1f} ms with default flags ({default[1][1]} ms), a saving above their "
                   f"{spread_what} ({spread:.1f} ms){skipped}"}
