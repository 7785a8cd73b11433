"""Screen snapshots of the states a user sees, one class per feature.

Every snapshot is settled: the typewriter is at 0, animations are off, the demo does not
sleep, and each test waits for the turn's worker to finish before the screenshot.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator
from functools import partial
from typing import Any

import pandas as pd
import pytest
from textual.pilot import Pilot

from tests.app.helpers import Gate, failing, make_app
from tui.backends.demo import demo
from tui.widgets.chat.prompt_input import PromptInput

instant_demo = partial(demo, delay=0)


async def send(pilot: Pilot[Any], text: str) -> None:
    """Type a prompt, send it, and wait until the answer is settled on screen."""
    prompt = pilot.app.query_one(PromptInput)
    prompt.cursor_blink = False
    prompt.insert(text)
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class TestEmptyApp:
    def test_empty_app(self, snap_compare: Any) -> None:
        """The welcome line, the prompt and the footer, before anything is sent."""

        async def settle(pilot: Pilot[Any]) -> None:
            pilot.app.query_one(PromptInput).cursor_blink = False

        app = make_app(instant_demo, backend_name="demo")
        assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


class TestDemoTurn:
    def test_finished_turn_shows_text_table_and_json(self, snap_compare: Any) -> None:
        """A whole demo answer: Markdown, then a DataFrame, then a dict, then text."""
        app = make_app(instant_demo, backend_name="demo")
        run = partial(send, text="hello, show me a data table")
        assert snap_compare(app, terminal_size=(100, 60), run_before=run)

    def test_80_by_24(self, snap_compare: Any) -> None:
        """A common terminal: the log follows the end of the answer."""
        app = make_app(instant_demo, backend_name="demo")
        assert snap_compare(app, terminal_size=(80, 24), run_before=partial(send, text="hi"))

    def test_40_by_20(self, snap_compare: Any) -> None:
        """A narrow terminal: text wraps and the table scrolls sideways."""
        app = make_app(instant_demo, backend_name="demo")
        assert snap_compare(app, terminal_size=(40, 20), run_before=partial(send, text="hi"))


class TestStoppedTurn:
    def test_stopped_turn_keeps_what_arrived(self, snap_compare: Any) -> None:
        """Esc mid-answer: the partial text stays, and the message says it was stopped."""
        gate = Gate("The first half of an answer, and then ")

        async def stop(pilot: Pilot[Any]) -> None:
            prompt = pilot.app.query_one(PromptInput)
            prompt.cursor_blink = False
            prompt.insert("tell me a long story")
            await pilot.press("enter")
            await asyncio.wait_for(gate.started.wait(), 5)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        app = make_app(gate, backend_name="gate")
        assert snap_compare(app, terminal_size=(80, 24), run_before=stop)


class TestFailedTurn:
    def test_failed_turn_shows_one_line_and_keeps_the_text(self, snap_compare: Any) -> None:
        """A backend that raises: the text so far, then one red line naming the error."""
        app = make_app(failing, backend_name="failing")
        assert snap_compare(app, terminal_size=(80, 24), run_before=partial(send, text="go"))


def wide_frame(messages: list[dict[str, Any]]) -> Any:
    """A 30-column frame with mixed dtypes, small floats and markup-like strings."""
    yield "A wide table:\n"
    columns = {f"col_{index:02d}": [index * 0.00123, index * 1000.5] for index in range(27)}
    yield pd.DataFrame(
        {"name": ["[bold]x[/]", "list[int]"], **columns, "flag": [True, pd.NA], "n": [1, None]}
    )


class TestWideFrame:
    def test_wide_frame_scrolls_sideways(self, snap_compare: Any) -> None:
        """More columns than fit: the table keeps its header and is cut at the right edge."""
        app = make_app(wide_frame, backend_name="frames")
        assert snap_compare(app, terminal_size=(80, 24), run_before=partial(send, text="wide"))


class TestLightTheme:
    def test_finished_turn_in_the_light_theme(self, snap_compare: Any) -> None:
        """The same demo answer must read as well on a light background."""
        app = make_app(instant_demo, backend_name="demo")
        app.theme = "textual-light"
        run = partial(send, text="hello, show me a data table")
        assert snap_compare(app, terminal_size=(100, 60), run_before=run)


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process in UTC for one test, and back in its own time zone after it: the C
    library reads TZ only at `tzset()`, so restoring the variable alone is not enough."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def history_with_sessions(path: Any) -> Any:
    """A real SQLite history holding two sessions, the newer one ending with a table."""
    from tui.history.store import HistoryStore

    store = HistoryStore(path)
    older = store.create_session(title="About rivers", backend="demo")
    store.add_message(older, "user", "Which river is longest?")
    store.add_message(older, "assistant", "The **Nile**, by most measures.")
    newer = store.create_session(title="Rainfall by city", backend="demo")
    store.add_message(newer, "user", "Compare rainfall in Oslo and Lima")
    table = pd.DataFrame({"city": ["Oslo", "Lima"], "rain_mm": [763.0, 6.4]})
    store.add_message(newer, "assistant", ["Annual rainfall:\n", table, "Lima is a desert."])
    with sqlite3.connect(path) as db:  # fixed times, so the snapshot does not change daily
        db.execute("UPDATE sessions SET created = 1.7e9, updated = 1.7e9 + id * 3600")
    return store, newer


class TestHistory:
    def test_session_list(self, snap_compare: Any, tmp_path: Any, utc: None) -> None:
        """Ctrl+O lists the sessions, newest first, with the current one marked."""
        store, newer = history_with_sessions(tmp_path / "history.sqlite3")
        app = make_app(instant_demo, backend_name="demo", history=store, session_id=newer)

        async def open_list(pilot: Pilot[Any]) -> None:
            pilot.app.query_one(PromptInput).cursor_blink = False
            await pilot.pause()
            await pilot.press("ctrl+o")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(100, 24), run_before=open_list)

    def test_resumed_session_with_a_table(self, snap_compare: Any, tmp_path: Any) -> None:
        """A reopened session renders as it was: text, the table, and the closing text."""
        store, newer = history_with_sessions(tmp_path / "history.sqlite3")
        app = make_app(instant_demo, backend_name="demo", history=store, session_id=newer)

        async def settle(pilot: Pilot[Any]) -> None:
            pilot.app.query_one(PromptInput).cursor_blink = False
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def hostile(messages: list[dict[str, Any]]) -> Any:
    """Escape sequences, control characters and Rich markup from a model, then a failure."""
    yield "Clear: \x1b[2J title: \x1b]0;pwned\x07 clipboard: \x1b]52;c;aGk=\x07 C1: \x9b31m\n\n"
    yield "Markup stays text: [bold red]not bold[/] [link=https://evil.example]x[/link] [/]\n\n"
    yield "Bidi: abc\u202edcba NUL: \x00 BS: a\x08b\n"
    yield {"key\x1b[31m": "value\x9b2J", "bell": "\x07"}
    raise ConnectionError("the model went away \x1b]0;again\x07 mid-answer")


class TestHostileAnswer:
    def test_escapes_are_shown_and_markup_is_text(self, snap_compare: Any) -> None:
        """What the model sent shows as visible escapes and literal markup; the failure is
        one line and everything before it stays."""
        app = make_app(hostile, backend_name="hostile")
        assert snap_compare(app, terminal_size=(100, 30), run_before=partial(send, text="go"))


def long_answer(messages: list[dict[str, Any]]) -> Any:
    """A 30 kB LLM answer in 40-character chunks: long enough that blocks far from the
    screen are folded out of layout while it streams and after."""
    from benchmarks.llm_text import llm_markdown

    text = llm_markdown(30_000, seed=4)
    return (text[at : at + 40] for at in range(0, len(text), 40))


class TestLongAnswer:
    def test_page_up_through_a_long_answer(self, snap_compare: Any) -> None:
        """Page Up from the prompt, three screens into a long answer: the lines there are
        painted from the answer's cached lines, as they were when they streamed past."""

        async def page_up(pilot: Pilot[Any]) -> None:
            await send(pilot, "tell me everything")
            for _ in range(3):
                await pilot.press("pageup")
            for _ in range(3):  # the scroll and its paint
                await pilot.pause()

        app = make_app(long_answer, backend_name="long")
        assert snap_compare(app, terminal_size=(90, 30), run_before=page_up)


