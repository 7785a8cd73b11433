"""The display side of one `StreamView.write_stream`: text runs typed into Markdown at
the typewriter's pace, objects written in order, and the cursor. An object or a callable
chunk ends the text run, so the text after it is a new Markdown widget."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Protocol

from rich.text import Text
from textual.widget import AwaitMount, Widget
from textual.widgets import Static

from tui.markdown import MarkdownSettler
from tui.stream import Part, PartKind, Typewriter
from tui.text import printable_markdown
from tui.widgets.transcript.display_limit import DisplayBudget
from tui.widgets.transcript.line_stream import MAX_REST, LineStream
from tui.widgets.transcript.markdown_lines import MarkdownLines

__all__ = ["FRAME", "Display", "Surface", "TextRun"]

FRAME = 1 / 60
"""Seconds between typewriter ticks while text is waiting to be revealed."""
MAX_BEHIND = 4_000
"""Characters arrived but not shown beyond which the source is read no further for now:
about the most one append can lay out while the app still answers keys."""
MAX_BEHIND_PARTS = 4_096
"""Parts arrived but not placed beyond which the source is read no further for now."""
HEADROOM = MAX_REST + 4 * FRAME
"""Seconds of `max_lag` left to show revealed text: the `LineStream`'s longest rest
before it appends, then the append, the frame that paints it, and a frame or two the
event loop may be held up by more than it was lately (see `Typewriter`)."""


class TextRun:
    """One run of text: a `MarkdownLines` fed through a `LineStream`, typewriter-paced."""

    def __init__(self, markdown: MarkdownLines, typewriter: Typewriter) -> None:
        self.markdown = markdown
        self._stream = LineStream(markdown)
        self._stream.start()
        self._typewriter = typewriter
        self._settler = MarkdownSettler()
        self._waiting: deque[str] = deque()  # arrived, not yet revealed
        self._held = ""  # revealed, but held back by the settler

    @property
    def backlog(self) -> int:
        return self._typewriter.backlog

    @property
    def unshown(self) -> int:
        """Characters that have arrived and are not yet appended to the Markdown."""
        return self._typewriter.backlog + len(self._held) + self._stream.queued

    def arrive(self, text: str, now: float) -> None:
        self._waiting.append(text)
        self._typewriter.arrive(len(text), now)

    async def tick(self, now: float, finished: bool) -> int:
        """Reveal what the typewriter allows now; return how many characters that was."""
        count = self._typewriter.reveal(now, finished)
        if count:
            piece = self._take(count)
            settled = self._settler.feed(piece)
            text = self._held + piece
            cut = len(text) - (self._typewriter.revealed - settled)
            self._held = text[cut:]
            await self._stream.write(text[:cut], self._settler.preview())
        return count

    def _take(self, count: int) -> str:
        pieces: list[str] = []
        while count:
            head = self._waiting.popleft()
            if len(head) > count:
                self._waiting.appendleft(head[count:])
                head = head[:count]
            pieces.append(head)
            count -= len(head)
        return "".join(pieces)

    async def close(self) -> None:
        """Show everything that has arrived, at once, and stop the Markdown stream."""
        rest = self._held + "".join(self._waiting)
        self._waiting.clear()
        self._held = ""
        if rest:
            await self._stream.write(rest)
        await self._stream.stop()


class Surface(Protocol):
    """What a `Display` shows a stream in: the `StreamView` that writes the stream.

    Named here, not imported, so that this module knows nothing of `stream_view`, which
    builds on it: the two would otherwise import each other.
    """

    typewriter: float
    max_lag: float
    chars_revealed: int

    def mount(
        self, *widgets: Widget, before: Widget | None = None, after: Widget | None = None
    ) -> AwaitMount: ...

    def write(self, obj: object) -> asyncio.Task[None]: ...

    def _first_fold(self) -> Widget | None: ...

    def _note_content(self) -> None: ...

    async def _show_side_part(self, part: Part) -> None: ...


class Display:
    """The display side of one `write_stream`: text runs, objects, folds and the cursor."""

    def __init__(self, view: Surface, cursor: str | None) -> None:
        self.view = view
        self.cursor_text = cursor
        self.cursor: Static | None = None
        self.text_run: TextRun | None = None
        self.loop = asyncio.get_running_loop()
        self.budget = DisplayBudget()

    def behind(self, arrivals: deque[Part]) -> bool:
        """Whether the screen is so far behind the source that reading should wait: a
        source faster than the screen is read no further ahead than `MAX_BEHIND`, so that
        what has arrived shows soon after the end or Esc, not seconds of layout later."""
        text_run = self.text_run
        unshown = 0 if text_run is None else text_run.unshown
        return len(arrivals) > MAX_BEHIND_PARTS or unshown > MAX_BEHIND

    async def run(self, arrivals: deque[Part], wake: asyncio.Event, reader: asyncio.Task) -> None:
        """Place parts and pace text until the reader is done and everything is shown."""
        while True:
            wake.clear()  # before looking, so that news arriving while we work is not lost
            finished = reader.done()
            now = self.loop.time()
            await self._place(arrivals, now)
            backlog = 0
            if self.text_run is not None:
                self.view.chars_revealed += await self.text_run.tick(
                    now, finished or bool(arrivals)
                )
                backlog = self.text_run.backlog
            if finished and not arrivals and not backlog:
                return
            if backlog:
                await asyncio.sleep(FRAME)
            elif not arrivals:  # an object held back by text now shown goes next, at once
                await wake.wait()
                if self.text_run is not None and not reader.done():
                    # Text shows at most once a frame (`LineStream`): let a frame's chunks
                    # gather, and place them in one go, not one loop turn each.
                    await asyncio.sleep(FRAME)

    async def _place(self, arrivals: deque[Part], now: float) -> None:
        """Move arrived parts onto the screen, in order; an object waits for text before it."""
        while arrivals:
            part = arrivals[0]
            if part.kind is PartKind.TEXT:
                text_run = self.text_run or await self._start_text()
                text_run.arrive(printable_markdown(self.budget.take(part.value, self.view)), now)
            elif part.kind in (PartKind.OBJECT, PartKind.CALL):
                if self.text_run is not None and self.text_run.backlog:
                    return
                await self._end_text()
                if part.kind is PartKind.OBJECT:
                    await self.view.write(part.value)
            else:
                await self.view._show_side_part(part)
            arrivals.popleft()

    async def _start_text(self) -> TextRun:
        view = self.view
        view._note_content()
        markdown = MarkdownLines(classes="streamed")
        await view.mount(markdown, before=view._first_fold())
        typewriter = Typewriter(rate=view.typewriter, max_lag=view.max_lag, headroom=HEADROOM)
        self.text_run = TextRun(markdown, typewriter)
        if self.cursor_text:
            self.cursor = Static(Text(self.cursor_text), classes="cursor")
            await view.mount(self.cursor, after=markdown)
        return self.text_run

    async def _end_text(self) -> None:
        if self.text_run is not None:
            await self.text_run.close()
            self.text_run = None
        if self.cursor is not None:
            await self.cursor.remove()
            self.cursor = None

    async def flush(self, arrivals: deque[Part]) -> None:
        """Show at once everything that has arrived: after the end, an error or a stop."""
        while arrivals:
            part = arrivals.popleft()
            if part.kind is PartKind.TEXT:
                text_run = self.text_run or await self._start_text()
                text_run.arrive(
                    printable_markdown(self.budget.take(part.value, self.view)), self.loop.time()
                )
            elif part.kind in (PartKind.OBJECT, PartKind.CALL):
                await self._end_text()
                if part.kind is PartKind.OBJECT:
                    await self.view.write(part.value)
            else:
                await self.view._show_side_part(part)
        await self._end_text()
