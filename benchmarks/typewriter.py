"""Typewriter fidelity: what a 400 chars/s typewriter shows against fast and slow sources.

A `StreamView(typewriter=400, max_lag=1.0)` in a log writes a stream of plain prose from
an async generator that sleeps between chunks:

- *burst*: 20 characters every 10 ms (2,000 chars/s) for 4 s (1 s with `--quick`). The
  typewriter must speed up so that no character waits more than `max_lag` to be shown.
- *slow*: 5 characters every 50 ms (100 chars/s) for the same time. The typewriter must
  show each chunk as it comes, never holding text back longer than the source does.

Each arrival is stamped with the number of characters so far. Each append to the
`MarkdownLines` is stamped, when it is appended to, with the length of the text it
brings the document to, and of the held-back text its preview shows (`**bol**` shows
`**bol`); at each painted frame (see `benchmarks.harness`) the length of
the last finished append is what that frame shows. The log is anchored to its end, as
the app's is, so that the frame does show it. From these, per run:

- the reveal rate: characters shown over the time from the first to the last shown;
- the largest lag: for each frame, how long ago the oldest newly shown character arrived;
- the longest stall: the longest time between frames that show more text, from the
  first shown to the last, against the longest gap between the source's chunks.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot

from benchmarks.harness import FrameClock, Row, goal, run_headless, settle
from benchmarks.llm_text import paragraph
from tui.app import STYLES
from tui.widgets.transcript import MarkdownLines
from tui.widgets.transcript.stream_view import StreamView

__all__ = ["run"]

RATE, MAX_LAG = 400.0, 1.0
SECONDS, QUICK_SECONDS = 4.0, 1.0
BURST = (20, 0.010)
"""Characters per chunk and seconds between chunks: 2,000 chars/s."""
SLOW = (5, 0.050)
"""100 chars/s."""
FRAME = 1 / 60


class TypewriterApp(App[None]):
    """A log holding one empty `StreamView` with the typewriter at `RATE`."""

    CSS_PATH = [STYLES / "app.tcss"]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="log"):
            yield StreamView(typewriter=RATE, max_lag=MAX_LAG)

    def on_mount(self) -> None:
        """Follow the end of the log, as the app's `MessageLog` does."""
        self.query_one("#log", VerticalScroll).anchor()


@dataclass
class Fidelity:
    """What the screen showed of one stream."""

    rate: float
    """Characters shown per second, from the first shown to the last."""
    lag: float
    """The longest any character waited between arriving and being shown."""
    stall: float
    """The longest time without more text shown, from the first shown to the last."""
    gap: float
    """The longest time between two of the source's chunks."""
    source_rate: float
    """Characters per second the source delivered, first chunk to last."""
    long_stalls: int
    """How many times the screen went longer than `gap` without more text."""


def _prose(size: int) -> str:
    import random

    rng = random.Random(11)
    text = ""
    while len(text) < size:
        text += paragraph(rng) + " "
    return text[:size]


def _common(left: str, right: str) -> int:
    """How many characters `left` and `right` share at their start."""
    for index, (a, b) in enumerate(zip(left, right, strict=False)):
        if a != b:
            return index
    return min(len(left), len(right))


@contextmanager
def _appended(text: str, lengths: list[int]) -> Iterator[None]:
    """While in the block, append to `lengths` how much of `text` each
    `MarkdownLines.append` shows: the document, and as much of the rest of `text` as the
    preview after it shows."""
    append = MarkdownLines.append

    def counted(lines: MarkdownLines, markdown: str, preview: str = "") -> None:
        append(lines, markdown, preview)
        length = len(lines.source)
        length += _common(text[length : length + len(preview)], preview)
        lengths.append(length)

    MarkdownLines.append = counted  # type: ignore[method-assign]
    try:
        yield
    finally:
        MarkdownLines.append = append  # type: ignore[method-assign]


