"""The work one file may cause. Past any of its bounds the file is one WL001
"not analysed: over budget" (``pipeline.analyze_file``) and the run goes on.

- **Expansion** (``ExpansionBudget``): a file whose variables refer to earlier ones
  (``ENV A2=${A1}x``, ``V2 = $(V1) x``) expands to text that grows with the square of
  its length. Each file gets ``FACTOR`` times its own size (at least ``FLOOR``) of
  expanded text; once that is spent, a variable reads as unknown, as a value too long
  to be real already does (``shellparse.VALUE_LIMIT``).
- **Items** (``charge``): node launches (and the words they hold), NODE_OPTIONS
  settings, compiler commands and their ``-s`` settings each cost the rules that read
  them; a file holding more than ``MAX_ITEMS`` of them is not analysed. The bound is
  absolute, not per byte: the largest real file measured holds 4,335 (SDL's
  ``test/CMakeLists.txt``, measured again on the harness's largest build files;
  docs/performance.md), a generated one's grows with its size. It is 1.8 times that, and
  low enough that the costliest items measured (a link with three findings, 120 µs an
  item idle: each finding's message, scope and root-cause grouping) stay under a second.
  Items are charged when they are found, before the work they cost (an emcc command's
  ``-s`` words before its settings are read, a CMake run's targets and link options as
  it runs, given back when its links charge them): a file over the bound is cut early.
- **Parse time** (``parse``): tree-sitter's error recovery is quadratic on some inputs
  (``emcc ))))…``, audit F6). Its parses of one file may take ``PARSE_FLOOR`` CPU
  seconds plus ``PARSE_PER_BYTE`` per byte of the file: twenty times the slowest
  real file measured (minified JS, 0.4 µs a byte), so only error recovery reaches it.
  A text of up to ``SHORT_TEXT`` bytes is parsed at once and charged its wall time
  (``_parse_short``); a longer one is stopped midway by its CPU time.

Real build and launch files stay far below every bound.
"""
from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager

FACTOR = 16
FLOOR = 1 << 20
MAX_ITEMS = 8_000
PARSE_FLOOR = 2.0
PARSE_PER_BYTE = 8e-6
CHUNK = 1 << 16         # bytes handed to tree-sitter per read
TEXT_CHUNK = 256        # bytes of a parsed node's text per read, at first
SHORT_TEXT = 2048       # bytes parsed at once, unstoppable (``_parse_short``)


class OverBudget(BaseException):
    """The file needs more work than its budget allows; the message says which. Not an
    ``Exception``: a reader's ``except Exception`` (a file it cannot read shows nothing)
    must not swallow it; ``pipeline.analyze_file`` ends the file with it."""


class ExpansionBudget:
    def __init__(self, file_size: int):
        self.left = max(FLOOR, FACTOR * file_size)

    def spend(self, chars: int) -> bool:
        """Take ``chars`` of expansion; False (and nothing taken) when they do not fit."""
        if chars > self.left:
            self.left = 0
            return False
        self.left -= chars
        return True


class FileBudget:
    """Items and parse time left for the file being analysed."""

    def __init__(self, file_size: int):
        self.items = MAX_ITEMS
        self.parse_seconds = PARSE_FLOOR + PARSE_PER_BYTE * file_size
        self.memos: dict[str, dict] = {}

    def charge(self, items: int, what: str) -> None:
        self.items -= items
        if self.items < 0:
            raise OverBudget(f"more than {MAX_ITEMS:,} {what} and other items to check")


_current: contextvars.ContextVar[FileBudget | None] = contextvars.ContextVar("wasmlint_budget", default=None)


@contextmanager
def for_file(file_size: int):
    """Work done inside is charged to one file of ``file_size`` bytes."""
    made = FileBudget(file_size)
    token = _current.set(made)
    try:
        yield
    finally:
        _current.reset(token)
        made.memos.clear()  # a memo's keys may hold the budget: no cycle keeps the file's work alive


