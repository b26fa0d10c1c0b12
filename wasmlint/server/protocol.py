"""The LSP wiring: open documents, debounced analyses (one at a time, in one worker
thread: the pipeline's overlay is process-wide), publishing, code actions, hover,
configuration reload. Every handler logs its errors (``window/logMessage``) and
answers nothing rather than sending a traceback."""
from __future__ import annotations

import asyncio
import functools
import inspect
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..classify import kind_by_name
from ..diagnostics import Diagnostic
from ..edits import TextFile
from ..paths import read_regular
from . import actions
from .hover import hover
from .positions import LineMap
from .session import Analysis, Session, Settings, is_config_file, project_key

SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
CONFIG_GLOB = "**/{pyproject.toml,.wasmlint.toml,.wasmlint.yaml,.wasmlint.yml}"
MAX_RELATED_BYTES = 16 << 20       # a related file read from disk for its positions


@dataclass
class Published:
    """What was last published for a document, at which version."""

    version: int | None
    analysis: Analysis
    items: list[tuple[Diagnostic, types.Range, types.Diagnostic]]


class WasmlintServer(LanguageServer):
    def __init__(self):
        super().__init__("wasmlint", __version__)
        self.settings = Settings()
        self.setting_problems: list[str] = []
        self.sessions: dict[str, Session] = {}
        self.keys: dict[str, str] = {}               # uri -> project key
        self.published: dict[str, Published] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.stamps: dict[str, int] = {}             # project key -> changes seen
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wasmlint-analysis")
        self.resolve_edits = False

    # -- messages ---------------------------------------------------------------------
    def log(self, message: str, level: types.MessageType = types.MessageType.Log) -> None:
        self.window_log_message(types.LogMessageParams(level, message))

    def report_server_error(self, error, source) -> None:
        self.log(f"wasmlint server: {type(error).__name__}: {error}", types.MessageType.Error)

    # -- documents and projects -------------------------------------------------------
    def documents(self, key: str | None = None) -> list:
        """Open documents of files on disk (of project ``key``)."""
        out = []
        for uri, doc in list(self.workspace.text_documents.items()):
            path = to_fs_path(uri)
            if path is None or not os.path.isfile(path):
                continue
            if key is None or self.key(uri) == key:
                out.append(doc)
        return out

    def key(self, uri: str) -> str:
        if uri not in self.keys:
            self.keys[uri] = project_key(to_fs_path(uri))
        return self.keys[uri]

    def session(self, key: str) -> Session:
        if key not in self.sessions:
            self.sessions[key] = Session(key, self.settings)
        return self.sessions[key]

    def buffers(self, docs) -> dict[str, bytes]:
        """The open texts that stand for their files; a module shown as text never does
        (its bytes are not that text)."""
        return {os.path.realpath(doc.path): doc.source.encode("utf-8", "surrogatepass") for doc in docs
                if kind_by_name(os.path.basename(doc.path)) != "wasm"}

    def text_of(self, abspath: str) -> str | None:
        """A file's text: its open buffer, else its contents on disk (None: not text)."""
        real = os.path.realpath(abspath)
        for doc in self.workspace.text_documents.values():
            if doc.path and os.path.realpath(doc.path) == real:
                return doc.source
        try:
            return TextFile.decode(read_regular(real, MAX_RELATED_BYTES)).text
        except (OSError, UnicodeDecodeError):
            return None

    def uri_of(self, abspath: str) -> str:
        real = os.path.realpath(abspath)
        for uri, doc in self.workspace.text_documents.items():
            if doc.path and os.path.realpath(doc.path) == real:
                return uri
        return from_fs_path(real)

    # -- analysis ---------------------------------------------------------------------
    def schedule(self, key: str, delay: float) -> None:
        """Analyse project ``key`` after ``delay`` seconds, replacing one still waiting;
        the results of an analysis that a later change overtook are dropped."""
        self.stamps[key] = self.stamps.get(key, 0) + 1
        old = self.pending.pop(key, None)
        if old is not None and not old.done():
            old.cancel()
        self.pending[key] = asyncio.get_running_loop().create_task(self.analyse(key, delay))

    async def analyse(self, key: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        stamp = self.stamps.get(key)
        docs = self.documents(key)
        if not docs:
            return
        buffers = self.buffers(docs)
        versions = {doc.uri: doc.version for doc in docs}
        try:
            analysis = await asyncio.get_running_loop().run_in_executor(
                self.worker, self.session(key).analyse, buffers)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.failed(key, exc)
            return
        if self.stamps.get(key) != stamp:
            return                  # a newer change is on its way: these results are stale
        for doc in docs:
            if self.workspace.text_documents.get(doc.uri) is doc and doc.version == versions[doc.uri]:
                try:
                    self.publish(doc, analysis)
                except Exception as exc:
                    self.failed(key, exc)

    def failed(self, key: str, exc: Exception) -> None:
        from ..config import ConfigError
        from ..ruleset import RuleError
        if isinstance(exc, (ConfigError, RuleError)):
            message = f"wasmlint: {key}: {exc}"
            self.log(message, types.MessageType.Error)
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))
        else:
            self.log(f"wasmlint: internal error while checking {key}: {type(exc).__name__}: {exc}",
                     types.MessageType.Error)

    def publish(self, doc, analysis: Analysis) -> None:
        lines = LineMap(doc.source)
        items = []
        related_lines: dict[str, LineMap | None] = {}
        for d in analysis.by_file.get(os.path.realpath(doc.path), []):
            r = lines.lsp_range(d.span)
            items.append((d, r, self.to_lsp(d, r, analysis, related_lines)))
        self.published[doc.uri] = Published(doc.version, analysis, items)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            doc.uri, [lsp for _, _, lsp in items], version=doc.version))

    def to_lsp(self, d: Diagnostic, r: types.Range, analysis: Analysis, cache: dict) -> types.Diagnostic:
        related = []
        for rel in d.related:
            path = rel.span.path.split("#", 1)[0]
            abspath = analysis.abspaths.get(path)
            if abspath is None:
                continue
            if abspath not in cache:
                text = self.text_of(abspath)
                cache[abspath] = LineMap(text) if text is not None else None
            lm = cache[abspath]
            rng = lm.lsp_range(rel.span) if lm is not None else types.Range(types.Position(0, 0), types.Position(0, 0))
            related.append(types.DiagnosticRelatedInformation(types.Location(self.uri_of(abspath), rng),
                                                              rel.message))
        target = f" (target {d.target})" if d.target and d.target not in d.message else ""
        return types.Diagnostic(
            range=r, message=f"{d.message}{target}", severity=SEVERITY.get(d.severity), code=d.code,
            source="wasmlint", code_description=types.CodeDescription(href=d.url) if d.url else None,
            related_information=related or None)

    def current(self, uri: str) -> Published | None:
        """What was published for the document as it is now (None: stale or nothing)."""
        pub = self.published.get(uri)
        doc = self.workspace.text_documents.get(uri)
        return pub if pub is not None and doc is not None and pub.version == doc.version else None

    def reload(self, why: str) -> None:
        self.log(f"wasmlint: {why}; reloading the configuration")
        self.sessions.clear()
        self.keys.clear()
        for key in {self.key(doc.uri) for doc in self.documents()}:
            self.schedule(key, 0)


