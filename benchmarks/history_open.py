"""Opening a long stored session: 2,000 messages, against mounting every one up front.

A session of 1,000 prompt/answer pairs (60 with `--quick`) is written to a
temporary SQLite file through `HistoryStore`. Answers are a few paragraphs of Markdown,
with now and then a list; one in a hundred holds a small DataFrame. Two steps are timed
to the settled paint (see `benchmarks.harness`):

- *start*: from constructing `ChatApp(backend=echo, history=store, session_id=...)` to
  the first settled screen with the session shown (the app mounts only the latest turns);
- *reopen*: `await app.open_session(session_id)` in the running app.

The baseline is a plain Textual app that reads the same messages from the same store and
mounts a `Markdown` for every one of them in a `VerticalScroll`, at start and again to
reopen. Its widgets are lighter than the chat's (no borders, tables shown as text), so it
is a lower bound on the cost of mounting everything. In full mode it is run on a session
of `EAGER_CAP` messages and its times are scaled linearly to the whole session, which
keeps it to seconds instead of minutes. Mounting costs a little more per message the more
there are (start, per message, on a loaded machine: 16, 20 and 26 ms at 100, 200 and 400
messages), so the scaled figure errs low, in the baseline's favour.

The benchmark is skipped, with a row that says so, when `tui.history.store` can't be
imported.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Markdown

from benchmarks.harness import FrameClock, Row, run_headless, settle
from benchmarks.llm_text import paragraph, sentence

__all__ = ["run"]

MESSAGES, QUICK_MESSAGES = 2_000, 60
TABLE_EVERY = 100
"""One answer in this many holds a DataFrame."""
EAGER_CAP = 200
"""Messages the baseline mounts in full mode; its times are extrapolated from there."""


def _answer(rng: random.Random, index: int) -> str | list[Any]:
    text = "\n\n".join(paragraph(rng) for _ in range(rng.randint(2, 4)))
    if rng.random() < 0.3:
        text += "\n\n" + "\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 5)))
    if index % TABLE_EVERY:
        return text
    frame = pd.DataFrame({"item": list("abcde"), "value": [rng.random() for _ in range(5)]})
    return [text, frame, "The table above sums it up."]


def build_session(store: Any, messages: int) -> int:
    """Write a session of `messages` messages, alternately prompt and answer; its id."""
    rng = random.Random(5)
    session_id: int = store.create_session(title="a long chat", backend="demo")
    for index in range(messages // 2):
        store.add_message(session_id, "user", sentence(rng))
        store.add_message(session_id, "assistant", _answer(rng, index))
    return session_id


def _as_markdown(value: str | list[Any]) -> str:
    parts = [value] if isinstance(value, str) else value
    return "\n\n".join(p if isinstance(p, str) else f"```\n{p}\n```" for p in parts)


class EagerApp(App[None]):
    """The baseline: a `Markdown` for every stored message, all mounted at once.

    Nothing has focus, as in `ChatApp`'s log (a focused log would restyle every message
    as the app exits and it blurs: seconds, after the measurement).
    """

    AUTO_FOCUS = None

    def __init__(self, store: Any, session_id: int) -> None:
        super().__init__()
        self.store = store
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="log")

    async def on_mount(self) -> None:
        await self.reopen()

    async def reopen(self) -> None:
        """Read the session again and mount every message of it."""
        log = self.query_one("#log", VerticalScroll)
        await log.remove_children()
        messages = self.store.messages(self.session_id)
        await log.mount_all([Markdown(_as_markdown(m.value)) for m in messages])
        log.scroll_end(animate=False)


async def _time_app(make: Any, reopen: Any) -> tuple[float, float]:
    """Start the app `make()` returns, then `reopen` it; seconds to each settled paint."""
    start = time.perf_counter()
    app = make()

    async def steps(pilot: Pilot[Any], clock: FrameClock) -> tuple[float, float]:
        opened = await settle(pilot, clock) - start
        shown = pilot.app.query("Markdown, MarkdownLines")
        assert len(shown) > 1, "the session is not shown"
        again = time.perf_counter()
        await reopen(pilot.app)
        return opened, await settle(pilot, clock) - again

    return await run_headless(app, steps)


async def run(quick: bool) -> list[Row]:
    """Build the session, time both apps; return the report's rows."""
    try:
        from tui.history.store import HistoryStore
    except ImportError as error:
        print(f"skipped: history store not available ({error})", file=sys.stderr)
        return [Row("history_open", "skipped: history store not available", None)]
    from tui.app import ChatApp
    from tui.backends.echo import echo

    count = QUICK_MESSAGES if quick else MESSAGES
    with (
        tempfile.TemporaryDirectory() as folder,
        HistoryStore(Path(folder) / "history.sqlite3") as store,
    ):
        session_id = build_session(store, count)
        eager_count = min(count, EAGER_CAP)
        eager_id = session_id if eager_count == count else build_session(store, eager_count)
        start, reopen = await _time_app(
            lambda: ChatApp(backend=echo, history=store, session_id=session_id, typewriter=0),
            lambda app: app.open_session(session_id),
        )
        eager_start, eager_reopen = await _time_app(
            lambda: EagerApp(store, eager_id), lambda app: app.reopen()
        )
    scale = count / eager_count
    eager_start, eager_reopen = eager_start * scale, eager_reopen * scale
    baseline = f"a Markdown per message, all {count:,} mounted"
    if scale != 1:
        baseline += f" (measured at {eager_count:,}, scaled x{scale:g})"
    tables = len(range(0, count // 2, TABLE_EVERY))
    return [
        Row(
            "history_open",
            f"{count:,}-message session: app start to settled paint",
            start,
            baseline,
            eager_start,
            f"ChatApp mounts the latest turns; tables in {tables} of {count // 2:,} answers",
        ),
        Row(
            "history_open",
            "open_session() in the running app, to settled paint",
            reopen,
            baseline + " again",
            eager_reopen,
            "goal (issue 5): a 2,000-message session opens in under a second",
        ),
    ]
