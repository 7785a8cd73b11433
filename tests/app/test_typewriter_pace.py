"""The app's own pacing, measured: a StreamView types at its typewriter rate, and no
character waits longer than `max_lag` (issue 20, class 7: `rate * 1.5` and `max_lag * 10`
in the display went unnoticed).

The rate is counted, not timed against the wall: characters revealed (`chars_revealed`)
against the event loop's own clock, the one the typewriter is given, over a window of
seconds, so that a late frame on a busy machine moves the result by a few percent only.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual.app import App, ComposeResult

from tui import StreamView

RATE = 150.0
"""Characters per second asked for."""
TOLERANCE = 0.2
"""How far the measured rate may be from `RATE`: a mistake of half as fast again is not."""


class PaceApp(App[None]):
    def __init__(self, typewriter: float, max_lag: float) -> None:
        super().__init__()
        self.typewriter = typewriter
        self.max_lag = max_lag

    def compose(self) -> ComposeResult:
        yield StreamView(typewriter=self.typewriter, max_lag=self.max_lag)


def held_open(text: str) -> Any:
    """A stream that sends `text` at once and stays open, so no end drains the tail."""

    async def stream() -> Any:
        yield text
        await asyncio.sleep(600)

    return stream()


async def samples(view: StreamView, total: int, timeout: float = 60) -> list[tuple[float, int]]:
    """(loop time, characters revealed), every 20 ms, until all `total` are revealed."""
    loop = asyncio.get_running_loop()
    found: list[tuple[float, int]] = []
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        found.append((loop.time(), view.chars_revealed))
        if view.chars_revealed >= total:
            return found
        await asyncio.sleep(0.02)
    raise AssertionError(f"only {view.chars_revealed} of {total} revealed in {timeout:g} s")


async def test_text_is_typed_at_the_typewriter_rate() -> None:
    text = "word " * 90  # three seconds of typing
    async with PaceApp(typewriter=RATE, max_lag=600).run_test() as pilot:
        view = pilot.app.query_one(StreamView)
        task = asyncio.create_task(view.write_stream(held_open(text)))
        found = await samples(view, len(text))
        task.cancel()
        await pilot.pause()
    typing = [(at, count) for at, count in found if 0 < count < len(text)]
    (start, first), (end, last) = typing[0], typing[-1]
    assert end - start > 1.0, "a window long enough to measure"
    measured = (last - first) / (end - start)
    assert abs(measured - RATE) < TOLERANCE * RATE, f"typed at {measured:.0f} chars/s"


async def test_no_text_waits_longer_than_max_lag() -> None:
    """At 1 char/s, 300 characters would take five minutes: `max_lag` of 0.5 s shows
    them all within it (plus a busy machine's late frames, generously)."""
    text = "x" * 300
    async with PaceApp(typewriter=1, max_lag=0.5).run_test() as pilot:
        view = pilot.app.query_one(StreamView)
        task = asyncio.create_task(view.write_stream(held_open(text)))
        found = await samples(view, len(text))
        task.cancel()
        await pilot.pause()
    assert view.first_content_at is not None
    waited = found[-1][0] - view.first_content_at
    assert waited < 2.5, f"the last character waited {waited:.2f} s"
