"""Streaming scale: LLM Markdown in 4-character chunks, through StreamView and two baselines.

The same deterministic Markdown (`benchmarks.llm_text`; 1 MB, or 6 kB with `--quick`)
is cut into 4-character chunks and streamed, as fast as the app takes it, by an async
generator that yields to the loop after each chunk, as a network stream does.
Everything goes into a `StreamView` in a log that follows the end, with the app's CSS:

- **StreamView**: `await view.write_stream(source, cursor=None)`, typewriter off, all of
  it (its `MarkdownLines` appends at most once a frame);
- **raw MarkdownStream**: `await stream.write(chunk)` per chunk into a `Markdown` of the
  same class, then `await stream.stop()`;
- **naive**: `await markdown.update(text_so_far)` per chunk, as elia and shell-gpt do.

StreamView streams every chunk. The two baselines' cost per chunk grows with the text
shown, so streaming 1 MB through them would take hours (naive) or most of an hour (raw):
each is timed for a few chunks at several prefix lengths up to a cap (`RAW_AT`,
`NAIVE_AT`), a line and a power law are fitted to cost per chunk against the length
shown, and the lower of the two totals over every chunk is the baseline's figure (see
`benchmarks.fit`). The output says so and gives the points measured and the fit.

Each run ends at the last frame of the settled screen (see `benchmarks.harness`), so
layout and painting are counted. StreamView's per-chunk cost at the start and at the end
is timed by what it has shown (see `_time_view`), since its flow appends what has queued
at most once a frame and can fall behind a fast source.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Markdown

from benchmarks.fit import Fit, fit
from benchmarks.harness import FrameClock, Row, goal, run_headless, settle
from benchmarks.llm_text import llm_markdown
from tui.app import STYLES
from tui.widgets.transcript import MarkdownLines
from tui.widgets.transcript.stream_view import StreamView

__all__ = ["run"]

CHUNK = 4
SIZE, QUICK_SIZE = 1_000_000, 6_000
RAW_AT, QUICK_RAW_AT = (25_000, 50_000, 100_000, 150_000, 200_000), (600, 1_500, 3_000)
"""Characters shown when raw `Markdown.get_stream()` is timed: capped, then extrapolated."""
RAW_CHUNKS, QUICK_RAW_CHUNKS = 100, 20
"""Chunks raw `MarkdownStream` is timed for at each of `RAW_AT`."""
NAIVE_AT, QUICK_NAIVE_AT = (10_000, 20_000, 30_000, 40_000, 50_000), (600, 1_500, 3_000)
"""Characters shown when the naive path is timed: capped, then extrapolated."""
NAIVE_CHUNKS = 1
"""Chunks the naive path is timed for at each of `NAIVE_AT`: one whole `update` each,
seconds of the same work every time, so five points fit better than two chunks at three."""


class StreamApp(App[None]):
    """A log that follows its end, holding one empty `StreamView`.

    Nothing has focus, as in `ChatApp`, where the prompt has it, not the log. (A focused
    log would also make the app's exit restyle every widget of the answer as it blurs:
    seconds for a long one, spent after the measurement.)
    """

    CSS_PATH = [STYLES / "app.tcss"]
    AUTO_FOCUS = None

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
def _recording_appends() -> Iterator[list[tuple[float, int]]]:
    """Record each `MarkdownLines` append (a re-parse of its open tail; the layout and
    paint follow in the next frame) as it completes: when, and how many characters the
    document then holds."""
    shown: list[tuple[float, int]] = []
    append = MarkdownLines.append

    def recorded(self: MarkdownLines, text: str, preview: str = "") -> None:
        append(self, text, preview)
        shown.append((time.perf_counter(), len(self.source)))

    MarkdownLines.append = recorded  # type: ignore[method-assign]
    try:
        yield shown
    finally:
        MarkdownLines.append = append  # type: ignore[method-assign]


async def _source(chunks: list[str], stamps: list[float]) -> AsyncIterator[str]:
    for chunk in chunks:
        stamps.append(time.perf_counter())
        yield chunk
        await asyncio.sleep(0)


async def _time_view(chunks: list[str]) -> Run:
    """Stream `chunks` through a `StreamView`, typewriter off, and time it to its last paint.

    The cost per chunk at the start is the time until the first append that shows at least
    a tenth of the text, divided by the chunks it shows; at the end, the time from the last
    append showing at most nine tenths to the last paint, divided by the chunks shown after
    it. Timing what is shown, not what the source has sent, counts a flow that falls behind
    the source where it falls behind.
    """

    async def steps(pilot: Pilot[Any], clock: FrameClock) -> Run:
        view = pilot.app.query_one(StreamView)
        await settle(pilot, clock)
        frames = clock.frames
        size = sum(map(len, chunks))
        start = time.perf_counter()
        with _recording_appends() as shown:
            await view.write_stream(_source(chunks, []), cursor=None)
            end = await settle(pilot, clock)
        first_at, first = next((t, n) for t, n in shown if n >= size / 10)
        last_at, last = max(((t, n) for t, n in shown if n <= size * 0.9), default=(start, 0))
        return Run(
            total=end - start,
            first=(first_at - start) / (first / size * len(chunks)),
            last=(end - last_at) / ((size - last) / size * len(chunks)),
            frames=clock.frames - frames,
            appends=len(shown),
        )

    return await run_headless(StreamApp(), steps)


async def time_baseline(
    chunks: list[str], path: str, starts: Sequence[int], count: int
) -> list[float]:
    """Seconds per chunk of `path` ("raw" or "naive") for `count` chunks from each of `starts`.

    One `Markdown` grows along the text as a stream would grow it: up to each start (a
    chunk index, in rising order) the text not shown yet is appended in one
    `Markdown.append`, untimed, and painted. Then `count` chunks are streamed and timed
    to their last paint: through `Markdown.get_stream()` ("raw") or with
    `Markdown.update(text so far)` per chunk ("naive"). (An `update` of the text up to a
    start would leave `MarkdownStream` parsing from the last line, not from the start of
    the last block, which makes raw cheaper than it is inside a long block.)
    """

    async def steps(pilot: Pilot[Any], clock: FrameClock) -> list[float]:
        markdown = Markdown(classes="streamed")
        await pilot.app.query_one(StreamView).mount(markdown)
        costs, shown = [], 0
        for start_at in starts:
            assert start_at >= shown, f"starts must rise by at least {count}: {starts}"
            if start_at > shown:
                await markdown.append("".join(chunks[shown:start_at]))
            await settle(pilot, clock)
            start = time.perf_counter()
            if path == "raw":
                stream = Markdown.get_stream(markdown)
                async for chunk in _source(chunks[start_at : start_at + count], []):
                    await stream.write(chunk)
                await stream.stop()
            else:
                for end in range(start_at + 1, start_at + count + 1):
                    await markdown.update("".join(chunks[:end]))
            costs.append((await settle(pilot, clock) - start) / count)
            shown = start_at + count
        return costs

    return await run_headless(StreamApp(), steps)


def baseline_fit(
    chunks: list[str], costs: Sequence[float], starts: Sequence[int]
) -> tuple[Fit, list[int]]:
    """The fit of `costs` measured at chunk indices `starts`, and every chunk's prefix length."""
    lengths = list(itertools.accumulate((len(chunk) for chunk in chunks[:-1]), initial=0))
    return fit([(lengths[i], cost) for i, cost in zip(starts, costs, strict=True)]), lengths


