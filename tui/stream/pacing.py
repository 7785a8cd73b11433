"""The typewriter: pure arithmetic that says how many characters to reveal, and when.

No clock is read here: every call is given the time, so the model is deterministic
under a fake clock and free of any UI.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

__all__ = ["Typewriter"]

_MERGE_WINDOW = 0.01
"""Arrivals closer together than this (seconds) share one deadline record, which keeps the
record count bounded by the lag, not by the number of chunks."""
_INTERVALS = 120
"""How many of the latest intervals between reveals are kept (two seconds of 60 Hz ticks)."""
_LATE_INTERVALS = 3
"""Intervals by which a deadline is brought forward: when the event loop is held up, the
next reveal may come that much late, the display's wait before it appends may end as
late again, and so may the frame that paints it."""


@dataclass
class Typewriter:
    """How many characters to reveal at time t, given what the source has delivered.

    Text is revealed at `rate` characters per second, faster when needed so that no
    character is revealed later than `max_lag - headroom` seconds after it arrived, and
    the tail is drained within `drain` seconds once the source has finished. The first
    character after a pause is revealed as it arrives, not a character's time later. It
    never reveals more than has arrived. A `rate` of 0 reveals everything at once.

    Each deadline is met at an even pace from when its characters arrived (or from the
    last reveal, if later) to the deadline, so a reveal that comes late shows only what
    fell due meanwhile, not text that is due much later. Deadlines are brought forward
    by three times the longest of the latest intervals between reveals: when the event
    loop is busy, reveals come late, and so does the frame that shows them.

    Example:
        >>> writer = Typewriter(rate=100, max_lag=2)
        >>> writer.arrive(50, now=0.0)
        >>> writer.reveal(now=0.0)  # the first key is struck as the text comes
        1
        >>> writer.reveal(now=0.1)
        10
        >>> writer.reveal(now=0.1, finished=True)  # nothing is due until time passes
        0
        >>> writer.reveal(now=0.6, finished=True)  # drained by the deadline
        39
    """

    rate: float = 400.0
    """Base speed in characters per second; 0 means instant."""
    max_lag: float = 1.0
    """The most seconds a character may wait between arriving and being shown."""
    drain: float = 0.5
    """Seconds in which the backlog is drained once the source has finished."""
    headroom: float = 0.0
    """Seconds of `max_lag` left to whatever shows a revealed character, so that it is on
    screen, not just revealed, within `max_lag` of arriving."""

    arrived: int = field(default=0, init=False)
    """Characters delivered by the source so far."""
    revealed: int = field(default=0, init=False)
    """Characters revealed so far."""
    _records: deque[tuple[float, int]] = field(default_factory=deque, init=False, repr=False)
    _last: float = field(default=0.0, init=False, repr=False)
    _credit: float = field(default=0.0, init=False, repr=False)
    _finished_at: float | None = field(default=None, init=False, repr=False)
    _intervals: deque[float] = field(
        default_factory=lambda: deque(maxlen=_INTERVALS), init=False, repr=False
    )

    @property
    def backlog(self) -> int:
        """Characters that have arrived and are not yet revealed."""
        return self.arrived - self.revealed

    def arrive(self, count: int, now: float) -> None:
        """Record that the source delivered `count` more characters at time `now`."""
        if count <= 0:
            return
        if self.backlog == 0:
            self._last = now
            self._credit = 1.0  # the first key is struck at once
        self.arrived += count
        if self._records and now - self._records[-1][0] < _MERGE_WINDOW:
            self._records[-1] = (self._records[-1][0], self.arrived)
        else:
            self._records.append((now, self.arrived))

    def reveal(self, now: float, finished: bool = False) -> int:
        """How many more characters to reveal at time `now`; they count as revealed.

        Args:
            now: The current time in seconds, on the same clock as `arrive`.
            finished: Whether the source has ended, so the tail should drain.
        """
        backlog = self.backlog
        if backlog <= 0:
            return 0
        if self.rate <= 0:
            return self._take(backlog)
        if finished and self._finished_at is None:
            self._finished_at = now
        start, self._last = self._last, now
        self._intervals.append(max(0.0, now - start))
        progress = self.rate * max(0.0, now - start)
        late = _LATE_INTERVALS * max(self._intervals)
        lag = max(0.0, self.max_lag - self.headroom - late)
        for arrived_at, cumulative in self._records:
            count = cumulative - self.revealed
            progress = max(progress, _due(count, max(start, arrived_at), arrived_at + lag, now))
        if (finished_at := self._finished_at) is not None:
            drained = _due(backlog, max(start, finished_at), finished_at + self.drain, now)
            progress = max(progress, drained)
        self._credit += progress
        count = min(backlog, math.floor(self._credit))
        self._credit -= count
        return self._take(count)

    def _take(self, count: int) -> int:
        self.revealed += count
        while self._records and self._records[0][1] <= self.revealed:
            self._records.popleft()
        if self.backlog == 0:
            self._credit = 0.0
        return count


def _due(count: int, start: float, deadline: float, now: float) -> float:
    """How many of `count` characters, to be revealed at an even pace from `start` to
    `deadline`, fall due between `start` and `now`."""
    if now >= deadline:
        return float(count)
    if now <= start:
        return 0.0
    return count * (now - start) / (deadline - start)
