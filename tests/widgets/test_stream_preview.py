"""Held-back Markdown shows as it will look: the settler's preview, through a StreamView.

`**bo` is held back from the document until it closes, so that no raw `**` flashes;
meanwhile the `MarkdownFlow` shows the preview `**bo**` after the document: the word
is on screen, bold, while the source is still waiting for its closing marker.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from textual.app import App, ComposeResult
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets._markdown import MarkdownParagraph

from tui.widgets.markdown_flow import MarkdownFlow
from tui.widgets.stream_view import StreamView


class PreviewApp(App[None]):
    """One StreamView, typewriter off, so that text shows as soon as it arrives."""

    def compose(self) -> ComposeResult:
        yield StreamView(typewriter=0)


def paragraph(app: App[None]) -> Content | None:
    """What the last paragraph of the streamed Markdown shows, if there is one yet."""
    paragraphs = app.query(MarkdownParagraph)
    return paragraphs.last()._content if paragraphs else None


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    """Pause until `condition()` holds, or fail after 200 pauses."""
    for _ in range(200):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("the screen never got there")


def styled(content: Content, text: str, style: str) -> bool:
    """Whether `text` in `content` lies under a span whose style names `style`."""
    start = content.plain.find(text)
    return start >= 0 and any(
        span.start <= start and start + len(text) <= span.end and style in str(span.style)
        for span in content.spans
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
        await until(
            pilot, lambda: (content := paragraph(app)) is not None and "bo" in content.plain
        )
        flow = app.query_one(MarkdownFlow)
        assert flow.source == "Some "  # the marker is held back from the document
        content = paragraph(app)
        assert content is not None
        assert content.plain == "Some bo"  # no raw `**`
        assert styled(content, "bo", "strong")
        more.set()
        assert await task == "Some **bold** and `co"
        await pilot.pause()
        assert flow.source == "Some **bold** and `co"
        assert flow.preview == ""  # an unclosed marker shows as it is at the end
        content = paragraph(app)
        assert content is not None
        assert content.plain == "Some bold and `co"
        assert styled(content, "bold", "strong")
