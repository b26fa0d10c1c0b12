"""A progress bar on stderr for long runs (``check`` on large trees, ``probe``).

Shown only when stderr is a terminal, and only once the run has lasted
``delay`` seconds, so quick runs and piped output stay quiet. rich loads only
when the bar is actually shown.
"""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, label: str, total: int = 0, *, delay: float = 1.0, stream=None):
        self.label, self.total, self.delay = label, total, delay
        self.stream = stream if stream is not None else getattr(sys.stderr, "unrecorded", sys.stderr)
        self.done = 0
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._start = time.monotonic()
        self._bar = None
        self._task = None
        self._description = label
        self._begun = False

    def start(self, total: int) -> None:
        """Set the number of steps (when it is known only after work began)."""
        self.total = total
        if self._bar is not None:
            self._bar.update(self._task, total=total)

    def advance(self, description: str | None = None) -> None:
        """One step done."""
        self.done += 1
        self._refresh(description)

    def begin(self, description: str) -> None:
        """A step starts (the previous one, if any, is done)."""
        if self._begun:
            self.done += 1
        self._begun = True
        self._refresh(description)

    def _refresh(self, description: str | None) -> None:
        if description:
            self._description = description
        if not self.enabled:
            return
        if self._bar is None and time.monotonic() - self._start >= self.delay:
            self._show()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done, description=self._description)

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=Console(file=self.stream), transient=True)
        self._task = self._bar.add_task(self._description, total=self.total or None, completed=self.done)
        self._bar.start()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
