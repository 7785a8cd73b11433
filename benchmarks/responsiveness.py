"""Responsiveness: key to repainted prompt while an answer streams as fast as it can.

A `ChatApp` streams Markdown (`benchmarks.llm_text`) from a backend that yields it in
4-character chunks, handing the loop back after each one, with the typewriter off: the
heaviest load a stream puts on the app. Meanwhile letters are typed into the prompt,
one at a time, with 10-40 ms between them as a fast typist would. Each key is posted
as the terminal driver posts it, and its latency runs from then to the end of the first
frame in which the prompt was rendered showing it (the prompt's `render_line` records
the text it drew; the frame hook of `benchmarks.harness` stamps the frame). The
baseline is the same typing into the same app with nothing streaming.

Once the keys are typed, Esc stops the answer (`action_stop`), and the time from then to
the turn's end and its settled paint is reported too, with how much had streamed: a user
who stops a long answer waits that long for the app to answer again.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from benchmarks.harness import FrameClock, Row, goal, percentile, run_headless, settle
from benchmarks.llm_text import llm_markdown

__all__ = ["run"]

KEYS, QUICK_KEYS = 150, 20
GOAL = 0.050
CHUNK = 4
TEXT = 100_000
"""Characters of Markdown the answer repeats until the typing is done and stops it."""


SENT = [0]
"""Characters `fast_backend` has yielded since the last reset."""


async def fast_backend(messages: list[dict[str, Any]]) -> AsyncIterator[str]:
    """An endless answer in 4-character chunks, as fast as the app takes it: however fast
    the app streams, it is still streaming when the last key is typed."""
    text = llm_markdown(TEXT)
    while True:
        for start in range(0, len(text), CHUNK):
            SENT[0] += CHUNK
            yield text[start : start + CHUNK]
            await asyncio.sleep(0)


async def _type(
    pilot: Pilot[Any], clock: FrameClock, keys: int, streaming: bool
) -> tuple[list[float], float]:
    """Type `keys` letters into the prompt; each one's seconds from key to painted frame,
    and, when `streaming`, seconds from Esc to the stopped turn painted."""
    from tui.widgets.chat.prompt_input import PromptInput

    app = pilot.app
    prompt = app.query_one(PromptInput)
    prompt.focus()
    if streaming:
        app.run_turn("Tell me everything.")  # type: ignore[attr-defined]
        while not app.query("StreamView MarkdownLines"):
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.5)  # well into the stream
    else:
        await settle(pilot, clock)
    drawn = {"text": prompt.text}
    render_line = prompt.render_line

    def recording(y: int) -> Any:
        drawn["text"] = prompt.text
        return render_line(y)

    prompt.render_line = recording  # type: ignore[method-assign]
    shown = asyncio.Event()
    wanted = {"text": ""}
    display = app._display

    def paint(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if wanted["text"] and drawn["text"] == wanted["text"]:
            wanted["stamp"] = time.perf_counter()  # type: ignore[assignment]
            shown.set()

    app._display = paint  # type: ignore[method-assign]
    rng = random.Random(3)
    latencies = []
    for index in range(keys):
        letter = "abcdefghij"[index % 10]
        shown.clear()
        wanted["text"] = prompt.text + letter
        start = time.perf_counter()
        app.post_message(events.Key(letter, letter))
        await asyncio.wait_for(shown.wait(), timeout=10)
        latencies.append(wanted["stamp"] - start)  # type: ignore[operator]
        await asyncio.sleep(rng.uniform(0.010, 0.040))
    stopped = 0.0
    if streaming:
        assert app.busy, "the answer finished before the typing did"  # type: ignore[attr-defined]
        start = time.perf_counter()
        app.action_stop()  # type: ignore[attr-defined]
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
        stopped = await settle(pilot, clock) - start
    return latencies, stopped


async def _measure(keys: int, streaming: bool) -> tuple[list[float], float]:
    from tui.app import ChatApp

    app = ChatApp(backend=fast_backend, typewriter=0, cursor=None)

    async def steps(pilot: Pilot[Any], clock: FrameClock) -> tuple[list[float], float]:
        return await _type(pilot, clock, keys, streaming)

    result: tuple[list[float], float] = await run_headless(app, steps)
    return result


async def run(quick: bool) -> list[Row]:
    """Type while streaming, then while idle; the report's rows."""
    keys = QUICK_KEYS if quick else KEYS
    SENT[0] = 0
    busy, stopped = await _measure(keys, streaming=True)
    sent = SENT[0]
    idle, _ = await _measure(keys, streaming=False)
    p99 = percentile(busy, 0.99)
    baseline = "the same keys, nothing streaming"
    return [
        Row(
            "responsiveness",
            f"key to repainted prompt while streaming, p50 ({keys} keys)",
            percentile(busy, 0.5),
            baseline,
            percentile(idle, 0.5),
            f"max {max(busy) * 1000:.0f} ms; typewriter off, 4-character chunks",
        ),
        Row(
            "responsiveness",
            "key to repainted prompt while streaming, p99",
            p99,
            baseline,
            percentile(idle, 0.99),
            goal=goal(p99 <= GOAL, "p99 <= 50 ms"),
        ),
        Row(
            "responsiveness",
            "Esc while streaming: to the stopped turn, painted",
            stopped,
            note=f"after {sent / 1000:,.0f} kB had streamed, as fast as the app took it, "
            f"while the {keys} keys were typed",
        ),
    ]
