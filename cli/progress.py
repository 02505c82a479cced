"""A progress bar on stderr for long headless runs.

Rules: on a terminal the bar is redrawn in place (carriage return) at most every ``REDRAW_S`` seconds; when
stderr is a file or a pipe (CI logs) a plain line is written at each further 10 % of the work, so logs stay
short. The bar always ends with a newline so later messages start on their own line.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

REDRAW_S = 0.2
BAR_WIDTH = 30


class ProgressBar:
    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        self.total = max(total, 1)
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_draw = 0.0
        self._last_decile = -1
        self._started = time.monotonic()
        self._open = False

    def update(self, fraction: float, done: int) -> None:
        """Show ``fraction`` (0–1) of the work finished and ``done`` of ``total`` replications."""
        fraction = min(max(fraction, 0.0), 1.0)
        if self.interactive:
            now = time.monotonic()
            if now - self._last_draw < REDRAW_S and fraction < 1.0:
                return
            self._last_draw = now
            filled = round(fraction * BAR_WIDTH)
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            elapsed = now - self._started
            self.stream.write(f"\r{self.label} [{bar}] {fraction:4.0%}  {done}/{self.total} replications  "
                              f"{elapsed:5.0f} s")
            self._open = True
        else:
            decile = int(fraction * 10)
            if decile <= self._last_decile:
                return
            self._last_decile = decile
            self.stream.write(f"{self.label}: {fraction:.0%} ({done}/{self.total} replications)\n")
        self.stream.flush()

    def close(self) -> None:
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False
