"""``wasmlint server`` end to end: the real server over stdio, driven by pytest-lsp's
client. Diagnostics are compared with what ``wasmlint check`` reports on the same
text, fixes with what ``check --fix`` writes, hover with ``wasmlint explain``."""
from __future__ import annotations

import asyncio
import json
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, client_capabilities, register_lsp_features
from pygls.protocol import default_converter

from tests.fixture_harness import run_cli
from tests.wasmbuild import build_wat

PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
FLAG = "--wasm-max-mem-pages=16384"
# an astral character (two UTF-16 units) before the flag on its line
PACKAGE = ('{\n  "name": "web",\n  "engines": {"node": ">=20"},\n  "scripts": {\n'
           '    "start": "echo \U0001F600 && NODE_OPTIONS=\\"--max-old-space-size=4096 ' + FLAG +
           '\\" node server.js"\n  }\n}\n')
MESSAGE = (f"`{FLAG}` is not allowed in NODE_OPTIONS: node 20 exits at start "
           '("--wasm-max-mem-pages= is not allowed in NODE_OPTIONS", exit code 9)')
LOADER = ('const fs = require("fs");\nconst path = require("path");\n'
          'const bytes = fs.readFileSync(path.join(__dirname, "app.wasm"));\n'
          "new WebAssembly.Instance(new WebAssembly.Module(bytes), {});\n")


