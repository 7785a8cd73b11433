"""Streaming scale: LLM Markdown in 4-character chunks, through three write paths.

The same deterministic Markdown (`benchmarks.llm_text`; 200 kB, or 6 kB with `--quick`;
issue 7 asks for 1 MB eventually) is cut into 4-character chunks and streamed, as fast as
the app takes it, by an async generator that yields to the loop after each chunk, as a
network stream does. It goes into a `Markdown` inside a `StreamView`, so the app's CSS
(`layout: stream`) applies alike, inside a log that scrolls to follow the end:

- **StreamView**: `await view.write_stream(source, cursor=None)`, typewriter off;
- **raw MarkdownStream**: `await stream.write(chunk)` per chunk into a `Markdown` of
  the same class, then `await stream.stop()`;
- **naive**: `await markdown.update(text_so_far)` per chunk, as elia and shell-gpt do.
  Its cost per chunk grows with the text, so streaming it all would take hours: it is
  timed for a few chunks at the middle of each third of the text, after the text up to
  there has been shown, and that cost is extrapolated over the third's chunks (exact
  if the cost grows linearly with the text, as re-rendering all of it does).

Each run ends at the last frame of the settled screen (see `benchmarks.harness`), so
layout and painting are counted. The per-chunk cost of a tenth of the stream is the wall
time from its first chunk's arrival to the next tenth's (for the last tenth, to the
end), divided by its chunks: what the app spent on each chunk, backlog included.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Markdown

from benchmarks.harness import FrameClock, Row, run_headless, settle
from benchmarks.llm_text import llm_markdown
from tui.app import STYLES
from tui.widgets.stream_view import StreamView

__all__ = ["run"]

CHUNK = 4
SIZE, QUICK_SIZE = 200_000, 6_000
NAIVE_AT = (1 / 6, 1 / 2, 5 / 6)
"""Where along the text the naive path is timed: the middle of each third."""
NAIVE_CHUNKS = 2
"""Chunks the naive path is timed for at each of `NAIVE_AT`."""


class StreamApp(App[None]):
    """A log that follows its end, holding one empty `StreamView`."""

    CSS_PATH = [STYLES / "app.tcss"]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="log"):
            yield StreamView(typewriter=0)

    def on_mount(self) -> None:
        self.query_one("#log", VerticalScroll).anchor()


@dataclass
class Run:
    """One path's seconds, in all and per chunk in its first and last tenths; its frames
    painted and its `Markdown.append` calls."""

    total: float
    first: float
    last: float
    frames: int
    appends: int


@contextmanager
def _counting_appends() -> Iterator[list[str]]:
    """Record each `Markdown.append` (a re-parse of the last block and a new layout)."""
    calls: list[str] = []
    append = Markdown.append

    def counted(self: Markdown, markdown: str) -> Any:
        calls.append(markdown)
        return append(self, markdown)

    Markdown.append = counted  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        Markdown.append = append  # type: ignore[method-assign]


async def _source(chunks: list[str], stamps: list[float]) -> AsyncIterator[str]:
    for chunk in chunks:
        stamps.append(time.perf_counter())
        yield chunk
        await asyncio.sleep(0)


async def _time_path(chunks: list[str], path: str) -> Run:
    """Stream `chunks` down `path`, "view" or "raw", and time it to its last paint."""

    async def steps(pilot: Pilot[Any], clock: FrameClock) -> Run:
        view = pilot.app.query_one(StreamView)
        await settle(pilot, clock)
        frames, stamps = clock.frames, []
        start = time.perf_counter()
        with _counting_appends() as appends:
            if path == "view":
                await view.write_stream(_source(chunks, stamps), cursor=None)
            else:
                markdown = Markdown(classes="streamed")
                await view.mount(markdown)
                stream = Markdown.get_stream(markdown)
                async for chunk in _source(chunks, stamps):
                    await stream.write(chunk)
                await stream.stop()
            end = await settle(pilot, clock)
        tenth = len(stamps) // 10
        return Run(
            total=end - start,
            first=(stamps[tenth] - stamps[0]) / tenth,
            last=(end - stamps[-tenth]) / tenth,
            frames=clock.frames - frames,
            appends=len(appends),
        )

    return await run_headless(StreamApp(), steps)


async def _time_naive(chunks: list[str]) -> list[float]:
    """The naive path's seconds per chunk at each of `NAIVE_AT`, to its last paint."""

    async def steps(pilot: Pilot[Any], clock: FrameClock) -> list[float]:
        markdown = Markdown(classes="streamed")
        await pilot.app.query_one(StreamView).mount(markdown)
        costs = []
        for fraction in NAIVE_AT:
            at = int(len(chunks) * fraction)
            await markdown.update("".join(chunks[:at]))
            await settle(pilot, clock)
            start = time.perf_counter()
            for end in range(at + 1, at + NAIVE_CHUNKS + 1):
                await markdown.update("".join(chunks[:end]))
            costs.append((await settle(pilot, clock) - start) / NAIVE_CHUNKS)
        return costs

    return await run_headless(StreamApp(), steps)


async def run(quick: bool) -> list[Row]:
    """Stream through the three paths; return the report's rows."""
    text = llm_markdown(QUICK_SIZE if quick else SIZE)
    chunks = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)]
    kb = f"{len(text) / 1000:.0f} kB"
    view = await _time_path(chunks, "view")
    raw = await _time_path(chunks, "raw")
    naive = await _time_naive(chunks)
    naive_total = sum(naive) * len(chunks) / len(naive)
    growth = (
        f"last/first: StreamView {view.last / view.first:.2f}x, raw {raw.last / raw.first:.2f}x"
    )
    at = ", ".join(f"{cost * 1000:.0f}" for cost in naive)
    return [
        Row(
            "streaming",
            f"{kb} of Markdown, {len(chunks):,} chunks of {CHUNK}: total",
            view.total,
            "raw Markdown.get_stream() writes",
            raw.total,
            f"StreamView/raw = {view.total / raw.total:.2f} (goal <= 1.0); frames painted: "
            f"{view.frames:,} vs {raw.frames:,}; Markdown.append calls: {view.appends:,} vs "
            f"{raw.appends:,}; issue 7 asks for 1 MB",
        ),
        Row("streaming", "per chunk, first 10% of chunks", view.first, "raw", raw.first),
        Row(
            "streaming",
            "per chunk, last 10% of chunks",
            view.last,
            "raw",
            raw.last,
            f"{growth} (goal <= 1.5x)",
        ),
        Row(
            "streaming",
            f"{kb} total, against naive",
            view.total,
            f"naive Markdown.update(text) per chunk: {NAIVE_CHUNKS} chunks timed at each of "
            f"{len(NAIVE_AT)} points, extrapolated",
            naive_total,
            f"naive/StreamView = {naive_total / view.total:,.0f} (goal >= 50); naive ms per "
            f"chunk at {', '.join(f'{f:.0%}' for f in NAIVE_AT)} of the text: {at}",
        ),
    ]
