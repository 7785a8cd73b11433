"""Painting `Block`s into `Strip`s at a width, with the look of Textual's `Markdown`.

The look (colours, margins, padding, bullets) copies the values of Textual 8.2's
`Markdown` stylesheet; the colours come from the theme through the component classes of
`MarkdownLines` (see its `DEFAULT_CSS`), so every theme reads as it does there.
`Painter.paint` gives each block its lines and its margins above and below; margins of
neighbours collapse, as Textual's vertical layout does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.segment import Segment
from textual.color import Color
from textual.content import Content, Span
from textual.highlight import HighlightTheme, highlight
from textual.strip import Strip
from textual.style import Style

from tui.markdown import Block, Inline
from tui.widgets.transcript.table import paint_table

__all__ = ["Extent", "Look", "Painted", "Painter", "stack"]

Look = Callable[[str], Style]
"""A component's partial style by name: `"h1"`, `"code"`, `"fence"`, ..."""

_HEADING_MARGINS = {1: (2, 1), 2: (2, 1)}
"""Margins (top, bottom) of headings; levels 3 to 6 have (1, 1)."""


class Painted(NamedTuple):
    """A painted block: its margin above, its lines, its margin below."""

    top: int
    lines: list[Strip]
    bottom: int
    carry: Content | None = None
    """A paragraph piece continued below: its last wrapped line, not in `lines`, which
    the next piece wraps on from, so that the pieces wrap as the whole paragraph would."""


class Extent(NamedTuple):
    """How much room a block takes at a width, without its lines: for layout."""

    top: int
    height: int
    bottom: int
    carry: Content | None = None


def stack(blocks: Sequence[Painted], width: int, style: Style) -> list[Strip]:
    """The lines of `blocks` one under another, with the larger of two neighbouring
    margins between them, the first's top and the last's bottom margin included."""
    blank = Strip.blank(width, style.rich_style)
    lines: list[Strip] = []
    below = 0
    for index, block in enumerate(blocks):
        gap = block.top if index == 0 else max(below, block.top)
        lines.extend([blank] * gap)
        lines.extend(block.lines)
        below = block.bottom
    lines.extend([blank] * below)
    return lines