class TestLongAnswerMiddle:
    """A long answer scrolled to its middle: lines painted from the cache, in a dark and
    a light theme."""

    @staticmethod
    async def middle(pilot: Pilot[Any]) -> None:
        await send(pilot, "tell me everything")
        log = pilot.app.query_one("MessageLog")
        log.scroll_to(y=log.max_scroll_y // 2, animate=False)  # type: ignore[attr-defined]
        for _ in range(3):
            await pilot.pause()

    def test_middle_of_a_long_answer_dark(self, snap_compare: Any) -> None:
        app = make_app(long_answer, backend_name="long")
        assert snap_compare(app, terminal_size=(90, 30), run_before=self.middle)

    def test_middle_of_a_long_answer_light(self, snap_compare: Any) -> None:
        app = make_app(long_answer, backend_name="long")
        app.theme = "textual-light"
        assert snap_compare(app, terminal_size=(90, 30), run_before=self.middle)


class TestTableAndListMidStream:
    def test_table_and_nested_list_of_a_stopped_stream(self, snap_compare: Any) -> None:
        """A Markdown table and a nested list as they stood when Esc stopped the stream."""
        gate = Gate(
            "Here is a table:\n\n| city | rain |\n|---|---|\n| Oslo | 0.5 |\n| Lima | 1.25 |\n\n"
            "- one\n  - nested\n    - deeper\n- two\n\n1. first\n2. second\n\nand then "
        )

        async def stop(pilot: Pilot[Any]) -> None:
            prompt = pilot.app.query_one(PromptInput)
            prompt.cursor_blink = False
            prompt.insert("a table please")
            await pilot.press("enter")
            await asyncio.wait_for(gate.started.wait(), 5)
            await asyncio.sleep(0.3)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

        app = make_app(gate, backend_name="gate")
        assert snap_compare(app, terminal_size=(80, 30), run_before=stop)


def giant_fence(messages: list[dict[str, Any]]) -> Any:
    """A 300-line code fence in 40-character chunks."""
    text = "```python\n" + "".join(f"value_{n} = compute({n}, 'x' * {n % 7})\n" for n in range(300))
    text += "```\n\nThe end.\n"
    return (text[at : at + 40] for at in range(0, len(text), 40))


class TestGiantFenceResized:
    def test_giant_fence_after_a_resize(self, snap_compare: Any) -> None:
        """The end of a 300-line fence, sealed in pieces while it streamed, after the
        terminal narrowed: the pieces still show as one fence."""

        async def resize(pilot: Pilot[Any]) -> None:
            await send(pilot, "code please")
            await pilot.resize_terminal(60, 24)
            for _ in range(3):
                await pilot.pause()

        app = make_app(giant_fence, backend_name="fence")
        assert snap_compare(app, terminal_size=(90, 30), run_before=resize)