def _client() -> LanguageClient:
    """pytest-lsp's test client, keeping every publishDiagnostics in order."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []
    client.arrived = asyncio.Event()

    def publish(ls, params: types.PublishDiagnosticsParams):
        ls.published.append(params)
        ls.arrived.set()

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, PUBLISH: publish})
    return client


@asynccontextmanager
async def lsp(options: dict | None = None):
    client = _client()
    await client.start_io(sys.executable, "-m", "wasmlint", "server")
    await client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("neovim"), initialization_options={"debounce": 0, **(options or {})}))
    try:
        yield client
    finally:
        await client.shutdown_session()
    errors = [m.message for m in client.log_messages if m.type == types.MessageType.Error]
    assert errors == [] and client.messages == []       # nothing went wrong inside the server


async def published(client, uri: str, since: int = 0, version: int | None = None) -> tuple[int, list]:
    """The first publication for ``uri`` after the ``since`` first ones (of ``version``):
    its index and diagnostics. Waits as long as the server takes (60 s at most: a hung
    server fails the test rather than the suite)."""
    async def wait():
        while True:
            for i in range(since, len(client.published)):
                p = client.published[i]
                if p.uri == uri and (version is None or p.version == version):
                    return i + 1, list(p.diagnostics)
            client.arrived.clear()
            await client.arrived.wait()
    return await asyncio.wait_for(wait(), 60)


def open_doc(client, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri, "plaintext", version, path.read_text() if text is None else text)))
    return uri


def replace_doc(client, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(version, uri),
        [types.TextDocumentContentChangeWholeDocument(text)]))


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """LSP edits (UTF-16 positions) applied to ``text``, as an editor applies them."""
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        line = lines[pos.line]
        units = line.encode("utf-16-le")[:2 * pos.character].decode("utf-16-le")
        return sum(len(l) + 1 for l in lines[:pos.line]) + len(units)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


def utf16_slice(line: str, start: int, end: int) -> str:
    return line.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "web"
    (root / ".git").mkdir(parents=True)
    (root / "package.json").write_text('{"name": "web"}\n')
    (root / "server.js").write_text("console.log('up');\n")
    return root


def _check_json(root: Path, *args: str) -> list[dict]:
    rc, out, err = run_cli(["check", "--no-cache", "--output-format", "json", *args, "."], root)
    assert rc in (0, 1), err
    return json.loads(out)


@pytest.mark.asyncio
async def test_diagnostics_code_action_hover_and_clearing(project):
    pkg = project / "package.json"
    async with lsp() as client:
        uri = open_doc(client, pkg, PACKAGE)       # the buffer, not the file on disk
        seen, diags = await published(client, uri, version=1)
        assert [(d.code, d.message, d.source) for d in diags] == [("WL204", MESSAGE, "wasmlint")]
        d = diags[0]
        line = PACKAGE.split("\n")[4]
        assert utf16_slice(line, d.range.start.character, d.range.end.character) == FLAG
        assert d.range.start.line == d.range.end.line == 4
        pkg.write_text(PACKAGE)                     # what `check` says of the same text
        [cli] = _check_json(project)
        assert (cli["message"], cli["line"], cli["end_line"]) == (MESSAGE, 5, 5)
        assert line[cli["column"] - 1:cli["end_column"] - 1] == FLAG

        actions = await client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
        fix = [a for a in actions if a.title.startswith("Move")]
        assert [(a.title, a.kind, a.is_preferred) for a in fix] == [
            (f"Move `{FLAG}` to the node command line (unsafe)", types.CodeActionKind.QuickFix, False)]
        fixed = apply(PACKAGE, fix[0].edit.changes[uri])
        rc, _, err = run_cli(["check", "--no-cache", "--fix", "--unsafe-fixes", "."], project)
        assert pkg.read_text(encoding="utf-8") == fixed, err
        assert "--max-old-space-size=4096\\\" node --wasm-max-mem-pages=16384 server.js" in fixed

        hover = await client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri), d.range.start))
        rc, page, _ = run_cli(["explain", "WL204"], project)
        assert rc == 0 and hover.contents.value.startswith(page.rstrip())
        assert hover.contents.value.startswith("# WL204 ")

        replace_doc(client, uri, PACKAGE.replace(" " + FLAG, ""), 2)   # edited away
        assert (await published(client, uri, seen, version=2))[1] == []


@pytest.mark.asyncio
async def test_suppression_actions_write_the_file_kinds_syntax_and_hover_reads_codes(project):
    dockerfile = project / "Dockerfile"
    text = ("# syntax=docker/dockerfile:1\nFROM node:20\nENV NODE_OPTIONS=" + FLAG +
            "\nCMD [\"node\", \"server.js\"]\n")
    dockerfile.write_text(text)
    async with lsp() as client:
        uri = open_doc(client, dockerfile)
        _, diags = await published(client, uri, version=1)
        [d] = [d for d in diags if d.code == "WL204"]
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
        edits = {a.title: apply(text, a.edit.changes[uri]) for a in actions if a.title.startswith("Suppress")}
        # a Dockerfile reads `#` only at the start of a line; parser directives stay first
        assert edits == {
            "Suppress WL204 on this line": text.replace("ENV NODE", "# wasmlint: disable-next-line=WL204\nENV NODE"),
            "Suppress WL204 in this file": text.replace("FROM", "# wasmlint: disable-file=WL204\nFROM")}
        suppressed = edits["Suppress WL204 on this line"]
        replace_doc(client, uri, suppressed, 2)
        _, after = await published(client, uri, version=2)
        assert "WL204" not in [d.code for d in after]
        hover = await client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri), types.Position(2, suppressed.split("\n")[2].index("WL204") + 2)))
        assert hover.contents.value.startswith("# WL204 ")

        js = project / "memory.js"     # JS takes the directive at the end of the line
        js_text = "const memory = new WebAssembly.Memory({initial: 1, maximum: 1});\nmemory.grow(1);\n"
        js.write_text(js_text)
        uri = open_doc(client, js)
        _, diags = await published(client, uri, version=1)
        [d] = [d for d in diags if d.code == "WL107"]
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(uri), d.range, types.CodeActionContext([d])))
        assert {a.title: apply(js_text, a.edit.changes[uri]) for a in actions if a.title.startswith("Suppress")} == {
            "Suppress WL107 on this line": js_text.replace("grow(1);", "grow(1);  // wasmlint: disable=WL107"),
            "Suppress WL107 in this file": "// wasmlint: disable-file=WL107\n" + js_text}


@pytest.mark.asyncio
async def test_a_change_in_the_loader_refreshes_the_launchs_finding(project):
    (project / "app.wasm").write_bytes(build_wat("(module (memory 1 1))"))
    (project / ".wasmlint.toml").write_text('[policy]\nrequired-node-flags = ["--max-old-space-size"]\n')
    (project / "package.json").write_text('{\n  "name": "web",\n  "scripts": {\n    "start": "node server.js"\n  }\n}\n')
    (project / "server.js").write_text(LOADER)
    wl201 = ("node launch (script start) lacks `--max-old-space-size` required by policy "
             "`required-node-flags`")
    async with lsp() as client:
        pkg = open_doc(client, project / "package.json")
        seen, diags = await published(client, pkg, version=1)
        assert [(d.code, d.message) for d in diags] == [("WL201", wl201)]
        [cli] = [x for x in _check_json(project) if x["code"] == "WL201"]
        assert (diags[0].range.start.line + 1, diags[0].range.start.character + 1) == (cli["line"], cli["column"])
        loader = open_doc(client, project / "server.js")
        seen, _ = await published(client, loader, seen, version=1)
        replace_doc(client, loader, "console.log('no WebAssembly here');\n", 2)
        seen, diags = await published(client, pkg, seen)      # the other file's findings follow
        assert diags == []
        replace_doc(client, loader, LOADER, 3)
        seen, diags = await published(client, pkg, seen)
        assert [(d.code, d.message) for d in diags] == [("WL201", wl201)]

        actions = await client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(pkg), diags[0].range,
            types.CodeActionContext([], only=[types.CodeActionKind.SourceFixAll])))
        [fix_all] = actions
        assert fix_all.kind == "source.fixAll.wasmlint"
        if fix_all.edit is None:
            fix_all = await client.code_action_resolve_async(fix_all)
        before = (project / "package.json").read_text()
        fixed = apply(before, fix_all.edit.changes[pkg])
        run_cli(["check", "--no-cache", "--fix", "."], project)
        assert (project / "package.json").read_text() == fixed != before


@pytest.mark.asyncio
async def test_configuration_reload_and_initialization_options(project):
    pkg = project / "package.json"
    pkg.write_text(PACKAGE)
    async with lsp({"ignore": ["WL2"], "nodeVersion": "22"}) as client:
        uri = open_doc(client, pkg)
        seen, diags = await published(client, uri, version=1)
        assert diags == []                      # ignored by the editor's settings
    async with lsp({"node-version": "22", "selct": ["WL1"], "debounce": "soon"}) as client:
        uri = open_doc(client, pkg)
        seen, diags = await published(client, uri, version=1)
        assert [d.message for d in diags] == [MESSAGE.replace("node 20", "node 22")]
        (project / ".wasmlint.toml").write_text('ignore = ["WL204"]\n')
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams([types.FileEvent(
            (project / ".wasmlint.toml").as_uri(), types.FileChangeType.Created)]))
        seen, diags = await published(client, uri, seen)
        assert diags == []
        config = open_doc(client, project / ".wasmlint.toml")      # hover reads codes in a configuration
        seen, _ = await published(client, config, seen)
        hover = await client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(config), types.Position(0, 12)))
        assert hover.contents.value.startswith("# WL204 ")
        (project / ".wasmlint.toml").write_text("ignore = []\n")    # saved from the editor
        client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config)))
        assert [d.code for d in (await published(client, uri, seen))[1]] == ["WL204"]
        warnings = [m.message for m in client.log_messages if m.type == types.MessageType.Warning]
        assert warnings == [
            "wasmlint: initializationOptions: `debounce` must be a number of milliseconds from 0 to 60000",
            "wasmlint: initializationOptions: unknown setting `selct`; did you mean `select`?"]


@pytest.mark.asyncio
async def test_hostile_buffers_leave_the_server_answering(project):
    from fuzz.pathological import GENERATORS
    from tests.test_hostile import _alias_bomb
    files = {
        "docker-compose.yml": "\n".join([*_alias_bomb("x-"), "services:", "  api:", "    image: node:20",
                                         "    environment:", "      NODE_OPTIONS: *a29", ""]),
        "deploy/package.json": '{"name": "x", "config": ' + "[" * 5000 + "]" * 5000 + "}",
        "Makefile": GENERATORS["makefile"][1]["functions"](64 << 10).decode(),
        "loader.js": "const memory = new WebAssembly.Memory({initial: 1});\nmemory.grow(x + );\n\ud800\x00",
        "big.sh": "#!/bin/sh\n" + "x" * (2 << 20),     # over the size limit
    }
    (project / ".wasmlint.toml").write_text("[policy]\nmax-file-bytes = 1048576\n")
    async with lsp() as client:
        for name, text in files.items():
            path = project / name
            path.parent.mkdir(exist_ok=True)
            path.write_text("\n")
            uri = open_doc(client, path, text)
            _, diags = await published(client, uri, version=1)
            if name == "big.sh":
                assert [d.message for d in diags] == [
                    "file is 2.0 MiB, above the 1 MiB limit (policy `max-file-bytes`); not read"]
            if name == "docker-compose.yml":
                assert [d.message for d in diags] == ["YAML aliases expand to too many nodes"]
        module = project / "good.wasm"      # a module opened as text: its bytes are still read
        module.write_bytes(build_wat("(module (memory 200))"))      # LEB128 200: bytes over 0x7f
        uri = open_doc(client, module, module.read_bytes().decode("latin-1"))
        _, diags = await published(client, uri, version=1)
        assert [(d.code, d.message.startswith("memory 0 can grow")) for d in diags] == [("WL101", True)]
        uri = open_doc(client, project / "package.json", PACKAGE)     # and still answers
        _, diags = await published(client, uri, version=1)
        assert [d.message for d in diags] == [MESSAGE]
        hover = await client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(uri), diags[0].range.start))
        assert hover.contents.value.startswith("# WL204 ")


def test_positions_count_utf16_units_and_edits_keep_astral_characters():
    from wasmlint.facts import Span
    from wasmlint.server.positions import LineMap, text_edit
    text = 'const s = "\U0001F600\U0001F600";\nnode --expose-gc app.js\n'
    lines = LineMap(text)
    # column 13 (code points) is after the first emoji: 12 BMP characters + one pair
    assert lines.position(1, 13) == types.Position(0, 13)
    assert lines.position(1, 14) == types.Position(0, 15)
    assert lines.line_column(types.Position(0, 15)) == (1, 14)
    assert lines.lsp_range(Span("a.js", 1, 12, 1, 14)) == types.Range(types.Position(0, 11), types.Position(0, 15))
    assert lines.position(9, 1) == types.Position(2, 0)          # past the end: the end
    new = text.replace("\U0001F600\U0001F600", "\U0001F600x\U0001F600")
    edit = text_edit(text, new)
    assert edit.range == types.Range(types.Position(0, 13), types.Position(0, 13)) and edit.new_text == "x"
    assert apply(text, [edit]) == new