server = WasmlintServer()


def guarded(fn):
    """Log a handler's error instead of sending it to the client."""
    def failed(ls, exc):
        ls.log(f"wasmlint: internal error in {fn.__name__}: {type(exc).__name__}: {exc}", types.MessageType.Error)

    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def run_async(ls, params):
            try:
                return await fn(ls, params)
            except Exception as exc:
                failed(ls, exc)
                return None
        return run_async

    @functools.wraps(fn)
    def run(ls, params):
        try:
            return fn(ls, params)
        except Exception as exc:
            failed(ls, exc)
            return None
    return run


@server.feature(types.INITIALIZE)
@guarded
def initialize(ls: WasmlintServer, params: types.InitializeParams):
    ls.settings, ls.setting_problems = Settings.parse(params.initialization_options)
    action = params.capabilities.text_document and params.capabilities.text_document.code_action
    support = action.resolve_support if action else None
    ls.resolve_edits = bool(support and "edit" in support.properties)


@server.feature(types.INITIALIZED)
@guarded
def initialized(ls: WasmlintServer, params: types.InitializedParams):
    for problem in ls.setting_problems:
        ls.log(f"wasmlint: initializationOptions: {problem}", types.MessageType.Warning)
    watch = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
    if watch and watch.dynamic_registration:
        ls.client_register_capability(types.RegistrationParams([types.Registration(
            "wasmlint-configuration", types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            types.DidChangeWatchedFilesRegistrationOptions([types.FileSystemWatcher(CONFIG_GLOB)]))]))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
