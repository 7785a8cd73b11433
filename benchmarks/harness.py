"""Driving a headless app that still paints, and timing it up to its last frame.

Textual's headless driver (`App.run_test(headless=True)`) skips only the final write to a
terminal. Every refresh still goes through the screen's compositor: layout (`reflow`),
each visible widget's `render_lines`, and the strips of the update. `FrameClock` wraps
`App._display`, where the headless driver drops that update, to do the one step it
skips, `render_segments` (turning strips into escape sequences), and to count each frame
and stamp when it was done. So the figures include layout, rendering and encoding.

`settle` waits for a step to be painted. It repeats `pilot.pause()` until a pause adds no
frame: `pause()` waits for every queued message of the screen and its widgets, then for
the CPU to go idle, then forces the screen's pending layout and repaint
(`Screen._on_timer_update`). A step's time ends at the stamp of its last frame, not when
`pause()` returns, so the ~20 ms idle check that `pause()` sleeps is not counted. At most
one tick of the screen's update timer (1/60 s) between the end of the work and its frame
is, as it would be in a terminal.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import time
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from textual._compositor import CompositorUpdate
from textual.app import App
from textual.pilot import Pilot

__all__ = [
    "SIZE",
    "FrameClock",
    "Row",
    "goal",
    "in_fresh_process",
    "percentile",
    "rss",
    "run_headless",
    "settle",
]

SIZE = (100, 40)
"""The terminal size of every benchmark app, in cells."""

MAX_PAUSES = 200
"""How many `pause()`s `settle` tries before it gives up on the screen going still."""


class FrameClock:
    """Count the frames an app paints and stamp when the last one was finished.

    Args:
        app: The app to watch; attach before it runs.
    """

    def __init__(self, app: App[Any]) -> None:
        self.frames = 0
        self.last = time.perf_counter()
        """`time.perf_counter()` when the last frame was encoded."""
        display = app._display

        def paint(screen: Any, renderable: Any) -> None:
            display(screen, renderable)
            if isinstance(renderable, CompositorUpdate) and not app._batch_count:
                renderable.render_segments(app.console)
                self.frames += 1
                self.last = time.perf_counter()

        app._display = paint  # type: ignore[method-assign]


async def settle(pilot: Pilot[Any], clock: FrameClock) -> float:
    """Wait until the screen is painted and still; return the stamp of its last frame."""
    for _ in range(MAX_PAUSES):
        frames = clock.frames
        await pilot.pause()
        if clock.frames == frames:
            break
    return clock.last


async def run_headless(
    app: App[Any], steps: Callable[[Pilot[Any], FrameClock], Awaitable[Any]]
) -> Any:
    """Run `app` headless at `SIZE` with a `FrameClock`, await `steps`, and return its result.

    Animations are off and cursors stop blinking as soon as the pilot has control, so
    nothing paints after the work is done. The collector runs first, so that one
    benchmark's garbage isn't collected in another's time.
    """
    app.animation_level = "none"
    clock = FrameClock(app)
    gc.collect()
    async with app.run_test(headless=True, size=SIZE) as pilot:
        for widget in app.query("Input, TextArea"):
            widget.cursor_blink = False  # type: ignore[attr-defined]
        return await steps(pilot, clock)


def rss() -> int:
    """This process's resident set size now, in bytes (from `/proc/self/statm`)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile of `values` (0.5 is the median), interpolated.

    Example:
        >>> percentile([1.0, 2.0, 3.0, 4.0], 0.5)
        2.5
    """
    ordered = sorted(values)
    at = share * (len(ordered) - 1)
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def _run_coroutine(function: Callable[..., Coroutine[Any, Any, Any]], args: tuple[Any, ...]) -> Any:
    return asyncio.run(function(*args))


def in_fresh_process(function: Callable[..., Coroutine[Any, Any, Any]], *args: Any) -> Any:
    """Run `await function(*args)` in a new (spawned) process and return its result.

    A measure of memory needs its own process: a heap that earlier work grew and freed
    would hide what is added. `function` must be importable at module level.
    """
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(_run_coroutine, function, args).result()


@dataclass
class Row:
    """One line of the report: a figure of inkstream's and its baseline's, same run.

    `value` and `baseline_value` are in `unit`: "s" (seconds), "B" (bytes) or
    "chars/s". For seconds and bytes the ratio is `baseline_value / value`: how many
    times faster or smaller inkstream is, so above 1 is better. For a rate it is
    `value / baseline_value`. `goal` says what the issue asks for and whether it is met.
    """

    benchmark: str
    measure: str
    value: float | None
    baseline: str = ""
    baseline_value: float | None = None
    note: str = ""
    unit: str = "s"
    goal: str = ""

    @property
    def ratio(self) -> float | None:
        """How many times better than the baseline, or `None` without one."""
        if not self.value or not self.baseline_value:
            return None
        if self.unit == "chars/s":
            return self.value / self.baseline_value
        return self.baseline_value / self.value


def goal(met: bool, text: str) -> str:
    """A goal's text with whether it is met, for `Row.goal`.

    Example:
        >>> goal(True, "p99 <= 50 ms")
        'met: p99 <= 50 ms'
    """
    return f"{'met' if met else 'MISSED'}: {text}"
