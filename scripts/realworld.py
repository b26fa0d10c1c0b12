"""The labelled real-project harness: precision and misses of `wasmlint check` on pinned
public projects.

Each project in ``tests/realworld/labels.json`` is pinned by ``owner/name`` and commit.
Its files come from a local git mirror of the repository (``--mirror DIR``, default
``$WASMLINT_MIRROR``; a folder holding ``owner+name/repo`` git directories, as the search
tool's fetch leaves them, or any bare clone at ``owner+name.git``). They are unpacked
once into a cache outside this repository (``$WASMLINT_REALWORLD_CACHE``, default
``~/.cache/wasmlint-realworld``) and never committed.

Every finding of the run is matched to a label by (code, path, line): ``tp``, ``fp`` or
``debatable``, with a reason and a root-cause id (``cause``). Findings without a label are
listed and counted apart: label them (before changing code) with ``--unlabelled FILE``,
which writes them in label form. Misses are findings a correct linter would report; one
counts as found when a finding of its code is reported on its path (and line, when the
label gives one).

    python scripts/realworld.py                 # every project, the summary table
    python scripts/realworld.py -p owner/name   # one project, with every finding
    python scripts/realworld.py --unlabelled new.json
    python scripts/realworld.py --fix-roundtrip     # apply every fix to a copy, check what is left

``--fix-roundtrip`` (scripts/fix_roundtrip.py) copies each project, runs ``check --fix
--unsafe-fixes`` until stable and counts broken files, duplicate flags, launches node
rejects, fixes offered but not applied, and fixed findings reported again.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "tests" / "realworld" / "labels.json"
VERDICTS = ("tp", "fp", "debatable")


@dataclass
class Outcome:
    repo: str
    findings: list[dict] = field(default_factory=list)     # each with "label" (or None)
    lost: list[dict] = field(default_factory=list)         # tp causes no longer reported
    misses: list[dict] = field(default_factory=list)       # each with "found": bool
    settings: list[dict] = field(default_factory=list)     # each expected setting with "seen"
    error: str | None = None
    seconds: float = 0.0


def mirror_git_dir(mirror: Path, repo: str) -> Path | None:
    base = mirror / repo.replace("/", "+")
    for cand in (base / "repo" / ".git", base / "repo", Path(str(base) + ".git"), base):
        if (cand / "HEAD").is_file() and (cand / "objects").is_dir():
            return cand
    return None


def checkout(project: dict, mirror: Path, cache: Path) -> Path:
    """The project's tree at its pinned commit, unpacked once into the cache."""
    repo, commit = project["repo"], project["commit"]
    dest = cache / f"{repo.replace('/', '+')}@{commit[:12]}"
    done = dest.with_name(dest.name + ".complete")     # beside the tree: nothing extra is linted
    if done.exists():
        return dest
    git_dir = mirror_git_dir(mirror, repo)
    if git_dir is None:
        raise LookupError(f"no mirror of {repo} in {mirror}: fetch it (the search tool's fetch, or "
                          f"`git clone --bare`) and run again")
    tmp = Path(str(dest) + ".part")
    subprocess.run(["rm", "-rf", str(tmp)], check=True)
    tmp.mkdir(parents=True)
    missing = unpack(git_dir, commit, tmp)
    # A checkout, as users have it: project root detection and .gitignore apply.
    subprocess.run(["git", "init", "-q", str(tmp)], check=True)
    subprocess.run(["rm", "-rf", str(dest)], check=True)
    tmp.rename(dest)
    done.write_text("".join(f"missing from the mirror: {m}\n" for m in missing))
    return dest


