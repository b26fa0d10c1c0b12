"""Turn the probe's command line and configuration into a measurement plan:
the node binary, the stub-import plan, the ``--call`` arguments typed by the
export's signature, the flag sets node accepts, the targets' budgets."""
from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..paths import real
from ..tools import INSTALL_HINTS, find_tool, run_tool
from .runner import Plan, user_ulimit_kb
from .signatures import FuncType, WasmParseError, read_types

I32 = (-(1 << 31), (1 << 32) - 1)


class UsageError(Exception):
    pass


def make_plan(args, cfg: Config, user_sets: list[list[str]], standard: list[list[str]]) -> tuple[Plan, list[str]]:
    notes: list[str] = []
    node = args.node or find_tool("node")
    if not node or not Path(node).is_file():
        raise UsageError(f"node not found ({args.node or 'PATH'}); {INSTALL_HINTS['node']}")
    if args.runs < 1 or args.workers < 1 or args.calls < 0:
        raise UsageError("--runs and --workers must be at least 1, --calls at least 0")
    path = Path(args.module)
    try:
        if path.stat().st_size > cfg.policy["max-binary-bytes"]:
            raise UsageError(f"{args.module}: above the policy's max-binary-bytes; not probed")
        types = read_types(path.read_bytes())
    except OSError as exc:
        raise UsageError(f"{args.module}: cannot read: {exc.strerror}") from None
    except WasmParseError as exc:
        raise UsageError(f"{args.module}: not a module node can compile: {exc.message} "
                         f"(at byte 0x{exc.offset:x})") from None
    call = parse_call(args.call, types.exports) if args.call else None
    policy = cfg.policy["required-node-flags"] if standard else []
    sets = _flag_sets(node, policy, standard, user_sets, notes)
    targets = []
    for name in dict.fromkeys([*cfg.targets, *cfg.custom_targets]):
        t = cfg.target(name)
        if t.budget_pages:
            targets.append((name, t.budget_pages))
    ulimit = args.ulimit_v or user_ulimit_kb()
    under = []
    if cfg.targets_from_cli:
        major = _major(node, notes)
        for name in cfg.targets:
            t = cfg.target(name)
            if t.budget_bytes:
                under.append(target_bound(name, t.budget_bytes, major))
            else:
                notes.append(f"target {name} states no memory: nothing to run under")
    plan = Plan(node=node, module=str(real(path)), display=args.module, flag_sets=sets,
                imports=[i.to_json() for i in types.imports], call=call, calls=args.calls,
                runs=args.runs, workers=args.workers, targets=targets,
                shared_memory=types.memories_shared, ulimit_kb=ulimit, timeout=args.timeout,
                under=under, memory_maximum=types.memory_maximum)
    return plan, notes


def parse_call(spec: str, exports: dict) -> dict:
    """``run:1000000`` → the export and its arguments, typed by its signature."""
    name, _, rest = spec.partition(":")
    sig = exports.get(name)
    if not isinstance(sig, FuncType):
        funcs = sorted(n for n, s in exports.items() if isinstance(s, FuncType))
        raise UsageError(f"--call: `{name}` is not an exported function "
                         f"(exported functions: {', '.join(funcs) or 'none'})")
    values = [v.strip() for v in rest.split(",")] if rest else []
    if len(values) != len(sig.params):
        raise UsageError(f"--call: `{name}` takes {len(sig.params)} argument(s) {sig}, got {len(values)}")
    return {"name": name, "args": [_arg(t, v, name) for t, v in zip(sig.params, values)]}


def _arg(t: str, v: str, name: str) -> dict:
    try:
        if t in ("i32", "i64"):
            n = int(v, 0)
            if t == "i32" and not I32[0] <= n <= I32[1]:
                raise ValueError
            return {"type": t, "value": str(n)}
        if t in ("f32", "f64"):
            return {"type": t, "value": repr(float(v))}
    except ValueError:
        raise UsageError(f"--call: {v!r} is not a valid {t} argument for `{name}`") from None
    raise UsageError(f"--call: `{name}` takes a {t} parameter, which JavaScript cannot pass")


def _flag_sets(node: str, policy: list[str], standard: list[list[str]], user: list[list[str]],
               notes: list[str]) -> list[list[str]]:
    """Default, the policy's, the standard sets and the user's, in that order, without repeats.
    Policy flags that name no value where node needs one are measured without it."""
    db = _flag_db(node, notes)
    kept = []
    for flag in policy:
        info = db.lookup(flag) if db else None
        if info is not None and info.takes_value and info.value is None:
            notes.append(f"policy flag `{flag}` has no value; the policy's flag set is measured without it")
            continue
        kept.append(flag)
    out: list[list[str]] = []
    for fs in ([], kept, *standard, *user):
        if fs not in out:
            out.append(fs)
    return out


def _flag_db(node: str, notes: list[str]):
    from ..nodeflags import FlagDB
    return FlagDB.for_major(_major(node, notes))


def _major(node: str, notes: list[str]) -> int:
    from ..nodeflags import resolve_major

    res = run_tool([node, "--version"], timeout=30)
    major, note = resolve_major(res.stdout.strip() if res.returncode == 0 else None)
    if note and note not in notes:
        notes.append(note)
    return major


def target_bound(name: str, memory_bytes: int, major: int) -> dict:
    """How a target's memory bounds the node process ``probe --target`` runs: RLIMIT_DATA
    (``ulimit -d``: what node maps private and writable, WebAssembly memory as it is
    committed) at the target's memory, and the JS heap node would pick by itself under a
    cgroup limit of that size (measured, ``nodeheap``), given as ``--max-old-space-size``
    because outside a container node sizes it from the machine."""
    from ..nodeheap import MIB, HeapSizing
    from ..process_budget import young_generation
    sizing = HeapSizing.of(major)
    low = sizing.bounds(memory_bytes)[0] if sizing is not None and sizing.sees_limits else None
    heap_mib = None
    if low is not None:
        heap_mib = max(1, (low - young_generation(major, low // MIB)) // MIB)
    return {"target": name, "memory_bytes": memory_bytes, "heap_mib": heap_mib}
