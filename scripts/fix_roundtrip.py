"""``realworld.py --fix-roundtrip``: apply every fix to a copy of a real project and
check what the fixes left.

For one project tree: copy it to a temporary folder, run ``wasmlint check --fix
--unsafe-fixes`` until it changes nothing (at most ``PASSES`` runs), then check

* broken files: every changed file still parses with its own tool — JSON, YAML and
  TOML parsers, ``bash -n`` for shell scripts, ``node --check`` for JavaScript,
  Meson's parser for ``meson.build`` (``pip install meson``; else wasmlint's Meson
  grammar), the Dockerfile instruction grammar (known instructions, JSON exec forms
  that parse, ``ENV``/``ARG``/``LABEL`` pairs) — and wasmlint reads it without a new
  WL001;
  a file already broken before the fixes counts only when it got worse;
* duplicate flags: no flag twice on a fixed node command line (or NODE_OPTIONS),
  and no emcc link of a changed build file writing one ``-s`` setting more times
  than before;
* rejected launches: the real node of this machine accepts each fixed command
  line's options (``node <options> -e 0``) and each fixed NODE_OPTIONS value
  (``NODE_OPTIONS=… node -e 0``), in an empty folder; options that load a file
  are left out (the project's code is never run), and a launch node refused the
  same way before the fixes is not counted;
* unapplied fixes: a safe or unsafe fix still offered after the last pass;
* refound: a finding whose fix was applied, reported again (same code, file and
  message) by a second ``check``.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PASSES = 5
NODE = shutil.which("node") or "node"
# Options whose value is a file node opens at start: the project's code or data is never run here.
FILE_OPTIONS = ("-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file",
                "--env-file-if-exists", "--experimental-config-file", "--openssl-config", "--icu-data-dir",
                "--snapshot-blob", "--secure-heap", "--experimental-policy", "--watch-path", "--test-reporter-destination")
DOCKER_INSTRUCTIONS = {"FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
                       "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}
JSON_FORMS = {"CMD", "ENTRYPOINT", "RUN", "SHELL", "VOLUME", "ADD", "COPY"}


@dataclass
class Roundtrip:
    repo: str
    passes: int = 0
    changed: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    unapplied: list[str] = field(default_factory=list)
    refound: list[str] = field(default_factory=list)
    launches: int = 0
    error: str | None = None

    def counts(self) -> dict:
        return {k: len(getattr(self, k)) for k in ("changed", "broken", "duplicates", "rejected", "unapplied",
                                                     "refound")} | {"launches": self.launches}


def _wasmlint(tree: Path, root: Path, args: list[str]) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(root))
    env.pop("WASMLINT_OUTPUT_FORMAT", None)
    return subprocess.run([sys.executable, "-m", "wasmlint", *args], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=900)


def _check(tree: Path, root: Path, extra: list[str]) -> list[dict]:
    proc = _wasmlint(tree, root, ["check", "--output-format", "json", "--no-cache", "--exit-zero",
                                  "--unsafe-fixes", *extra, "."])
    if proc.returncode != 0:
        raise RuntimeError(f"wasmlint check exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    return json.loads(proc.stdout or "[]")


def _files(tree: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(tree.rglob("*")):
        if ".git" in p.relative_to(tree).parts or p.is_symlink() or not p.is_file():
            continue
        out[p.relative_to(tree).as_posix()] = p.read_bytes()
    return out


def _fixable(d: dict) -> bool:
    return bool(d["fix"] and d["fix"]["edits"] and d["fix"]["applicability"] in ("safe", "unsafe"))


def run(repo: str, tree: Path, root: Path, extra: list[str] | None = None) -> Roundtrip:
    extra = extra or []
    rt = Roundtrip(repo)
    with tempfile.TemporaryDirectory(prefix="wasmlint-roundtrip-") as tmp:
        work = Path(tmp) / "tree"
        orig = Path(tmp) / "orig"
        shutil.copytree(tree, work, symlinks=True)
        shutil.copytree(tree, orig, symlinks=True)
        before = _files(work)
        first = _check(work, root, extra)
        for _ in range(PASSES):
            proc = _wasmlint(work, root, ["check", "--fix", "--unsafe-fixes", "--no-cache", "--exit-zero",
                                          "--output-format", "concise", *extra, "."])
            if proc.returncode != 0:
                rt.error = f"--fix exited {proc.returncode}: {proc.stderr.strip()[-400:]}"
                return rt
            rt.passes += 1
            if "fixed " not in proc.stderr:
                break
        after = _files(work)
        rt.changed = sorted(p for p in after if after[p] != before.get(p))
        last = _check(work, root, extra)
        rt.unapplied = [f"{d['path']}:{d['line']} {d['code']}: {d['fix']['description'][:120]}"
                        for d in last if _fixable(d)]
        now = {(d["code"], d["path"], d["message"]) for d in last}
        rt.refound = [f"{d['path']}:{d['line']} {d['code']}" for d in first
                      if _fixable(d) and (d["code"], d["path"], d["message"]) in now]
        new_wl001, old_wl001 = _wl001(work, root), _wl001(orig, root)
        for path in rt.changed:
            old = orig / path
            if _problems(work / path) > (_problems(old) if old.exists() else 0) \
                    or new_wl001.get(path, 0) > old_wl001.get(path, 0):
                rt.broken.append(path)
        _launches(rt, work, orig, root)
    return rt


# ------------------------------------------------------------------ files


def _problems(path: Path) -> int:
    name = path.name.lower()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return 1
    try:
        if name.endswith(".json") and not name.startswith("tsconfig"):
            json.loads(text)
        elif name.endswith((".yml", ".yaml")):
            list(yaml.safe_load_all(text))
        elif name.endswith(".toml") or name in ("config", "cargo.lock") and path.parent.name == ".cargo":
            tomllib.loads(text)
        elif name.endswith((".sh", ".bash")) or text.startswith(("#!/bin/sh", "#!/bin/bash", "#!/usr/bin/env bash")):
            return int(subprocess.run(["bash", "-n", str(path)], capture_output=True).returncode != 0)
        elif name.endswith((".js", ".mjs", ".cjs")):
            return int(subprocess.run([NODE, "--check", str(path)], capture_output=True, cwd=path.parent).returncode != 0)
        elif name == "dockerfile" or name.startswith("dockerfile.") or name.endswith(".dockerfile"):
            return _dockerfile_problems(text, str(path))
        elif name in ("meson.build", "meson_options.txt", "meson.options"):
            return _meson_problems(text, str(path))
    except (ValueError, yaml.YAMLError, tomllib.TOMLDecodeError):
        return 1
    return 0


def _meson_problems(text: str, path: str) -> int:
    """Meson's own parser (``pip install meson``), else wasmlint's grammar of the language."""
    try:
        from mesonbuild import mparser
    except ImportError:
        from lark.exceptions import LarkError
        from wasmlint.toolchain.meson import parse
        try:
            parse(text)
        except LarkError:
            return 1
        return 0
    try:
        mparser.Parser(text, path).parse()
    except mparser.ParseException:
        return 1
    return 0


def _dockerfile_problems(text: str, path: str) -> int:
    """Instructions Docker would refuse or read otherwise than written."""
    from wasmlint.launch.dockerparse import instructions
    from wasmlint.textpos import LineIndex
    bad = 0
    for ins in instructions(LineIndex(text, path)):
        args = ins.args.value.strip()
        if ins.keyword not in DOCKER_INSTRUCTIONS:
            bad += 1
        elif ins.keyword in JSON_FORMS and args.startswith("["):
            try:
                doc = json.loads(args)
                bad += not (isinstance(doc, list) and all(isinstance(x, str) for x in doc))
            except ValueError:
                bad += 1           # Docker falls back to the shell form: not what was written
        elif ins.keyword in ("ENV", "ARG", "LABEL"):
            try:
                words = shlex.split(args)
            except ValueError:
                bad += 1
                continue
            pairs = ins.keyword != "ENV" or (words and "=" in words[0])
            bad += any(w.startswith("#") or (pairs and "=" not in w and ins.keyword != "ARG") for w in words)
    return bad


def _wl001(tree: Path, root: Path) -> dict[str, int]:
    """WL001 (a file wasmlint cannot read) per path."""
    counts: dict[str, int] = {}
    for d in _check(tree, root, ["--select", "WL001"]):
        counts[d["path"]] = counts.get(d["path"], 0) + 1
    return counts


# ------------------------------------------------------------------ launches


def _inspect(tree: Path, root: Path, paths: list[str]) -> list[tuple[str, dict]]:
    if not paths:
        return []
    proc = _wasmlint(tree, root, ["inspect", "--format", "json", *paths])
    if proc.returncode != 0 or not proc.stdout.strip():
        return []
    data = json.loads(proc.stdout)
    return [(e["path"], f) for e in (data if isinstance(data, list) else [data]) for f in e.get("facts", [])]


def _key(path: str, f: dict) -> tuple:
    return (path, f["kind"], f.get("surface"), f.get("unit"), f.get("script"), f.get("variable"))


def _emcc_twice(facts: list[tuple[str, dict]]) -> dict[str, list[str]]:
    """Per file, the ``-s`` settings an emcc link writes more than once under one
    spelling (a setting fact follows the link it belongs to)."""
    out: dict[str, list[str]] = {}
    seen: list[str] = []
    for path, f in facts:
        if f["kind"] == "emcc-invocation":
            seen = []
        elif f["kind"] == "emcc-setting" and f.get("name"):
            if f["spelling"] in seen:
                out.setdefault(path, []).append(f"{f['spelling']} at line {f['span']['line']}")
            seen.append(f["spelling"])
    return out


def _launches(rt: Roundtrip, work: Path, orig: Path, root: Path) -> None:
    old, before_facts = {}, _inspect(orig, root, [p for p in rt.changed if (orig / p).exists()])
    for path, f in before_facts:
        old.setdefault(_key(path, f), []).append(f)
    after_facts = _inspect(work, root, rt.changed)
    was = _emcc_twice(before_facts)
    for path, twice in _emcc_twice(after_facts).items():
        if len(twice) > len(was.get(path, [])):
            rt.duplicates.append(f"{path}: emcc link sets {', '.join(twice)} again")
    for path, f in after_facts:
        if f["kind"] not in ("node-launch", "node-options"):
            continue
        before = old.get(_key(path, f), [])
        if f["kind"] == "node-launch":
            opts = f["options_before_script"]
            env = " ".join(o["flag"] for o in f["node_options"]) if f["node_options"] else None
            if any(b["options_before_script"] == opts and b["node_options"] == f["node_options"] for b in before):
                continue            # not changed by a fix
            where = f"{path}: node {' '.join(opts)} {f.get('script') or ''}".rstrip()
            words = [w for w in opts if w.startswith("-")]
        else:
            opts, env = [], f["value"]
            if any(b["value"] == f["value"] for b in before):
                continue
            where = f"{path}: NODE_OPTIONS={f['value']}"
            words = [w for w in f["value"].split() if w.startswith("-")]
        rt.launches += 1
        if _twice(words):
            rt.duplicates.append(where)
        refused = _node_refuses(opts, env)
        if refused and not any(_node_refuses(*_argv(b)) == refused for b in before):
            rt.rejected.append(f"{where}: {refused}")


def _argv(f: dict) -> tuple[list[str], str | None]:
    if f["kind"] == "node-options":
        return [], f["value"]
    return f["options_before_script"], (" ".join(o["flag"] for o in f["node_options"]) if f["node_options"] else None)


def _twice(words: list[str]) -> bool:
    """A flag twice: by name, ``_`` read as ``-``, ``--no-x`` the same flag as ``--x`` (V8's reading)."""
    names = [w.split("=", 1)[0].lstrip("-").replace("_", "-").removeprefix("no-") for w in words]
    return len(names) != len(set(names))


def _node_refuses(options: list[str], node_options: str | None) -> str | None:
    argv, skip = [], False
    for o in options:
        if skip:
            skip = False
            continue
        name = o.split("=", 1)[0]
        if name in FILE_OPTIONS:
            skip = "=" not in o
            continue
        argv.append(o)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if node_options is not None:
        env["NODE_OPTIONS"] = " ".join(w for w in shlex.split(node_options)
                                       if w.split("=", 1)[0] not in FILE_OPTIONS) if _splits(node_options) \
            else node_options
    with tempfile.TemporaryDirectory() as empty:
        env["HOME"] = empty
        proc = subprocess.run([NODE, *argv, "-e", "0"], cwd=empty, env=env, capture_output=True, text=True,
                              timeout=60)
    return None if proc.returncode == 0 else (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[0]


def _splits(text: str) -> bool:
    try:
        shlex.split(text)
        return True
    except ValueError:
        return False
