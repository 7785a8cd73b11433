"""`MarkdownLines`: Markdown painted through the Line API, one widget for a whole text.

Its blocks (`tui.markdown.MarkdownDocument`) are painted into `Strip`s per width and
style, kept in an LRU shared by every `MarkdownLines`, and shown by `render_line`: a frame
costs the lines on screen, however long the text. An append re-parses and re-paints only
the open tail; the sealed blocks keep their lines. At a new width each block is measured
again when layout asks for the height (a fence by counting its lines, a paragraph by
wrapping it), and painted only when it is on screen.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import ClassVar

from rich.segment import Segment
from textual.cache import LRUCache
from textual.color import Color
from textual.content import Content
from textual.geometry import Region, Size
from textual.markup import parse_style
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from tui.markdown import Block, MarkdownDocument
from tui.widgets.transcript.painter import Extent, Painted, Painter

__all__ = ["MarkdownLines"]

_painted: LRUCache[tuple[int, int, int, int], Painted] = LRUCache(512)
"""Painted blocks by (block, width, widget, style generation), for all widgets."""

COMPONENTS = (
    "heading", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "s", "code", "link",
    "fence", "quote-border", "bullet", "table", "table-header", "table-border", "hr",
)  # fmt: skip
TEXT_STYLES = frozenset({"em", "strong", "s", "link"})
"""Components that only change the text style, and so apply over anything."""


class MarkdownLines(Widget):
    """A Markdown text, appended to as it streams, painted line by line.

    Example:
        ```python
        lines = MarkdownLines("# Title\\n\\nSome **bold** text")
        await container.mount(lines)
        streamed = MarkdownLines()
        await container.mount(streamed)
        streamed.append("More ")
        streamed.append("text", preview="")
        streamed.finish()
        ```

    Args:
        markdown: A finished text to show, or `None` to start empty and `append`.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"markdown-lines--{name}" for name in COMPONENTS}

    DEFAULT_CSS = """
    MarkdownLines {
        height: auto;
        color: $foreground;
        & > .markdown-lines--heading { color: $text; }
        & > .markdown-lines--h1 {
            color: $markdown-h1-color;
            background: $markdown-h1-background;
            text-style: $markdown-h1-text-style;
        }
        & > .markdown-lines--h2 {
            color: $markdown-h2-color;
            background: $markdown-h2-background;
            text-style: $markdown-h2-text-style;
        }
        & > .markdown-lines--h3 {
            color: $markdown-h3-color;
            background: $markdown-h3-background;
            text-style: $markdown-h3-text-style;
        }
        & > .markdown-lines--h4 {
            color: $markdown-h4-color;
            background: $markdown-h4-background;
            text-style: $markdown-h4-text-style;
        }
        & > .markdown-lines--h5 {
            color: $markdown-h5-color;
            background: $markdown-h5-background;
            text-style: $markdown-h5-text-style;
        }
        & > .markdown-lines--h6 {
            color: $markdown-h6-color;
            background: $markdown-h6-background;
            text-style: $markdown-h6-text-style;
        }
        & > .markdown-lines--em { text-style: italic; }
        & > .markdown-lines--strong { text-style: bold; }
        & > .markdown-lines--s { text-style: strike; }
        & > .markdown-lines--link { text-style: underline; }
        &:dark > .markdown-lines--code { background: $warning 10%; color: $text-warning 95%; }
        &:light > .markdown-lines--code { background: $error 5%; color: $text-error 95%; }
        & > .markdown-lines--fence { color: rgb(210,210,210); background: black 10%; }
        &:light > .markdown-lines--fence { background: white 30%; }
        & > .markdown-lines--quote-border { color: $text-primary 50%; }
        &:light > .markdown-lines--quote-border { color: $text-secondary; }
        & > .markdown-lines--bullet { color: $text-primary; }
        &:light > .markdown-lines--bullet { color: $text-secondary; }
        &:light > .markdown-lines--table { background: white 30%; }
        & > .markdown-lines--table-header { color: $primary; }
        & > .markdown-lines--table-border { color: $foreground 20%; }
        &:light > .markdown-lines--table-header { background: white 30%; }
        &:light > .markdown-lines--table-border { background: white 30%; }
        & > .markdown-lines--hr { color: $secondary; }
    }
    """
    """The values of Textual 8.2's `Markdown` stylesheet, as component classes."""

    class LinkClicked(Message):
        """A link in the text was clicked (it is opened too, as `Markdown` does)."""

        def __init__(self, lines: MarkdownLines, href: str) -> None:
            super().__init__()
            self.lines = lines
            self.href = href

    def __init__(
        self,
        markdown: str | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.document = MarkdownDocument()
        """The text and its blocks."""
        if markdown:
            self.document.append(markdown)
            self.document.close()
        self._generation = 0  # of styles: bumped when they change
        self._width = -1  # the width the layout below is for
        self._measured: list[Extent] = []  # sealed blocks, measured at `_width`
        self._carry_in: list[Content | None] = []  # the line each one wraps on from
        self._starts: list[int] = []  # the line each measured block's lines start at
        self._sealed_end = 0  # the line after the last measured block's lines
        self._tail: list[Painted] = []
        self._tail_starts: list[int] = []
        self._tail_dirty = True
        self._height = 0
        self._painter: Painter | None = None

    @property
    def source(self) -> str:
        """The Markdown text shown so far."""
        return self.document.source

    def append(self, text: str, preview: str = "") -> None:
        """Add `text`, and show `preview` after it until the next append (see
        `tui.markdown.MarkdownDocument.append`)."""
        self.document.append(text, preview)
        self._tail_changed()

    def finish(self) -> None:
        """End the text: no more appends; every block is sealed."""
        self.document.close()
        self._tail_changed()

    def _tail_changed(self) -> None:
        """Lay out again, and repaint from where the open tail began: the lines above it
        are as they were (marking a whole tall widget dirty costs a line each)."""
        self._tail_dirty = True
        start = self._sealed_end if self._width == self.size.width else 0
        width = max(self.size.width, 1)
        self.refresh(Region(0, start, width, max(self._height - start, 0) + 1), layout=True)

    def notify_style_update(self) -> None:
        """Paint again with the new styles (a theme change, say)."""
        super().notify_style_update()
        self._generation += 1
        self._painter = None
        self._tail_dirty = True

    def _get_painter(self) -> Painter:
        if self._painter is None:

            def look(name: str) -> Style:
                # Only text styles are partial: Textual blends a partial background badly.
                partial = name in TEXT_STYLES or name.endswith("-partial")
                name = name.removesuffix("-partial")
                return self.get_visual_style(f"markdown-lines--{name}", partial=partial)

            variables = self.app.get_css_variables()
            parsed: dict[str, Style] = {}

            def parse(style: str | Style) -> Style:
                if isinstance(style, Style):
                    return style
                if style not in parsed:
                    parsed[style] = parse_style(style, variables)
                return parsed[style]

            boost = Color.parse(variables.get("boost", "transparent"))
            self._painter = Painter(self.visual_style, look, parse, boost)
        return self._painter

    def _paint(self, block: Block, width: int, carry: Content | None = None) -> Painted:
        key = (block.uid, width, id(self), self._generation)
        painted = _painted.get(key)
        if painted is None:
            painted = self._get_painter().paint(block, width, carry=carry)
            _painted.set(key, painted)
        return painted

    def _carry_after(self, index: int) -> Content | None:
        """The line the sealed block `index` carries on to the next, if any."""
        return self._measured[index].carry if index >= 0 and self._measured else None

    def _layout(self, width: int) -> None:
        """Measure what is new at `width`: sealed blocks not yet measured, and the tail."""
        if width != self._width:
            self._width = width
            self._measured, self._starts, self._sealed_end = [], [], 0
            self._carry_in = []
            self._tail_dirty = True
        sealed = self.document.sealed
        if len(self._measured) < len(sealed):
            below = self._measured[-1].bottom if self._measured else None
            y = self._sealed_end
            painter = self._get_painter()
            for block in sealed[len(self._measured) :]:
                carry = self._carry_after(len(self._measured) - 1) if block.joined_above else None
                cached = _painted.get((block.uid, width, id(self), self._generation))
                if cached is not None:
                    extent = Extent(cached.top, len(cached.lines), cached.bottom, cached.carry)
                else:
                    extent = painter.measure(block, width, carry)
                y += extent.top if below is None else max(below, extent.top)
                self._carry_in.append(carry)
                self._measured.append(extent)
                self._starts.append(y)
                y += extent.height
                below = extent.bottom
            self._sealed_end = y
            self._tail_dirty = True
        if self._tail_dirty:
            self._tail_dirty = False
            below = self._measured[-1].bottom if self._measured else None
            y = self._sealed_end
            painter = self._get_painter()
            carry = self._carry_after(len(self._measured) - 1)
            self._tail = []
            for block in self.document.tail:
                painted = painter.paint(block, width, carry=carry if block.joined_above else None)
                self._tail.append(painted)
                carry = painted.carry
            starts = []
            for painted in self._tail:
                y += painted.top if below is None else max(below, painted.top)
                starts.append(y)
                y += len(painted.lines)
                below = painted.bottom
            self._tail_starts = starts
            self._height = y + (below or 0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._layout(width)
        return self._height

    def _line(self, y: int, width: int) -> Strip | None:
        """Line `y` of the text at `width`, or `None` in a margin."""
        self._layout(width)
        if y >= self._sealed_end or not self._starts:
            index = bisect_right(self._tail_starts, y) - 1
            if index < 0:
                return None
            lines = self._tail[index].lines
            row = y - self._tail_starts[index]
        else:
            index = bisect_right(self._starts, y) - 1
            if index < 0:
                return None
            block = self.document.sealed[index]
            lines = self._paint(block, width, self._carry_in[index]).lines
            row = y - self._starts[index]
        return lines[row] if row < len(lines) else None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.visual_style.rich_style
        strip = self._line(y, width) or Strip.blank(width, style)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(y)) is not None:
            start, end = span
            end = strip.cell_length if end == -1 else end
            before, middle, after = strip.divide([start, end, strip.cell_length])[:3]
            chosen = self.screen.get_component_rich_style("screen--selection")
            middle = Strip(Segment.apply_style(list(middle), post_style=chosen))
            strip = Strip.join([before, middle, after])
        return strip.apply_offsets(0, y)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text under the selection, as the lines show it."""
        width = self.size.width
        text = "\n".join(
            (line.text.rstrip() if (line := self._line(y, width)) else "")
            for y in range(self._height)
        )
        return selection.extract(text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    async def action_link(self, href: str) -> None:
        """Open a clicked link, and say so with `LinkClicked`."""
        self.post_message(self.LinkClicked(self, href))
        self.app.open_url(href)