class Painter:
    """Paint blocks over `base`, the style of the widget under them.

    Args:
        base: The full style under the text (the widget's colour and background).
        look: Partial styles of the components by name.
        parse_style: Resolves style strings with theme variables.
        boost: The theme's `$boost` colour.
    """

    def __init__(
        self,
        base: Style,
        look: Look,
        parse_style: Callable[[str | Style], Style],
        boost: Color,
    ):
        self.base = base
        self.boost = boost
        """The theme's `$boost`, which a block quote adds to the background under it."""
        self.look = look
        self.parse_style = parse_style

    def _strip(self, content: Content, style: Style, width: int) -> Strip:
        segments = [
            Segment(text, piece.rich_style)
            for text, piece in content.render(style, end="", parse_style=self.parse_style)
        ]
        return Strip(segments).crop_extend(0, width, style.rich_style)

    def inline(self, inline: Inline) -> Content:
        """Inline text as Content, its spans styled."""
        spans = []
        for span in inline.spans:
            if span.kind == "link":
                style = self.look("link") + Style.from_meta({"@click": f"link({span.href!r})"})
            else:
                style = self.look(span.kind)
            spans.append(Span(span.start, span.end, style))
        return Content(inline.plain, spans=spans)

    def text_lines(
        self, content: Content, width: int, style: Style, center: bool = False
    ) -> list[Strip]:
        """`content` wrapped at `width`, each line `width` wide over `style`; the cells
        after the text have only its background (no underline running on)."""
        if width <= 0:
            return []
        lines = content.wrap(width) if content.plain else [Content("")]
        if center:
            lines = [line.pad_left((width - line.cell_length) // 2) for line in lines]
        fill = (style if center else self.base + style.background_style).rich_style
        return [
            self._strip(line, style, line.cell_length).extend_cell_length(width, fill)
            for line in lines
        ]

    def paint(
        self, block: Block, width: int, top_level: bool = True, carry: Content | None = None
    ) -> Painted:
        """Paint `block` at `width` columns; `top_level` when it is not inside another;
        `carry`, the carried line of the paragraph piece above it (see `Painted.carry`)."""
        kind = block.kind
        base = self.base
        if kind == "paragraph" and block.joined_below:
            return self._paragraph_piece(block, width, carry)
        if kind == "paragraph":
            content = self.inline(block.inline)
            if carry is not None:
                content = Content.assemble(carry, " ", content)
            lines = self.text_lines(content, width, base)
            return Painted(0, lines, 1 if top_level else 0)
        if kind == "heading":
            style = base + self.look("heading") + self.look(f"h{block.level}")
            lines = self.text_lines(
                self.inline(block.inline), width, style, center=block.level == 1
            )
            top, bottom = _HEADING_MARGINS.get(block.level, (1, 1))
            return Painted(top, lines, bottom)
        if kind == "fence":
            return self._fence(block, width)
        if kind in ("bullet_list", "ordered_list"):
            return self._list(block, width, top_level)
        if kind == "item":
            return Painted(0, self._children(block.children, width, base), 0)
        if kind == "quote":
            return self._quote(block, width)
        if kind == "table":
            return self._table(block, width)
        if kind == "hr":
            return self._rule(width)
        return Painted(0, [], 0)

    def measure(self, block: Block, width: int, carry: Content | None = None) -> Extent:
        """The room `block` takes at `width`, as `paint` would give it: a fence's and a
        paragraph's without highlighting or building lines, others by painting them."""
        if block.kind == "fence":
            pads = (0 if block.joined_above else 1) + (0 if block.joined_below else 1)
            top = 0 if block.joined_above else 1
            bottom = 0 if block.joined_below else 1
            return Extent(top, block.code.count("\n") + 1 + pads, bottom)
        if block.kind == "paragraph" and width > 0:
            content = self.inline(block.inline)
            if carry is not None:
                content = Content.assemble(carry, " ", content)
            wrapped = content.wrap(width) if content.plain else []
            if block.joined_below:
                if not wrapped:
                    return Extent(0, 0, 0, carry)
                return Extent(0, len(wrapped) - 1, 0, wrapped[-1])
            return Extent(0, max(len(wrapped), 1), 1)
        painted = self.paint(block, width, carry=carry)
        return Extent(painted.top, len(painted.lines), painted.bottom, painted.carry)

    def _paragraph_piece(self, block: Block, width: int, carry: Content | None) -> Painted:
        content = self.inline(block.inline)
        if carry is not None:
            content = Content.assemble(carry, " ", content)
        wrapped = content.wrap(width) if width > 0 and content.plain else []
        if not wrapped:
            return Painted(0, [], 0, carry)
        lines = [self._fill(line, self.base, width) for line in wrapped[:-1]]
        return Painted(0, lines, 0, wrapped[-1])

    def _fill(self, line: Content, style: Style, width: int) -> Strip:
        fill = (self.base + style.background_style).rich_style
        return self._strip(line, style, line.cell_length).extend_cell_length(width, fill)

    def _children(self, children: list[Block], width: int, style: Style) -> list[Strip]:
        painted = [self.paint(child, width, top_level=False) for child in children]
        return stack(painted, width, style)

    def _fence(self, block: Block, width: int) -> Painted:
        style = self.base + self.look("fence")
        code = highlight(block.code, language=block.info or None, theme=HighlightTheme)
        inner = max(width - 4, 0)
        pad = Strip.blank(2, style.rich_style)
        lines = [
            Strip.join([pad, self._strip(line, style, inner), pad]).crop(0, width)
            for line in code.split("\n", allow_blank=True)
        ]
        blank = Strip.blank(width, style.rich_style)
        top = [] if block.joined_above else [blank]
        bottom = [] if block.joined_below else [blank]
        return Painted(
            0 if block.joined_above else 1, top + lines + bottom, 0 if block.joined_below else 1
        )

    def _list(self, block: Block, width: int, top_level: bool) -> Painted:
        bullet_style = self.base + self.look("bullet")
        lines: list[Strip] = []
        for item in block.children:
            symbol = Strip([Segment(item.bullet, bullet_style.rich_style)])
            indent = symbol.cell_length
            body = self._children(item.children, width - indent, self.base)
            if not body:
                body = [Strip.blank(width - indent, self.base.rich_style)]
            blank = Strip.blank(indent, self.base.rich_style)
            lines.extend(
                Strip.join([symbol if row == 0 else blank, line]) for row, line in enumerate(body)
            )
        return Painted(0, lines, 1 if top_level else 0)

    def _quote(self, block: Block, width: int) -> Painted:
        style = self.base + Style(background=self.base.background + self.boost)
        edge = style + Style(foreground=self.look("quote-border-partial").foreground)
        border = Strip([Segment("▌", edge.rich_style)])
        pad = Strip.blank(1, style.rich_style)
        saved, self.base = self.base, style
        try:
            body = self._children(block.children, max(width - 3, 0), style)
        finally:
            self.base = saved
        lines = [Strip.join([border, pad, line, pad]) for line in body]
        return Painted(1, lines, 1)

    def _rule(self, width: int) -> Painted:
        style = self.base + self.look("hr")
        blank = Strip.blank(width, self.base.rich_style)
        return Painted(0, [blank, Strip([Segment("─" * width, style.rich_style)])], 1)

    def _table(self, block: Block, width: int) -> Painted:
        base = self.base + self.look("table")
        styles = (base, base + self.look("table-header"), base + self.look("table-border"))
        rows = [[self.inline(cell) for cell in row] for row in block.rows]
        lines = paint_table(rows, width, self.text_lines, styles)
        return Painted(0, lines, 1)
