"""Held-back Markdown shows as it will look: the settler's preview, through a StreamView.

`**bo` is held back from the document until it closes, so that no raw `**` flashes;
meanwhile `MarkdownLines` shows the preview `**bo**` after the document: the word is on
screen, bold, while the source is still waiting for its closing marker.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tests.screen import screen_text
from tui.widgets.transcript import MarkdownLines
from tui.widgets.transcript.stream_view import StreamView


class PreviewApp(App[None]):
    """One StreamView, typewriter off, so that text shows as soon as it arrives."""

    def compose(self) -> ComposeResult:
        yield StreamView(typewriter=0)


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Pause until `condition()` holds, or fail after 200 pauses."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("the screen never got there")


def bold_on_screen(app: App[None], word: str) -> bool:
    """Whether `word` shows on the screen's first line, every cell of it bold."""
    strip = app.screen._compositor.render_strips()[0]
    cells = [(char, segment.style) for segment in strip for char in segment.text]
    text = "".join(char for char, _ in cells)
    start = text.find(word)
    return start >= 0 and all(
        style is not None and style.bold for _, style in cells[start : start + len(word)]
    )


async def test_held_emphasis_shows_bold_before_it_closes() -> None:
    app = PreviewApp()
    async with app.run_test() as pilot:
        view = app.query_one(StreamView)
        more = asyncio.Event()

        async def source() -> AsyncIterator[str]:
            yield "Some **bo"
            await more.wait()
            yield "ld** and `co"
            await more.wait()

        task = asyncio.create_task(view.write_stream(source()))
        await until(pilot, lambda: "Some bo" in screen_text(app))
        lines = app.query_one(MarkdownLines)
        assert lines.source == "Some "  # the marker is held back from the document
        assert "**" not in screen_text(app)  # no raw `**`
        assert bold_on_screen(app, "bo")
        more.set()
        assert await task == "Some **bold** and `co"
        await pilot.pause()
        assert lines.source == "Some **bold** and `co"
        assert lines.document.preview == ""  # an unclosed marker shows as it is at the end
        assert screen_text(app).splitlines()[0].rstrip() == "Some bold and `co"
        assert bold_on_screen(app, "bold")