def starts_at(chunks: list[str], lengths: Sequence[int]) -> list[int]:
    """The index of the first chunk after each of `lengths` characters of `chunks`."""
    ends = list(itertools.accumulate(len(chunk) for chunk in chunks))
    return [next(i for i, end in enumerate(ends) if end > length) for length in lengths]


def _kb(length: float) -> str:
    return f"{length / 1000:,.0f} kB"


async def run(quick: bool) -> list[Row]:
    """Stream through StreamView, and the baselines capped and fitted; the report's rows."""
    text = llm_markdown(QUICK_SIZE if quick else SIZE)
    chunks = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)]
    kb = _kb(len(text))
    raw_at, raw_count = (QUICK_RAW_AT, QUICK_RAW_CHUNKS) if quick else (RAW_AT, RAW_CHUNKS)
    naive_at = QUICK_NAIVE_AT if quick else NAIVE_AT
    began = time.perf_counter()
    view = await _time_view(chunks)
    raw_starts, naive_starts = starts_at(chunks, raw_at), starts_at(chunks, naive_at)
    viewed = time.perf_counter()
    raw = await time_baseline(chunks, "raw", raw_starts, raw_count)
    raws = time.perf_counter()
    naive = await time_baseline(chunks, "naive", naive_starts, NAIVE_CHUNKS)
    print(
        f"streaming took: StreamView {viewed - began:.0f} s, raw {raws - viewed:.0f} s, "
        f"naive {time.perf_counter() - raws:.0f} s",
        file=sys.stderr,
    )
    raw_fit, lengths = baseline_fit(chunks, raw, raw_starts)
    naive_fit, _ = baseline_fit(chunks, naive, naive_starts)
    raw_total, naive_total = raw_fit.total(lengths), naive_fit.total(lengths)
    tenth = len(chunks) // 10
    first = min(range(len(raw_at)), key=lambda i: abs(raw_at[i] - len(text) / 20))
    model = raw_fit.model(lengths)
    raw_last = sum(raw_fit.at(length, model) for length in lengths[-tenth:]) / tenth
    capped = f"{len(raw_at)} lengths up to {_kb(max(raw_at))}, fitted, extrapolated"
    return [
        Row(
            "streaming",
            f"{kb} of Markdown, {len(chunks):,} chunks of {CHUNK}: total",
            view.total,
            f"raw Markdown.get_stream(): {raw_count} chunks at each of {capped}",
            raw_total,
            f"StreamView/raw = {view.total / raw_total:.2g}; raw "
            f"{raw_fit.describe(lengths)}; StreamView painted {view.frames:,} frames, "
            f"{view.appends:,} appends",
            goal=goal(view.total <= raw_total, "at most 1.0x raw"),
        ),
        Row(
            "streaming",
            "per chunk, first 10% of chunks",
            view.first,
            f"raw, at {_kb(raw_at[first])} shown (measured)",
            raw[first],
        ),
        Row(
            "streaming",
            "per chunk, last 10% of chunks (with the final paint)",
            view.last,
            f"raw over the last 10% ({_kb(lengths[-tenth])} to {kb} shown), by the fit",
            raw_last,
            f"last/first: StreamView {view.last / view.first:.2f}x, raw "
            f"{raw_last / raw[first]:.2f}x",
            goal=goal(view.last <= 1.5 * view.first, "last 10% within 1.5x of the first"),
        ),
        Row(
            "streaming",
            f"{kb} total, against naive",
            view.total,
            "naive Markdown.update(text) per chunk: 1 chunk timed at each of "
            f"{len(naive_at)} lengths up to {_kb(max(naive_at))}, fitted, extrapolated",
            naive_total,
            f"naive/StreamView = {naive_total / view.total:,.0f}; naive "
            f"{naive_fit.describe(lengths)}",
            goal=goal(naive_total >= 50 * view.total, "at least 50x faster than naive"),
        ),
    ]