def current() -> FileBudget | None:
    """The budget of the file being analysed (None outside one): what a memo of one file's
    work is keyed by, so that nothing is reused from another file or another run."""
    return _current.get()


def file_memo(name: str) -> dict | None:
    """A memo of the current file's work, named ``name`` (None outside a file's analysis):
    what one reader of the file computed, for its others; it ends with the file."""
    b = _current.get()
    return None if b is None else b.memos.setdefault(name, {})


def charge(items: int, what: str) -> None:
    """Count ``items`` (launches, commands, words) against the current file; raises
    OverBudget past its bound. Outside a file's analysis it counts nothing."""
    b = _current.get()
    if b is not None:
        b.charge(items, what)


def parse(parser, data: bytes, old=None):
    """``parser.parse(data, old)``, stopped (OverBudget) when the current file's parse
    time is spent. Outside a file's analysis it is not bounded."""
    b = _current.get()
    given = {"old_tree": old} if old is not None else {}
    if b is None:
        return parser.parse(data, **given)
    if len(data) <= SHORT_TEXT:
        return _parse_short(b, parser, data, given)
    start = time.process_time()
    deadline = start + b.parse_seconds
    chunk, parsed, after = CHUNK, False, -1
    last = b""

    def read(offset: int, _point) -> bytes:
        # once parsed, a call reads a node's text: a short piece first (most nodes are a
        # word), then twice as much at each read that goes on from the last, for the
        # binding joins the pieces in a loop that copies all read so far (a 7 MB literal
        # read 256 bytes at a time took 8 s)
        nonlocal chunk, after, last
        if parsed:
            chunk = min(chunk * 2, CHUNK << 8) if offset == after else TEXT_CHUNK
            after = offset + chunk
        # the binding (py-tree-sitter 0.26's node_get_text) reads the piece after it lets go
        # of it: the last one is kept, or a piece of a MB, unmapped when freed, is read
        # after its memory is gone (a segmentation fault on tesseract.js-core's glue)
        last = data[offset:offset + chunk]
        return last

    next_look = 0.0

    def stop(*_state) -> bool:
        # tree-sitter calls this every 100 parse operations, thousands of times per MB; the
        # process clock costs a system call, so it is read at most every millisecond of
        # wall time (the cheap clock), which is at most a millisecond of this process's time
        nonlocal next_look
        now = time.monotonic()
        if now < next_look:
            return False
        next_look = now + 0.001
        return time.process_time() > deadline

    try:
        tree = parser.parse(read, progress_callback=stop, **given)
        # a tree parsed from a callback reads each node's text through it again (calls to
        # ``read`` until the node's bytes are read; a second parse from the bytes would
        # cost as much as the first)
        parsed = True
        return tree
    except ValueError:         # tree-sitter: the progress callback cancelled the parse
        parser.reset()
        if time.process_time() <= deadline:
            raise
        b.parse_seconds = 0.0
        raise OverBudget("parsing takes too long (tree-sitter error recovery)") from None
    finally:
        b.parse_seconds = max(0.0, b.parse_seconds - (time.process_time() - start))



def _parse_short(b: FileBudget, parser, data: bytes, given: dict):
    """A short text (a Make recipe, a script's line) parsed from its bytes. Its slowest
    error recovery (``emcc ))))…`` of ``SHORT_TEXT`` bytes) takes tens of milliseconds,
    too little to need stopping midway; a parse that is not stopped needs no read
    callback (a Python call per node text read later) and no CPU clock (a system call,
    tens of microseconds under load, as much as parsing a recipe). Its wall time, never
    less than its CPU time, is charged; once the budget is spent the next parse stops
    the file."""
    if b.parse_seconds <= 0.0:
        raise OverBudget("parsing takes too long (tree-sitter error recovery)")
    start = time.perf_counter()
    try:
        return parser.parse(data, **given)
    finally:
        b.parse_seconds = max(0.0, b.parse_seconds - (time.perf_counter() - start))
