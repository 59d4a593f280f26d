"""A progress bar on stderr, for a person watching a long load at a terminal.

A command that loads files and then works through their records ticks a `Progress` once
per file and once per record it works on. The bar is drawn on stderr, and only when
stderr is a terminal: a script that captures stderr, or a log file, never sees it, and
stdout (the answer) is never touched. It appears only once the work has taken longer
than a moment (`DELAY` seconds), so quick commands do not flicker, and it erases itself
when done.

One file can take seconds to load (200,000 visit records take about 7 s), with no step
finished meanwhile: a background thread redraws the line every tenth of a second, so
the elapsed time keeps moving beside the file being loaded
(``loading visits.json [########................]  33% 1/3 4.2s``).

No third-party package: a carriage return redraws one line.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Final, TextIO

__all__ = ["DELAY", "Progress"]

#: Seconds of work before the bar is first drawn.
DELAY = 0.3
#: Seconds between two redraws.
_REDRAW: Final = 0.1
_WIDTH: Final = 24


class Progress:
    """A progress bar over `total` steps, drawn on a terminal's stderr.

    Use it as a context manager; `advance` after each step. When the stream is not a
    terminal, every method does nothing and no thread is started.

    Args:
        total: the number of steps (it may grow with `grow` once the records are known).
        label: what is being done, shown before the bar.
        stream: where to draw (default: `sys.stderr`, read when the bar is created).
        delay: seconds of work before the bar is first drawn (default `DELAY`).
        clock: the clock measuring the delay and the elapsed time (`time.monotonic`).
        ticking: whether a background thread redraws the bar while a step runs.
    """

    def __init__(
        self,
        total: int,
        label: str = "",
        *,
        stream: TextIO | None = None,
        delay: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        ticking: bool = True,
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.enabled = _is_terminal(self.stream)
        self.total = max(total, 0)
        self.done = 0
        self.label = label
        self._clock = clock
        self._started = clock()
        self._shown_from = self._started + (DELAY if delay is None else delay)
        self._width = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None
        if self.enabled and ticking:
            self._ticker = threading.Thread(target=self._tick, name="progress", daemon=True)
            self._ticker.start()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def grow(self, steps: int) -> None:
        """Add `steps` to the total (the records of a file just loaded)."""
        self.total += max(steps, 0)

    def advance(self, steps: int = 1, *, label: str | None = None) -> None:
        """Count `steps` more as done, and redraw once the delay has passed.

        Args:
            steps: how many steps were just finished (0 to change only the label).
            label: what is being done now (keeps the previous label when ``None``).
        """
        self.done = min(self.done + steps, self.total)
        if label is not None:
            self.label = label
        self._draw_if_due()

    def line(self) -> str:
        """The bar as text: ``loading visits.json [#######.........]  41% 2/5 1.3s``."""
        share = self.done / self.total if self.total else 1.0
        filled = round(share * _WIDTH)
        bar = "#" * filled + "." * (_WIDTH - filled)
        label = f"{self.label} " if self.label else ""
        elapsed = self._clock() - self._started
        return f"{label}[{bar}] {share:4.0%} {self.done}/{self.total} {elapsed:.1f}s"

    def _tick(self) -> None:
        """Redraw every `_REDRAW` seconds until closed (the background thread)."""
        while not self._stop.wait(_REDRAW):
            self._draw_if_due()

    def _draw_if_due(self) -> None:
        if not self.enabled or self._stop.is_set() or self._clock() < self._shown_from:
            return
        with self._lock:
            text = self.line()
            pad = " " * max(self._width - len(text), 0)
            self._width = len(text)
            self.stream.write(f"\r{text}{pad}")
            self.stream.flush()

    def close(self) -> None:
        """Stop redrawing and erase the bar, leaving the cursor at the start of the line."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self._ticker = None
        with self._lock:
            if self._width:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()
                self._width = 0


def _is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal (a closed or odd stream is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False
