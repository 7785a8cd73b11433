"""`MarkdownFlow`: a `Markdown` whose appends cost what is new, not what came before.

Textual's `Markdown.append` re-parses the last top-level block and re-renders its widget
on every append, and splits the whole source into lines to find it. A block that keeps
growing (one long code fence or paragraph) therefore costs O(n) per append, O(n²) in all:
a profile of a 10 kB fence shows the time split between Pygments re-highlighting all of
it, and re-rendering all of its lines for layout, each append.

`MarkdownFlow` keeps the same widgets, built by the same code, and adds three things:

- the open tail is found by a character offset kept up to date, not by splitting the
  whole source;
- a top-level fence or paragraph that grows past a size is *sealed* in pieces
  (`tui.widgets.markdown_pieces`): its finished front becomes its own widget that is
  never touched again, styled to join seamlessly to the next, and only the rest is
  re-parsed. Once the stream has ended, a paragraph's pieces are joined back into the
  one widget a one-shot render makes when the width changes (a fence's pieces stay);
- blocks far from the screen are folded out of layout (`tui.widgets.block_fold`), since
  Textual lays out every shown widget after each append.

`FlowStream` is its `MarkdownStream`: fragments queue up and one task appends them, at
most once a frame, since the screen shows no more often than that. After each append the
task rests at least as long as the append, its layout and its paint took (seen as how late
its last rest ended), so that the display takes at most about half the time and the
stream keeps its pace; but never more than `MAX_REST`, so that the screen still updates
ten times a second. (A source faster than the screen is held back by `StreamView`, which
reads it no further ahead than a few thousand characters, so that no append is so big
that the app stops answering keys.)
"""

from __future__ import annotations

import asyncio

from markdown_it import MarkdownIt
from textual import events
from textual.await_complete import AwaitComplete
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock

from tui.widgets.block_fold import refold
from tui.widgets.folded_runs import dissolve
from tui.widgets.markdown_pieces import cut_for_another_width, join_pieces, seal

__all__ = ["FlowStream", "MarkdownFlow"]

FRAME = 1 / 60
"""The least seconds between two appends of a `FlowStream`: one frame."""
MAX_REST = 0.1
"""The most seconds a `FlowStream` rests between appends, so the text still moves."""


def _line_offset(text: str, line: int) -> int:
    """The offset in `text` at which its line number `line` (from 0) starts."""
    offset = 0
    for _ in range(line):
        offset = text.index("\n", offset) + 1
    return offset


