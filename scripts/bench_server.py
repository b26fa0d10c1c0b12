#!/usr/bin/env python3
"""Time ``wasmlint server`` from a change to its diagnostics.

For each kind measured (a JS loader, a shell deploy script, a Makefile) a project is
generated into a temporary folder: a git repository with a package.json launch, a
module, and a 1,000-line file of that kind. The real server is started over stdio with pygls's client
and a debounce of 0; each file is opened, then edited one line at a time, and the time
from sending ``textDocument/didChange`` to receiving the ``publishDiagnostics`` of that
version is taken (the editor's debounce, 300 ms by default, comes on top), with the CPU
time the server process spent meanwhile (``/proc``; on a loaded machine the wall time
is mostly waiting for a core).

    python scripts/bench_server.py [--runs 21]

Prints the median and the slowest change per file, and the median CPU time.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINES = 1000


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def loader() -> str:
    head = ('const fs = require("fs");\nconst path = require("path");\n'
            'const bytes = fs.readFileSync(path.join(__dirname, "app.wasm"));\n'
            "const memory = new WebAssembly.Memory({ initial: 17, maximum: 17 });\n"
            "const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });\n")
    body = [f"function step{i}(state) {{ return state.values.map((v) => v * {i} + instance.exports.f{i % 7}); }}"
            for i in range(LINES - 6)]
    return head + "\n".join(body) + "\nmodule.exports = { instance };\n"


def deploy() -> str:
    body = [f'step_{i}="value {i}"; echo "step {i}: $step_{i}" >> "$LOG"' for i in range(LINES - 4)]
    return ("#!/bin/sh\nset -e\nexport LOG=deploy.log NODE_ENV=production\n" + "\n".join(body)
            + "\nexec node --max-old-space-size=512 server.js\n")


def makefile() -> str:
    rules = [f"out{i}.js: src{i}.c\n\temcc -O2 -sINITIAL_MEMORY=16MB -o $@ $<" for i in range((LINES - 2) // 2)]
    return "all: out0.js\n\n" + "\n".join(rules) + "\n"


def projects(folder: Path) -> dict[Path, str]:
    """One project per measured file: the file's path -> its text."""
    from tests.wasmbuild import build_wat
    out = {}
    for name, text in {"server.js": loader(), "deploy.sh": deploy(), "Makefile": makefile()}.items():
        root = folder / name.replace(".", "-")
        (root / ".git").mkdir(parents=True)
        (root / "package.json").write_text('{"name": "bench", "scripts": {"start": "node server.js"}}\n')
        (root / "app.wasm").write_bytes(build_wat("(module (memory (import \"env\" \"memory\") 17 17))"))
        if name != "server.js":
            (root / "server.js").write_text(loader().split("function", 1)[0])
        (root / name).write_text(text)
        assert text.count("\n") >= LINES - 1, name
        out[root / name] = text
    return out


async def measure(files: dict[Path, str], runs: int) -> dict[str, tuple[list[float], list[float]]]:
    client = LanguageClient("bench", "1")
    arrived: dict[tuple[str, int], float] = {}
    event = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams):
        arrived[(params.uri, params.version)] = time.perf_counter()
        event.set()

    async def wait(uri: str, version: int) -> float:
        while (uri, version) not in arrived:
            event.clear()
            await event.wait()
        return arrived[(uri, version)]

    await client.start_io(sys.executable, "-m", "wasmlint", "server")
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), initialization_options={"debounce": 0}))
    client.initialized(types.InitializedParams())
    out: dict[str, tuple[list[float], list[float]]] = {}
    pid = client._server.pid
    for path, text in files.items():
        uri = path.as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri, "plaintext", 1, text)))
        await wait(uri, 1)
        times, cpu = [], []
        for version in range(2, runs + 2):
            line = LINES // 2 + version
            start, used = time.perf_counter(), cpu_seconds(pid)
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                types.VersionedTextDocumentIdentifier(version, uri),
                [types.TextDocumentContentChangePartial(
                    types.Range(types.Position(line, 0), types.Position(line, 0)), " ")]))
            times.append(await wait(uri, version) - start)
            cpu.append(cpu_seconds(pid) - used)
        out[path.name] = times, cpu
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="wasmlint-bench-server-") as tmp:
        files = projects(Path(tmp))
        for path in files:        # the per-file cache holds the rest of each project, as after a first check
            subprocess.run([sys.executable, "-m", "wasmlint", "check", "--exit-zero", "-q", "."],
                           cwd=path.parent, stdout=subprocess.DEVNULL)
        results = asyncio.run(measure(files, args.runs))
        lines = {path.name: text.count("\n") for path, text in files.items()}
    print(f"{'file':<12} {'lines':>5} {'median ms':>10} {'max ms':>8} {'CPU ms':>8}")
    for name, (times, cpu) in results.items():
        print(f"{name:<12} {lines[name]:>5} {statistics.median(times) * 1000:>10.0f} {max(times) * 1000:>8.0f} "
              f"{statistics.median(cpu) * 1000:>8.0f}")


if __name__ == "__main__":
    main()