@guarded
def did_open(ls: WasmlintServer, params: types.DidOpenTextDocumentParams):
    if to_fs_path(params.text_document.uri) is not None:
        ls.schedule(ls.key(params.text_document.uri), 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
@guarded
def did_change(ls: WasmlintServer, params: types.DidChangeTextDocumentParams):
    if to_fs_path(params.text_document.uri) is not None:
        ls.schedule(ls.key(params.text_document.uri), ls.settings.debounce_ms / 1000)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
@guarded
def did_save(ls: WasmlintServer, params: types.DidSaveTextDocumentParams):
    path = to_fs_path(params.text_document.uri)
    if path is None:
        return
    if is_config_file(path):
        ls.reload(f"{path} was saved")
    else:
        ls.schedule(ls.key(params.text_document.uri), 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
@guarded
def did_close(ls: WasmlintServer, params: types.DidCloseTextDocumentParams):
    uri = params.text_document.uri
    ls.published.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
    key = ls.keys.pop(uri, None)
    if key is not None and ls.documents(key):
        ls.schedule(key, 0)     # the file on disk stands for the closed buffer now


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
@guarded
def did_change_watched_files(ls: WasmlintServer, params: types.DidChangeWatchedFilesParams):
    changed = [p for p in (to_fs_path(c.uri) for c in params.changes) if p and is_config_file(p)]
    if changed:
        ls.reload(f"{changed[0]} changed")


def _wants(only, kind: str) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return ((a.start.line, a.start.character) <= (b.end.line, b.end.character)
            and (b.start.line, b.start.character) <= (a.end.line, a.end.character))


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
    code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL], resolve_provider=True))
@guarded
async def code_action(ls: WasmlintServer, params: types.CodeActionParams):
    uri = params.text_document.uri
    pub = ls.current(uri)
    if pub is None:
        return None
    doc = ls.workspace.get_text_document(uri)
    only = params.context.only
    out = []
    if _wants(only, types.CodeActionKind.QuickFix):
        analysis = pub.analysis
        kinds = {e.path: e.kind for e in analysis.result.files}

        def abspath(display):
            return analysis.abspaths.get(display)

        for d, r, lsp in pub.items:
            if not _overlaps(r, params.range):
                continue
            fix = actions.fix_action(d, lsp, abspath, ls.text_of, ls.uri_of)
            if fix is not None:
                out.append(fix)
            path = d.span.path.split("#", 1)[0]
            if "#" not in d.span.path and kinds.get(path):
                out += actions.suppress_actions(d, lsp, kinds[path], path, doc.source, uri)
    if _wants(only, actions.FIX_ALL) and actions.fixable([d for d, _, _ in pub.items]):
        action = types.CodeAction("Fix all safe wasmlint findings in this file", kind=actions.FIX_ALL,
                                  data={"uri": uri, "version": doc.version})
        out.append(action if ls.resolve_edits else await _resolve(ls, action))
    return out


@server.feature(types.CODE_ACTION_RESOLVE)
@guarded
async def resolve_code_action(ls: WasmlintServer, action: types.CodeAction):
    return await _resolve(ls, action)


async def _resolve(ls: WasmlintServer, action: types.CodeAction) -> types.CodeAction:
    """The edit of "fix all": what ``check --fix`` makes of the file's safe fixes."""
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    doc = ls.workspace.text_documents.get(uri) if isinstance(uri, str) else None
    if doc is None or doc.version != data.get("version") or action.kind != actions.FIX_ALL:
        return action
    key = ls.key(uri)
    docs = ls.documents(key)
    buffers = ls.buffers(docs)
    new = await asyncio.get_running_loop().run_in_executor(
        ls.worker, ls.session(key).fix_all, doc.path, buffers)
    if doc.version != data.get("version"):
        return action            # changed meanwhile: no edit for an older text
    action.edit = actions.workspace_edit(new, ls.uri_of)
    return action


@server.feature(types.TEXT_DOCUMENT_HOVER)
@guarded
def on_hover(ls: WasmlintServer, params: types.HoverParams):
    uri = params.text_document.uri
    doc = ls.workspace.get_text_document(uri)
    pub = ls.current(uri)
    try:
        rules = ls.session(ls.key(uri)).rules() if to_fs_path(uri) else None
    except Exception:
        rules = None
    if rules is None:
        from ..ruleset import all_rules
        rules = all_rules()
    diags = [(d, r) for d, r, _ in pub.items] if pub is not None else []
    return hover(LineMap(doc.source), params.position, diags, rules)


@server.feature(types.SHUTDOWN)
@guarded
def shutdown(ls: WasmlintServer, params):
    for task in ls.pending.values():
        task.cancel()
    ls.worker.shutdown(wait=False, cancel_futures=True)


def start() -> None:
    server.start_io()
