"""`TurnIndicator`: a spinner until the first token, then the live typing rate."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.widgets import Static

if TYPE_CHECKING:
    from tui.widgets.transcript.stream_view import StreamView

__all__ = ["TurnIndicator"]

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
STALL_AFTER = 1.0
"""Seconds without a new character after which the indicator says it is waiting."""


class TurnIndicator(Static):
    """Shows that a turn is running: a spinner while waiting, then characters per second;
    when no new character has come for `STALL_AFTER` seconds, how long it has waited. The
    rate leaves out such waits, so it does not fall while nothing arrives."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._view: StreamView | None = None
        self._timer: Timer | None = None
        self._frame = 0
        self._count = 0
        self._changed = 0.0
        self._waited = 0.0
        self._reason = "waiting for the first token"

    def waiting_for(self, reason: str) -> None:
        """Say why no token has come yet, such as "the model is loading"."""
        self._reason = reason
        self._refresh_status()

    def follow(self, view: StreamView) -> None:
        """Start showing the progress of `view`."""
        self._view = view
        self._frame = 0
        self._count = 0
        self._changed = 0.0
        self._waited = 0.0
        self._reason = "waiting for the first token"
        if self._timer is None:
            self._timer = self.set_interval(0.1, self._refresh_status)
        self._refresh_status()

    def stop(self) -> None:
        """The turn is over: clear the indicator."""
        self._view = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.update("")

    def _refresh_status(self) -> None:
        view = self._view
        if view is None:
            return
        self._frame += 1
        started = view.first_content_at
        if started is None:
            self.update(f"{SPINNER[self._frame % len(SPINNER)]} {self._reason}")
            return
        now = asyncio.get_running_loop().time()
        spinner = SPINNER[self._frame % len(SPINNER)]
        count = view.chars_revealed
        if count != self._count or not self._changed:
            if self._changed and now - self._changed >= STALL_AFTER:
                self._waited += now - self._changed  # the wait that just ended
            self._count, self._changed = count, now
        quiet = now - self._changed
        if quiet >= STALL_AFTER:
            self.update(f"{spinner} waiting {quiet:.0f}s for more")
            return
        elapsed = now - started - self._waited
        rate = count / elapsed if elapsed > 0.05 else 0.0
        self.update(f"{spinner} {rate:,.0f} chars/s")