class MarkdownFlow(Markdown):
    """A `Markdown` for text that streams in: each append costs what it adds.

    Example:
        ```python
        flow = MarkdownFlow()
        await container.mount(flow)
        stream = MarkdownFlow.get_stream(flow)
        await stream.write("# Title\\n\\nSome ")
        await stream.write("text")
        await stream.stop()  # shows the rest and joins paragraph pieces
        ```
    """

    DEFAULT_CSS = """
    MarkdownFlow {
        MarkdownParagraph.-joined-below { margin: 0; }
        MarkdownFence {
            &.-joined-below { margin: 1 0 0 0; & > Label { padding: 1 2 0 2; } }
            &.-joined-above { margin: 0 0 1 0; & > Label { padding: 0 2 1 2; } }
            &.-joined-below.-joined-above { margin: 0; & > Label { padding: 0 2; } }
            &:ansi {
                &.-joined-below, &.-joined-above { margin: 0; }
                &.-joined-below > Label { padding: 1 0 0 0; }
                &.-joined-above > Label { padding: 0 0 1 0; }
                &.-joined-below.-joined-above > Label { padding: 0; }
            }
        }
    }
    """
    """Pieces of one block join without a gap. Textual's CSS takes a whole margin or
    padding from a `margin-bottom` rule, so these repeat `MarkdownFence`'s own values."""

    FENCE_PIECE_LINES = 25
    """Lines of a growing top-level fence sealed at a time."""
    PARAGRAPH_PIECE_CHARS = 1_000
    """Characters, about, of a growing top-level paragraph sealed at a time."""

    def __init__(self, markdown: str | None = None, **kwargs: object) -> None:
        super().__init__(markdown, **kwargs)  # type: ignore[arg-type]
        self.tail_start = 0
        """Where the open tail, the part still re-parsed on append, starts in `source`."""
        self.tail_head = ""
        """The opening line of a sealed fence whose rest is still open, else empty."""
        self.preview = ""
        """Shown after the document without being part of it, on its last line: held-back
        text with its markup closed (`tui.stream.MarkdownSettler.preview`)."""
        self._synced_line = 0
        self.finished = False
        """Whether its stream has ended (`finish`), so no more text comes."""

    @classmethod
    def get_stream(cls, markdown: Markdown) -> FlowStream:  # type: ignore[override]
        """A `FlowStream` writing into `markdown`, a `MarkdownFlow`, already started."""
        assert isinstance(markdown, MarkdownFlow)
        stream = FlowStream(markdown)
        stream.start()
        return stream

    def parser(self) -> MarkdownIt:
        """The parser, as `Markdown` makes it."""
        factory = self._parser_factory
        return MarkdownIt("gfm-like") if factory is None else factory()

    def append(self, markdown: str) -> AwaitComplete:
        """Append to the document, re-parsing only its open tail.

        Returns:
            An optionally awaitable object, done when the widgets are updated.
        """
        self._markdown = self.source + markdown
        return AwaitComplete(self._append())

    async def _append(self) -> None:
        async with self.lock:
            self._resync()
            head, start = self.tail_head, self.tail_start
            text = head + self._markdown[start:]
            tokens = self.parser().parse(text + self.preview)
            blocks = list(self._parse_markdown(tokens))
            last = next((t.map[0] for t in reversed(tokens) if t.map and t.level == 0), 0)
            first_line = self._synced_line - (1 if head else 0)
            for block in blocks:
                begin, end = block.source_range
                block.source_range = (begin + first_line, end + first_line)
            with self.app.batch_update():
                children = self.children
                open_block = children[-1] if children else None
                if isinstance(open_block, MarkdownBlock) and blocks:
                    open_block.source_range = blocks[0].source_range
                    await open_block._update_from_block(blocks.pop(0))
                    # A table's new rows ask only their own parent for layout: ask for it.
                    open_block.refresh(layout=True)
                if blocks:
                    await self.mount_all(blocks)
                if last:
                    offset = _line_offset(text, last)
                    self.tail_start = start + offset - len(head)
                    self.tail_head = ""
                    self._synced_line = self._last_parsed_line = first_line + last
                await seal(self)
            if any(block.name == "heading_open" for block in blocks):
                self._table_of_contents = None
                self.post_message(Markdown.TableOfContentsUpdated(self, self.table_of_contents))

    def advance_tail(self, head: str, offset: int, lines: int) -> None:
        """Move the open tail `offset` characters and `lines` lines on, behind `head`.

        Called by `tui.widgets.markdown_pieces` when it seals the front of the tail.
        """
        self.tail_start += offset
        self.tail_head = head
        self._synced_line += lines
        self._last_parsed_line = self._synced_line

    def _resync(self) -> None:
        """Find the open tail again if `update` has replaced the document."""
        if self._last_parsed_line != self._synced_line:
            lines = self._markdown.splitlines(keepends=True)[: self._last_parsed_line]
            self.tail_start = sum(map(len, lines))
            self.tail_head = ""
            self._synced_line = self._last_parsed_line

    async def refold(self) -> None:
        """Fold the blocks far from the screen out of layout (see `tui.widgets.block_fold`)."""
        async with self.lock:
            if self.is_attached:
                await refold(self)

    async def finish(self) -> None:
        """End the stream: from now on, a paragraph's sealed pieces are joined into one
        widget, as a one-shot render has it, when the width they were cut at changes."""
        self.finished = True
        await self._join_pieces_cut_for_another_width()
        self.call_after_refresh(self.refold)

    async def on_resize(self, event: events.Resize) -> None:
        """Once finished, join a paragraph's pieces if the width they were cut at is gone."""
        if self.finished:
            await self._join_pieces_cut_for_another_width()

    async def _join_pieces_cut_for_another_width(self) -> None:
        async with self.lock:
            if any(map(cut_for_another_width, self.children)):
                await dissolve(self, where=cut_for_another_width)
                await join_pieces(self, width_changed=True)


class FlowStream:
    """Write fragments into a `MarkdownFlow`: queued, and appended at most once a frame.

    Like Textual's `MarkdownStream`: one task coalesces what has queued into one append,
    `stop()` shows what is still queued, and a write after `stop()` raises.

    Args:
        flow: The widget to write into.
    """

    def __init__(self, flow: MarkdownFlow) -> None:
        self.flow = flow
        self._pending: list[str] = []
        self._preview = ""
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._flushing: asyncio.Future[None] | None = None
        self.queued = 0
        """Characters written and not yet appended."""
        self._stopped = False

    def start(self) -> None:
        """Start the task that appends; `MarkdownFlow.get_stream` has called it."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="inkstream-markdown-flow")

    async def write(self, fragment: str, preview: str = "") -> None:
        """Queue `fragment` to be appended to the end of the document, and `preview` to
        be shown after it (see `MarkdownFlow.preview`).

        Raises:
            RuntimeError: The stream has stopped.
        """
        if self._stopped:
            raise RuntimeError("Can't write to the stream after it has stopped.")
        if fragment or preview != self._preview:
            self._pending.append(fragment)
            self.queued += len(fragment)
            self._preview = preview
            self._wake.set()
            await asyncio.sleep(0)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        lag = 0.0  # how late the last rest ended: mostly the layout and paint of the append
        while True:
            await self._wake.wait()
            began = loop.time()
            self._flushing = asyncio.ensure_future(self._flush())
            await asyncio.shield(self._flushing)
            await self.flow.refold()
            spent = loop.time() - began
            rest = max(FRAME - spent, min(MAX_REST, spent + lag))
            await asyncio.sleep(rest)
            lag = loop.time() - began - spent - rest

    async def _flush(self) -> None:
        text = "".join(self._pending)
        self._pending.clear()
        self._wake.clear()
        self.queued = 0
        if text or self._preview != self.flow.preview:
            self.flow.preview = self._preview
            await self.flow.append(text)

    async def stop(self) -> None:
        """Append what is still queued, and stop (see `MarkdownFlow.finish`)."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait([self._task])  # it may not have started, so never raises
            self._task = None
        if self._flushing is not None:
            await self._flushing  # an append the cancel did not stop (it is shielded)
            self._flushing = None
        if not self._stopped:
            self._stopped = True
            self._preview = ""
            await self._flush()
            await self.flow.finish()
