"""A virtual table that renders rows straight from a pandas DataFrame.

Only the rows on screen are formatted, in blocks kept in a small LRU cache, so a frame
of a million rows shows at once. Cells are formatted by pandas itself, as `print(df)`
would show them, and are always plain text.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.actions import SkipAction
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.frames import as_frame
from tui.text import printable

if TYPE_CHECKING:
    pass

__all__ = ["FrameTable", "as_frame", "shape_caption"]

BLOCK_ROWS = 128  # Rows formatted together and cached as one block.
CACHED_BLOCKS = 8  # Blocks kept in the LRU cache.
SAMPLE_ROWS = 100  # Rows at each end that set the column widths and number formats.
MAX_CELL_WIDTH = 30  # Widest column, in cells; longer values end with "…".


def shape_caption(rows: int, columns: int) -> str:
    """Describe a frame's shape.

    Example:
        >>> shape_caption(1_000_000, 10)
        '1,000,000 rows × 10 columns'
        >>> shape_caption(1, 1)
        '1 row × 1 column'
    """  # noqa: RUF002
    return f"{rows:,} row{'s' * (rows != 1)} × {columns:,} column{'s' * (columns != 1)}"


def _fit(text: str, width: int, right: bool) -> str:
    """Pad `text` to `width` cells, or crop it there with an ellipsis."""
    size = cell_len(text)
    if size > width:
        return set_cell_size(text, width - 1) + "…"
    padding = " " * (width - size)
    return padding + text if right else text + padding


def _label(value: object) -> str:
    """A header label: the levels of a MultiIndex key are joined with " / "."""
    if isinstance(value, tuple):
        return " / ".join(map(_label, value))
    return printable(str(value))


class FrameTable(ScrollView, can_focus=True):
    """A read-only table that shows a DataFrame of any size, with its index and shape.

    The header stays at the top and the index columns stay at the left while the rest
    scrolls. Its styles are in `styles/frame_table.tcss`.

    Example:
        ```python
        class TableApp(App):
            CSS_PATH = "styles/frame_table.tcss"

            def compose(self) -> ComposeResult:
                yield FrameTable(pd.DataFrame({"x": [0.00123, 4.5]}), max_rows=10)
        ```
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "frame-table--header",
        "frame-table--label",
        "frame-table--stripe",
    }
    """
    | Class | Description |
    | :- | :- |
    | `frame-table--header` | The line of column names. |
    | `frame-table--label` | The index values at the left of each row. |
    | `frame-table--stripe` | Every other row. |
    """

    def __init__(
        self,
        frame: Any,
        *,
        max_rows: int = 12,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Show a frame.

        Args:
            frame: A DataFrame, Series, numpy array or anything `as_frame` accepts.
            max_rows: The most rows shown at once; the table scrolls beyond that.
            name: The name of the widget.
            id: The ID of the widget in the DOM.
            classes: The CSS classes of the widget.
        """
        super().__init__(name=name, id=id, classes=classes)
        self.frame = as_frame(frame)
        self.max_rows = max_rows
        self._blocks: OrderedDict[int, list[tuple[str, str]]] = OrderedDict()
        rows, columns = self.frame.shape
        self.border_subtitle = shape_caption(rows, columns)
        head = range(min(rows, SAMPLE_ROWS))
        self._sample = sorted({*head, *range(max(rows - SAMPLE_ROWS, 0), rows)})
        index = self.frame.index
        self._labels = index.nlevels
        headers = ["" if name is None else _label(name) for name in index.names]
        headers += [_label(column) for column in self.frame.columns]
        self._right = [False] * self._labels
        self._right += [dtype.kind in "biufcmM" for dtype in self.frame.dtypes]
        sample = self._format_cells(self._sample) if rows else [[] for _ in headers]
        self._widths = [
            min(max(map(cell_len, [header, *cells])), MAX_CELL_WIDTH) or 1
            for header, cells in zip(headers, sample, strict=True)
        ]
        self._header = self._join(headers)
        self._label_width, data_width = map(cell_len, self._header)
        self.virtual_size = Size(self._label_width + data_width, rows + 1)

    def _format_cells(self, positions: list[int]) -> list[list[str]]:
        """Format the rows at `positions` as pandas displays them, one list per column.

        The index levels come first. The sample rows are formatted along with the rows
        asked for, so that pandas picks the same precision and notation in every block.
        """
        # What DataFrame.to_string calls for each column; it returns one string per cell.
        from pandas.io.formats.format import format_array

        context = positions if positions == self._sample else self._sample + positions
        part = self.frame.iloc[context]
        arrays = [part.index.get_level_values(level)._values for level in range(self._labels)]
        arrays += [part.iloc[:, column]._values for column in range(part.shape[1])]
        skip = len(context) - len(positions)
        return [
            [printable(cell.strip()) for cell in format_array(array, None)[skip:]]
            for array in arrays
        ]

    def _join(self, cells: list[str]) -> tuple[str, str]:
        """Lay out one line's cells as its label part and its data part."""
        parts = [
            f" {_fit(cell, width, right)} "
            for cell, width, right in zip(cells, self._widths, self._right, strict=True)
        ]
        return "".join(parts[: self._labels]), "".join(parts[self._labels :])

    def _row(self, row: int) -> tuple[str, str]:
        """The laid-out text of one row, formatting its block if it isn't cached."""
        block = row // BLOCK_ROWS
        lines = self._blocks.get(block)
        if lines is None:
            start = block * BLOCK_ROWS
            stop = min(start + BLOCK_ROWS, len(self.frame))
            columns = self._format_cells(list(range(start, stop)))
            lines = [self._join(list(cells)) for cells in zip(*columns, strict=True)]
            self._blocks[block] = lines
            if len(self._blocks) > CACHED_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block)
        return lines[row % BLOCK_ROWS]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The width of the table, or of its caption if that is wider."""
        return max(self.virtual_size.width, cell_len(str(self.border_subtitle)) + 4)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The header plus up to `max_rows` rows."""
        return min(len(self.frame), self.max_rows) + 1

    def render_line(self, y: int) -> Strip:
        """Render the header (line 0) or one row of the frame."""
        width = self.scrollable_content_region.width
        row = round(self.scroll_y) + y - 1
        if y == 0:
            style = label_style = self.get_component_rich_style("frame-table--header")
            label, data = self._header
        elif row < len(self.frame):
            stripe = self.get_component_rich_style("frame-table--stripe")
            style = stripe if row % 2 else self.rich_style
            labels = self.get_component_rich_style("frame-table--label")
            label_style = style + labels.without_color + Style.from_color(labels.color)
            label, data = self._row(row)
        else:
            return Strip.blank(width, self.rich_style)
        scroll_x = round(self.scroll_x)
        data_strip = Strip([Segment(data, style)]).crop(
            scroll_x, scroll_x + width - self._label_width
        )
        line = Strip.join([Strip([Segment(label, label_style)], self._label_width), data_strip])
        return line.crop(0, width).extend_cell_length(width, style)

    def _scroll_page(self, direction: int) -> None:
        if not self.allow_vertical_scroll:
            raise SkipAction()
        page = max(self.scrollable_content_region.height - 1, 1)  # Less the header line.
        self.scroll_to(y=self.scroll_y + direction * page, animate=False)

    def action_page_down(self) -> None:
        """Scroll down by the number of rows shown."""
        self._scroll_page(1)

    def action_page_up(self) -> None:
        """Scroll up by the number of rows shown."""
        self._scroll_page(-1)

    # Home and End jump: an animated scroll would format every block on its way.

    def action_scroll_home(self) -> None:
        """Jump to the first row, or to the first column when already there."""
        if not (self.allow_vertical_scroll or self.allow_horizontal_scroll):
            raise SkipAction()
        self.scroll_home(animate=False, x_axis=self.scroll_y == 0)

    def action_scroll_end(self) -> None:
        """Jump to the last row, or to the last column when already there."""
        if not (self.allow_vertical_scroll or self.allow_horizontal_scroll):
            raise SkipAction()
        self.scroll_end(animate=False, x_axis=self.is_vertical_scroll_end)
