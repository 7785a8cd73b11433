"""Painting a Markdown table: cells in a grid of thin lines, its header in the primary
colour, as Textual's `Markdown` shows tables (a keyline of `$foreground 20%`)."""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.style import Style

TextLines = Callable[[Content, int, Style], list[Strip]]
"""Wraps Content at a width over a style, into lines that wide."""

__all__ = ["TextLines", "column_widths", "paint_table"]


def column_widths(natural: list[int], width: int) -> list[int]:
    """Widths for columns that would like `natural` widths, within `width` in all:
    stretched to fill it, or shrunk (the widest first) to fit it.

    Example:
        >>> column_widths([6, 7], 67)
        [30, 37]
        >>> column_widths([4, 30], 20)
        [4, 16]
    """
    widths = list(natural)
    total = sum(widths)
    if 0 < total < width:
        # Share the width in proportion to the natural widths, as Textual's grid does.
        widths, reached = [], 0
        for index in range(len(natural)):
            end = sum(natural[: index + 1]) * width // total
            widths.append(end - reached)
            reached = end
    while sum(widths) > width and max(widths) > 3:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    return widths


def paint_table(
    rows: list[list[Content]],
    width: int,
    text_lines: TextLines,
    styles: tuple[Style, Style, Style],
) -> list[Strip]:
    """The lines of a table of `rows` (its header first), `width` wide.

    Args:
        rows: The cells, row by row.
        width: The width of the table.
        text_lines: Wraps a cell's text.
        styles: The styles of the body, the header and the lines.
    """
    if not rows:
        return []
    columns = max(len(row) for row in rows)
    cells = [[*row, *[Content("")] * (columns - len(row))] for row in rows]
    natural = [max(cell.cell_length for cell in column) + 2 for column in zip(*cells, strict=True)]
    widths = column_widths(natural, max(width - columns - 1, columns))
    base, header, lines_style = styles
    line_style = lines_style.rich_style

    def rule(left: str, middle: str, right: str) -> Strip:
        text = left + middle.join("─" * w for w in widths) + right
        return Strip([Segment(text, line_style)])

    bar = Strip([Segment("│", line_style)])
    lines = [rule("┌", "┬", "┐")]
    for number, row in enumerate(cells):
        style = header if number == 0 else base
        wrapped = [text_lines(cell, w - 2, style) for cell, w in zip(row, widths, strict=True)]
        height = max(len(cell) for cell in wrapped)
        pad = Strip.blank(1, style.rich_style)
        for y in range(height):
            parts = [bar]
            for cell, w in zip(wrapped, widths, strict=True):
                text = cell[y] if y < len(cell) else Strip.blank(w - 2, style.rich_style)
                parts += [pad, text, pad, bar]
            lines.append(Strip.join(parts))
        lines.append(rule("├", "┼", "┤") if number < len(cells) - 1 else rule("└", "┴", "┘"))
    return [line.crop_extend(0, width, base.rich_style) for line in lines]
