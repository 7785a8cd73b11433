"""Giant blocks: one 200 kB fenced code block, and one 200 kB paragraph, in 4-character
chunks through a `StreamView` (typewriter off), against raw `Markdown.get_stream()`.

Textual's `MarkdownStream` re-parses, re-highlights and re-renders the whole last block on
every append, so its cost per chunk grows with the block; `MarkdownLines` seals a fence's
finished front in pieces. Raw `MarkdownStream` would take hours here, so it is
timed for a few chunks at 10% and at 90% of the block, after the text up to there has
been appended, and its total is extrapolated along the line through those two points
(see `benchmarks.streaming.time_baseline` and `benchmarks.fit`).
"""

from __future__ import annotations

import random

from benchmarks.harness import Row, goal
from benchmarks.llm_text import paragraph
from benchmarks.streaming import CHUNK, _time_view, baseline_fit, time_baseline

__all__ = ["giant_fence", "giant_paragraph", "run"]

SIZE, QUICK_SIZE = 200_000, 8_000
RAW_AT = (0.1, 0.9)
RAW_CHUNKS, QUICK_RAW_CHUNKS = 5, 2
"""Chunks raw is timed for at each point. Inside a giant block each raw append re-parses
(and, in a fence, re-highlights) the whole block, seconds at 90%, so few chunks share an
append and 5 give the cost per chunk that 20 gave (fence: 354 and 3,307 ms against 268
and 3,745 ms, on a loaded machine)."""


def giant_fence(size: int) -> str:
    """One fenced Python block of about `size` characters."""
    lines, length = ["```python"], 0
    while length < size:
        lines.append(f"    value_{len(lines)} = [row[i] * {len(lines) % 9} for i in range(10)]")
        length += len(lines[-1]) + 1
    return "\n".join([*lines, "```"]) + "\n"


def giant_paragraph(size: int) -> str:
    """One paragraph of about `size` characters, on one line, as an LLM writes it."""
    rng = random.Random(5)
    parts, length = [], 0
    while length < size:
        parts.append(paragraph(rng))
        length += len(parts[-1]) + 1
    return " ".join(parts) + "\n"


async def run(quick: bool) -> list[Row]:
    """Stream each giant block; return the report's rows."""
    size = QUICK_SIZE if quick else SIZE
    count = QUICK_RAW_CHUNKS if quick else RAW_CHUNKS
    rows = []
    for name, text in (("fence", giant_fence(size)), ("paragraph", giant_paragraph(size))):
        chunks = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)]
        view = await _time_view(chunks)
        starts = [int(len(chunks) * at) for at in RAW_AT]
        raw = await time_baseline(chunks, "raw", starts, count)
        raw_fit, lengths = baseline_fit(chunks, raw, starts)
        raw_total = raw_fit.total(lengths)
        rows += [
            Row(
                "giant_blocks",
                f"one {len(text) / 1000:.0f} kB {name}, {len(chunks):,} chunks: total",
                view.total,
                f"raw Markdown.get_stream(): {count} chunks timed at 10% and 90%, extrapolated",
                raw_total,
                f"StreamView painted {view.frames:,} frames, {view.appends:,} appends; raw "
                f"{raw_fit.describe(lengths)}",
            ),
            Row(
                "giant_blocks",
                f"{name}: per chunk, last 10% (with the final paint) / first 10%",
                view.last,
                "raw, at 90%",
                raw[-1],
                f"last/first: StreamView {view.last / view.first:.2f}x "
                f"({view.first * 1000:.2f} -> {view.last * 1000:.2f} ms), raw "
                f"{raw[-1] / raw[0]:.1f}x ({raw[0] * 1000:.1f} -> {raw[-1] * 1000:.1f} ms)",
                goal=goal(view.last <= 1.5 * view.first, "last 10% within 1.5x of the first"),
            ),
        ]
    return rows
