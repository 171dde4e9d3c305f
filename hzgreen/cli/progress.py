"""A progress bar on stderr, drawn only when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import Optional, TextIO


class Progress:
    """``done / total`` as a bar, redrawn in place at most ten times a second.

    Writes nothing unless ``stream`` (default stderr) is a TTY or ``force`` is true, so
    pipes and log files stay clean. Use as a context manager or call :meth:`close`.
    """

    WIDTH = 30

    def __init__(self, total: int, label: str, stream: Optional[TextIO] = None, force: bool = False) -> None:
        self.total = max(0, total)
        self.label = label
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = force or _isatty(self.stream)
        self._last_draw = 0.0
        self._drawn = False

    def update(self, count: int) -> None:
        """Add ``count`` finished items and redraw when due; returns None."""
        self.done = min(self.total, self.done + count)
        now = time.monotonic()
        if self.enabled and (now - self._last_draw >= 0.1 or self.done == self.total):
            self._last_draw = now
            self._draw()

    def render(self) -> str:
        """The bar as text, e.g. ``load [#######-------]  50% 5/10``; raises nothing."""
        fraction = self.done / self.total if self.total else 1.0
        filled = int(round(fraction * self.WIDTH))
        return "%s [%s%s] %3d%% %d/%d" % (
            self.label,
            "#" * filled,
            "-" * (self.WIDTH - filled),
            int(fraction * 100),
            self.done,
            self.total,
        )

    def _draw(self) -> None:
        self.stream.write("\r" + self.render())
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the bar's line (if one was drawn); returns None."""
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