def unpack(git_dir: Path, commit: str, into: Path) -> list[str]:
    """Write the commit's tree into ``into``. Mirrors may lack large blobs (stored
    snapshots leave out files of 4 MiB and more): those are listed, not written."""
    git = ["git", "--git-dir", str(git_dir)]
    listing = subprocess.run([*git, "ls-tree", "-r", "-z", "--full-tree", commit], capture_output=True)
    if listing.returncode != 0:
        raise LookupError(f"commit {commit} is not in {git_dir}: {listing.stderr.decode(errors='replace').strip()}")
    entries = []
    for rec in listing.stdout.split(b"\0"):
        if rec:
            meta, name = rec.split(b"\t", 1)
            mode, kind, sha = meta.split()
            if kind == b"blob":
                entries.append((mode.decode(), sha.decode(), os.fsdecode(name)))
    batch = subprocess.Popen([*git, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    missing = []
    for mode, sha, name in entries:
        batch.stdin.write(sha.encode() + b"\n")
        batch.stdin.flush()
        header = batch.stdout.readline().split()
        if len(header) < 3:
            missing.append(name)
            continue
        body = batch.stdout.read(int(header[2]) + 1)[:-1]
        path = into / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            os.symlink(os.fsdecode(body), path)
        else:
            path.write_bytes(body)
            if mode == "100755":
                path.chmod(0o755)
    batch.stdin.close()
    batch.wait()
    return missing


def run_wasmlint(tree: Path, args: list[str], root: Path) -> tuple[list[dict], float]:
    env = dict(os.environ, PYTHONPATH=str(root), WASMLINT_OUTPUT_FORMAT="json")
    cmd = [sys.executable, "-m", "wasmlint", "check", "--output-format", "json", "--no-cache",
           "--exit-zero", *args, "."]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"wasmlint exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    return json.loads(proc.stdout or "[]"), seconds


def emcc_settings(tree: Path, path: str, root: Path) -> list[dict]:
    """The settings of every emcc link ``wasmlint inspect`` reads in one build file."""
    env = dict(os.environ, PYTHONPATH=str(root))
    proc = subprocess.run([sys.executable, "-m", "wasmlint", "inspect", "--format", "json", path],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 or not proc.stdout.strip():
        return []
    entries = json.loads(proc.stdout)
    entries = entries if isinstance(entries, list) else [entries]
    links = [f for e in entries for f in e.get("facts", []) if f.get("kind") == "emcc-invocation"]
    # each setting under its canonical name and under the spelling the file wrote (USE_PTHREADS)
    return [{**settings, **{spelt: settings.get(name) for name, spelt in (f.get("spellings") or {}).items()}}
            for f in links for settings in [f.get("settings") or {}]]


def recall_settings(project: dict, tree: Path, root: Path) -> list[dict]:
    """Expected emcc settings per labelled build file, and whether some link in that file sets each
    to the expected value (values as `inspect` normalises them: sizes in bytes, booleans 0/1)."""
    rows = []
    for entry in project.get("settings", []):
        seen = emcc_settings(tree, entry["path"], root)
        for name, value in entry["expect"].items():
            rows.append({"path": entry["path"], "setting": name, "expect": value,
                         "seen": any(s.get(name) == value for s in seen)})
    return rows


def key(d: dict) -> tuple:
    return d["code"], d["path"], d.get("line")


def evaluate(project: dict, diags: list[dict]) -> Outcome:
    out = Outcome(project["repo"])
    labels = {key(lab): lab for lab in project.get("findings", [])}
    for d in diags:
        lab = labels.get(key(d))
        out.findings.append(dict(d, label=lab))
    reported_causes = {f["label"]["cause"] for f in out.findings if f["label"]}
    tp_causes = {lab["cause"]: lab for lab in project.get("findings", []) if lab["label"] == "tp"}
    out.lost = [lab for cause, lab in tp_causes.items() if cause not in reported_causes]
    for miss in project.get("misses", []):
        found = any(d["code"] == miss["code"] and d["path"] == miss["path"]
                    and (miss.get("line") is None or d.get("line") == miss["line"]) for d in diags)
        out.misses.append(dict(miss, found=found))
    return out


def summarise(outcomes: list[Outcome]) -> dict:
    counts: Counter = Counter()
    cause_labels: dict[tuple, set] = {}
    for o in outcomes:
        for f in o.findings:
            lab = f["label"]
            if lab is None:
                counts["unlabelled"] += 1
                continue
            counts[lab["label"]] += 1
            cause_labels.setdefault((o.repo, lab["cause"]), set()).add(lab["label"])
        counts["lost"] += len(o.lost)
        counts["misses"] += len(o.misses)
        counts["misses_found"] += sum(m["found"] for m in o.misses)
        counts["errors"] += o.error is not None
        counts["settings"] += len(o.settings)
        counts["settings_seen"] += sum(s["seen"] for s in o.settings)
    cause_counts: Counter = Counter()
    mixed = [c for c, labs in cause_labels.items() if len(labs) > 1]
    for labs in cause_labels.values():
        # a cause with a true finding is a true cause; else false when any finding is false
        cause_counts["tp" if "tp" in labs else "fp" if "fp" in labs else "debatable"] += 1
    labelled = counts["tp"] + counts["fp"] + counts["debatable"]
    return {
        "findings": labelled + counts["unlabelled"], "tp": counts["tp"], "fp": counts["fp"],
        "debatable": counts["debatable"], "unlabelled": counts["unlabelled"],
        "precision": ratio(counts["tp"], counts["tp"] + counts["fp"]),
        "causes": sum(cause_counts.values()), "causes_tp": cause_counts["tp"], "causes_fp": cause_counts["fp"],
        "causes_debatable": cause_counts["debatable"],
        "precision_per_cause": ratio(cause_counts["tp"], cause_counts["tp"] + cause_counts["fp"]),
        "findings_per_cause": ratio(labelled, sum(cause_counts.values())),
        "mixed_causes": [f"{r}:{c}" for r, c in mixed],
        "lost_tp": counts["lost"], "misses": counts["misses"], "misses_found": counts["misses_found"],
        "recall_of_misses": ratio(counts["misses_found"], counts["misses"]),
        "settings": counts["settings"], "settings_seen": counts["settings_seen"],
        "settings_recall": ratio(counts["settings_seen"], counts["settings"]),
        "projects": len(outcomes), "errors": counts["errors"],
    }


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def print_project(o: Outcome, verbose: bool) -> None:
    c = Counter((f["label"] or {}).get("label", "unlabelled") for f in o.findings)
    found = sum(m["found"] for m in o.misses)
    status = f"ERROR {o.error}" if o.error else (
        f"{len(o.findings):3d} findings  tp {c['tp']:3d}  fp {c['fp']:3d}  deb {c['debatable']:3d}  "
        f"unlabelled {c['unlabelled']:3d}  misses {found}/{len(o.misses)}  lost tp {len(o.lost)}  "
        f"{o.seconds:5.1f}s")
    print(f"{o.repo:40s} {status}")
    if not verbose:
        return
    for f in o.findings:
        lab = f["label"]
        tag = f"{lab['label']:9s} [{lab['cause']}]" if lab else "UNLABELLED"
        print(f"    {tag} {f['path']}:{f['line']} {f['code']} {f['message'][:140]}")
    for lab in o.lost:
        print(f"    LOST tp   [{lab['cause']}] {lab['path']}:{lab.get('line')} {lab['code']}")
    for m in o.misses:
        print(f"    miss {'found' if m['found'] else 'MISSED'} {m['path']}:{m.get('line')} {m['code']} — {m['reason']}")
    for s in o.settings:
        if not s["seen"]:
            print(f"    setting NOT READ {s['path']}: {s['setting']}={s['expect']!r}")


def roundtrip_all(projects: list[dict], args) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(args.root))
    import fix_roundtrip
    totals: Counter = Counter()
    for project in projects:
        try:
            tree = checkout(project, args.mirror, args.cache)
            rt = fix_roundtrip.run(project["repo"], tree, args.root, project.get("args", []))
        except (LookupError, RuntimeError, subprocess.SubprocessError, json.JSONDecodeError) as exc:
            rt = fix_roundtrip.Roundtrip(project["repo"], error=str(exc))
        c = rt.counts()
        totals.update(c)
        totals["errors"] += rt.error is not None
        print(f"{rt.repo:40s} " + (f"ERROR {rt.error}" if rt.error else
              f"passes {rt.passes}  changed {c['changed']:3d}  launches {c['launches']:3d}  broken {c['broken']}  "
              f"duplicate flags {c['duplicates']}  rejected {c['rejected']}  unapplied {c['unapplied']}  "
              f"refound {c['refound']}"))
        if args.verbose or args.project:
            for kind in ("changed", "broken", "duplicates", "rejected", "unapplied", "refound"):
                for item in getattr(rt, kind):
                    print(f"    {kind:10s} {item}")
    print()
    print(f"projects {len(projects)} (errors {totals['errors']})  files changed {totals['changed']}  "
          f"fixed launches {totals['launches']}")
    print(f"broken files {totals['broken']}  duplicate flags {totals['duplicates']}  rejected launches "
          f"{totals['rejected']}  advertised-but-unapplied fixes {totals['unapplied']}  "
          f"fixed findings reported again {totals['refound']}")
    bad = sum(totals[k] for k in ("errors", "broken", "duplicates", "rejected", "unapplied", "refound"))
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-p", "--project", action="append", default=[], help="owner/name (repeatable)")
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--mirror", type=Path, default=Path(os.environ.get("WASMLINT_MIRROR", REPO.parent / ".mirror")))
    ap.add_argument("--cache", type=Path, default=Path(os.environ.get(
        "WASMLINT_REALWORLD_CACHE", Path.home() / ".cache" / "wasmlint-realworld")))
    ap.add_argument("--root", type=Path, default=REPO, help="the wasmlint checkout to run (default: this one)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every finding and miss")
    ap.add_argument("--unlabelled", type=Path, help="write unlabelled findings here, in label form")
    ap.add_argument("--json", type=Path, help="write the summary and every outcome here")
    ap.add_argument("--fix-roundtrip", action="store_true",
                    help="apply every fix to a copy of each project and check the result (fix_roundtrip.py)")
    args = ap.parse_args(argv)

    data = json.loads(args.labels.read_text())
    projects = [p for p in data["projects"] if not args.project or p["repo"] in args.project]
    if args.project and len(projects) != len(set(args.project)):
        known = {p["repo"] for p in data["projects"]}
        print(f"unknown project(s): {', '.join(sorted(set(args.project) - known))}", file=sys.stderr)
        return 2
    if args.fix_roundtrip:
        return roundtrip_all(projects, args)
    outcomes = []
    for project in projects:
        try:
            tree = checkout(project, args.mirror, args.cache)
            diags, seconds = run_wasmlint(tree, project.get("args", []), args.root)
            o = evaluate(project, diags)
            o.seconds = seconds
            o.settings = recall_settings(project, tree, args.root)
        except (LookupError, RuntimeError, subprocess.SubprocessError, json.JSONDecodeError) as exc:
            o = Outcome(project["repo"], error=str(exc))
        outcomes.append(o)
        print_project(o, args.verbose or bool(args.project))
    summary = summarise(outcomes)
    print()
    print(f"projects {summary['projects']} (errors {summary['errors']})  findings {summary['findings']}: "
          f"tp {summary['tp']}, fp {summary['fp']}, debatable {summary['debatable']}, "
          f"unlabelled {summary['unlabelled']}")
    print(f"precision per finding {summary['precision']}  per root cause {summary['precision_per_cause']} "
          f"({summary['causes_tp']} tp / {summary['causes_fp']} fp / {summary['causes_debatable']} debatable causes)  "
          f"findings per cause {summary['findings_per_cause']}")
    print(f"misses found {summary['misses_found']}/{summary['misses']} ({summary['recall_of_misses']})  "
          f"tp causes lost {summary['lost_tp']}")
    print(f"emcc settings read {summary['settings_seen']}/{summary['settings']} ({summary['settings_recall']})")
    if summary["mixed_causes"]:
        print(f"causes with mixed labels: {', '.join(summary['mixed_causes'])}")
    if args.unlabelled:
        new = {}
        for o in outcomes:
            rows = [{"code": f["code"], "path": f["path"], "line": f["line"], "label": "?", "cause": "?",
                     "reason": "?", "message": f["message"]} for f in o.findings if f["label"] is None]
            if rows:
                new[o.repo] = rows
        args.unlabelled.write_text(json.dumps(new, indent=1) + "\n")
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "outcomes": [o.__dict__ for o in outcomes]},
                                        indent=1, default=str) + "\n")
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
