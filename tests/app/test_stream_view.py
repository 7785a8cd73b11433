"""StreamView inside a plain Textual app: the same return value as the engine, paced text,
the cursor, the st.write table, and failures that keep what arrived."""

from __future__ import annotations

import asyncio
from typing import Any

import pandas as pd
import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tests.screen import screen_text
from tui import StreamView
from tui.stream import NotAStreamError, collect
from tui.widgets.transcript import MarkdownLines
from tui.widgets.transcript.frame_table import FrameTable


class ViewApp(App[None]):
    """The smallest host: StreamView must not depend on ChatApp."""

    def __init__(self, typewriter: float = 0, max_lag: float = 1.0) -> None:
        super().__init__()
        self.typewriter = typewriter
        self.max_lag = max_lag

    def compose(self) -> ComposeResult:
        yield StreamView(typewriter=self.typewriter, max_lag=self.max_lag)


def mixed() -> Any:
    yield "Some **bold** "
    yield "text"
    yield ""
    yield pd.DataFrame({"a": [1, 2]})
    yield {"key": [1, 2, 3]}
    yield "more "
    yield "text"


async def test_write_stream_returns_what_the_engine_returns() -> None:
    """The value matches `collect`, and each part gets the widget the write table names."""
    async with ViewApp().run_test() as pilot:
        view = pilot.app.query_one(StreamView)
        value = await view.write_stream(mixed)
        await pilot.pause()
        expected = collect(mixed)
        assert value[0] == expected[0] and value[2:] == expected[2:]
        pd.testing.assert_frame_equal(value[1], expected[1])
        kinds = [type(child) for child in view.children]
        assert kinds == [MarkdownLines, FrameTable, Static, MarkdownLines]
        first, last = view.query(MarkdownLines)
        assert first.source == "Some **bold** text"
        assert last.source == "more text"


@pytest.mark.parametrize("typewriter", [0, 2000])
async def test_a_callable_chunk_ends_the_text_run_on_screen(typewriter: int) -> None:
    """`["first", fn, "second"]` calls `fn`, returns two strings as `collect` does, and
    shows two Markdown runs: the texts on lines of their own, not run together."""
    called: list[str] = []

    def fn() -> None:
        called.append("fn")

    async with ViewApp(typewriter=typewriter).run_test(size=(60, 12)) as pilot:
        view = pilot.app.query_one(StreamView)
        value = await view.write_stream(iter(["first", fn, "second"]))
        await pilot.pause()
        assert value == ["first", "second"]
        assert called == ["fn"]
        assert [markdown.source for markdown in view.query(MarkdownLines)] == ["first", "second"]
        lines = [line.strip() for line in screen_text(pilot.app).splitlines() if line.strip()]
        assert lines == ["first", "second"]


async def test_text_is_typed_not_shown_at_once() -> None:
    """At 20 chars/s, 400 characters arriving at once are still typing when the first
    show. (The rate itself is measured in `test_typewriter_pace.py`.)"""
    text = "word " * 80

    async def stream() -> Any:
        yield text
        await asyncio.sleep(60)

    async with ViewApp(typewriter=20, max_lag=60).run_test() as pilot:
        view = pilot.app.query_one(StreamView)
        task = asyncio.create_task(view.write_stream(stream(), cursor="▌"))
        for _ in range(1000):
            await asyncio.sleep(0.01)
            if view.query(MarkdownLines) and view.query_one(MarkdownLines).source:
                break
        shown = len(view.query_one(MarkdownLines).source)
        assert 0 < shown < len(text)
        assert view.query(".cursor"), "the cursor shows while text streams"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await pilot.pause()
        assert view.query_one(MarkdownLines).source == text, "a stop shows everything that arrived"
        assert not view.query(".cursor")


async def test_a_raising_stream_keeps_its_text_and_reraises_unchanged() -> None:
    """The caller gets the very exception, and `view.response` holds what arrived."""
    error = RuntimeError("connection dropped")

    def stream() -> Any:
        yield "half an "
        yield "answer"
        raise error

    async with ViewApp().run_test() as pilot:
        view = pilot.app.query_one(StreamView)
        with pytest.raises(RuntimeError) as raised:
            await view.write_stream(stream)
        assert raised.value is error
        assert view.response.value == "half an answer"
        await pilot.pause()
        assert view.query_one(MarkdownLines).source == "half an answer"


async def test_not_a_stream_is_refused_before_anything_is_written() -> None:
    """A str asks for write() instead; a number names its type."""
    async with ViewApp().run_test() as pilot:
        view = pilot.app.query_one(StreamView)
        with pytest.raises(NotAStreamError, match="write"):
            await view.write_stream("just a string")
        with pytest.raises(TypeError, match="int"):
            await view.write_stream(42)
        assert not view.children


@pytest.mark.parametrize(
    ("obj", "widget", "shown"),
    [
        ({"a": 1}, Static, '"a": 1'),
        ([1, "two"], Static, '"two"'),
        (ValueError("bad value"), Static, "bad value"),
        (3.5, Static, "3.5"),
        (None, Static, "None"),
        ("[bold]not markup[/]", MarkdownLines, "[bold]not markup[/]"),
    ],
)
async def test_write_follows_the_st_write_table(obj: object, widget: type, shown: str) -> None:
    """Each object becomes the widget the table names, showing its content literally."""
    async with ViewApp().run_test(size=(100, 40)) as pilot:
        view = pilot.app.query_one(StreamView)
        await view.write(obj)
        await pilot.pause()
        (child,) = view.children
        assert isinstance(child, widget)
        assert shown in screen_text(pilot.app)


async def test_a_recursive_list_and_an_unprintable_object_do_not_crash() -> None:
    """A list that contains itself, and an object whose str and repr raise, still show."""

    class Hostile:
        def __str__(self) -> str:
            raise RuntimeError("no str")

        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    loop: list[Any] = [1]
    loop.append(loop)
    async with ViewApp().run_test() as pilot:
        view = pilot.app.query_one(StreamView)
        await view.write(loop)
        await view.write(Hostile())
        await pilot.pause()
        shown = screen_text(pilot.app)
        assert "[...]" in shown
        assert "unprintable Hostile" in shown