async def _measure(chunk: int, pause: float, seconds: float) -> Fidelity:
    text = _prose(int(chunk * seconds / pause))
    arrivals: list[tuple[float, int]] = []  # (time, characters so far)
    shown: list[tuple[float, int]] = []

    async def source() -> AsyncIterator[str]:
        for start in range(0, len(text), chunk):
            await asyncio.sleep(pause)
            arrivals.append((time.perf_counter(), start + chunk))
            yield text[start : start + chunk]

    async def steps(pilot: Pilot[Any], clock: FrameClock) -> Fidelity:
        app = pilot.app
        view = app.query_one(StreamView)
        await settle(pilot, clock)
        display = app._display

        appended: list[int] = []

        def paint(screen: Any, renderable: Any) -> None:
            frames = clock.frames
            display(screen, renderable)
            count = appended[-1] if appended else 0
            if clock.frames > frames and (not shown or count > shown[-1][1]):
                shown.append((clock.last, count))

        app._display = paint  # type: ignore[method-assign]
        with _appended(text, appended):
            await view.write_stream(source(), cursor=None)
            await settle(pilot, clock)
        return _fidelity(arrivals, [s for s in shown if s[1]])

    result: Fidelity = await run_headless(TypewriterApp(), steps)
    return result


def _fidelity(arrivals: list[tuple[float, int]], shown: list[tuple[float, int]]) -> Fidelity:
    totals = [total for _, total in arrivals]
    lag, before = 0.0, 0
    for stamp, count in shown:
        oldest = bisect.bisect_left(totals, before + 1)  # the chunk of the first new char
        lag = max(lag, stamp - arrivals[min(oldest, len(arrivals) - 1)][0])
        before = count
    stamps = [stamp for stamp, _ in shown]
    arrived = [stamp for stamp, _ in arrivals]
    stalls = [b - a for a, b in pairwise(stamps)]
    gap = max(b - a for a, b in pairwise(arrived))
    return Fidelity(
        rate=(shown[-1][1] - shown[0][1]) / (stamps[-1] - stamps[0]),
        lag=lag,
        stall=max(stalls),
        gap=gap,
        source_rate=(totals[-1] - totals[0]) / (arrived[-1] - arrived[0]),
        long_stalls=sum(stall > gap for stall in stalls),
    )


async def run(quick: bool) -> list[Row]:
    """Stream the burst and the slow source; the report's rows."""
    seconds = QUICK_SECONDS if quick else SECONDS
    burst = await _measure(*BURST, seconds)
    slow = await _measure(*SLOW, seconds)
    source_rate = BURST[0] / BURST[1]
    slow_rate = SLOW[0] / SLOW[1]
    measured = "the source's measured rate (asyncio.sleep overshoots)"
    return [
        Row(
            "typewriter",
            f"{RATE:.0f} chars/s against a {source_rate:,.0f} chars/s burst: reveal rate",
            burst.rate,
            measured,
            burst.source_rate,
            f"{seconds:.0f} s of text; the typewriter speeds up to keep within max_lag",
            unit="chars/s",
        ),
        Row(
            "typewriter",
            "burst: largest lag, arrival to painted frame",
            burst.lag,
            "max_lag (tui/stream/pacing.py)",
            MAX_LAG,
            goal=goal(burst.lag <= MAX_LAG, f"within max_lag = {MAX_LAG:.1f} s"),
        ),
        Row(
            "typewriter",
            f"{RATE:.0f} chars/s against a {slow_rate:,.0f} chars/s source: reveal rate",
            slow.rate,
            measured,
            slow.source_rate,
            unit="chars/s",
        ),
        Row(
            "typewriter",
            "slow source: longest stall (no new text painted)",
            slow.stall,
            "the source's longest gap between chunks",
            slow.gap,
            f"{slow.long_stalls} of the stalls were longer than the source's gap; largest "
            f"lag {slow.lag * 1000:.0f} ms; the source pauses "
            f"{SLOW[1] * 1000:.0f} ms between chunks, the screen ticks every "
            f"{FRAME * 1000:.1f} ms",
            goal=goal(slow.stall <= slow.gap, "no stall longer than the source's gap"),
        ),
    ]
