"""FrameTable: a virtual DataFrame table that formats only what is on screen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult

from tui.widgets.transcript import frame_table
from tui.widgets.transcript.frame_table import MAX_CELL_WIDTH, FrameTable, as_frame

STYLES = Path(__file__).resolve().parents[2] / "styles" / "frame_table.tcss"


class TableApp(App[None]):
    """One FrameTable, styled by the widget's own stylesheet."""

    CSS_PATH = STYLES

    def __init__(self, frame: Any, **options: Any) -> None:
        super().__init__()
        self.frame = frame
        self.options = options

    def compose(self) -> ComposeResult:
        yield FrameTable(self.frame, **self.options)


def screen_lines(table: FrameTable) -> list[str]:
    """The text of every line the table shows: the header, then the visible rows."""
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


async def show(frame: Any, size: tuple[int, int] = (100, 30), **options: Any) -> list[str]:
    """Mount `frame` in a table and return the lines on screen and the caption."""
    app = TableApp(frame, **options)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.query_one(FrameTable)
        return [*screen_lines(table), str(table.border_subtitle)]


def cells(lines: list[str]) -> list[str]:
    """The value column of a one-column frame's lines: what follows the index label."""
    return [line.split(None, 1)[1].strip() if len(line.split()) > 1 else "" for line in lines]


@pytest.fixture
def formatted_rows(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record how many rows each call to the block formatter was asked for."""
    calls: list[int] = []
    original = FrameTable._format_cells

    def spy(self: FrameTable, positions: list[int]) -> list[list[str]]:
        calls.append(len(positions))
        return original(self, positions)

    monkeypatch.setattr(FrameTable, "_format_cells", spy)
    return calls


def million_rows() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(rng.random((1_000_000, 10)), columns=[f"c{i}" for i in range(10)])


async def test_a_million_rows_show_at_once_formatting_only_a_few_blocks(
    formatted_rows: list[int],
) -> None:
    app = TableApp(million_rows())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        table = app.query_one(FrameTable)
        lines = screen_lines(table)
        assert table.border_subtitle == "1,000,000 rows × 10 columns"
        assert lines[0].split()[:8] == ["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"]
        assert [line.split()[0] for line in lines[1:13]] == [str(i) for i in range(12)]
        # The sample (100 rows at each end) and the first block, not the frame.
        assert sum(formatted_rows) <= 2 * frame_table.SAMPLE_ROWS + frame_table.BLOCK_ROWS
        assert len(table._blocks) == 1

        table.focus()
        await pilot.press("end")
        await pilot.pause()
        lines = screen_lines(table)
        assert lines[-1].split()[0] == "999999"
        assert lines[0].split()[0] == "c0"  # The header stays.
        # End jumps: it formats the last block, not every block on the way down.
        assert len(formatted_rows) == 3
        assert len(table._blocks) <= frame_table.CACHED_BLOCKS


async def test_height_is_capped_at_max_rows_and_pages_move_by_the_rows_shown() -> None:
    app = TableApp(pd.DataFrame({"n": range(50)}), max_rows=5)
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        table = app.query_one(FrameTable)
        assert table.region.height == 5 + 1 + 2  # Rows, header, border.
        assert [line.split()[0] for line in screen_lines(table)[1:]] == ["0", "1", "2", "3", "4"]
        table.focus()
        await pilot.press("pagedown")
        await pilot.pause()
        assert [line.split()[0] for line in screen_lines(table)[1:]] == ["5", "6", "7", "8", "9"]
        await pilot.press("down", "pageup", "home")
        await pilot.pause()
        assert screen_lines(table)[1].split()[0] == "0"


async def test_a_short_frame_is_as_tall_as_its_rows() -> None:
    app = TableApp(pd.DataFrame({"n": range(3)}))
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        assert app.query_one(FrameTable).region.height == 3 + 1 + 2


async def test_markup_in_cells_and_names_shows_literally() -> None:
    values = ["[/]", "list[int]", "[link=x]y", "[bold]b[/bold]"]
    lines = await show(pd.DataFrame({"[b]col[/b]": values}))
    assert lines[0].strip() == "[b]col[/b]"
    assert cells(lines[1:5]) == values


async def test_control_characters_never_reach_the_terminal() -> None:
    frame = pd.DataFrame(
        {"a\nb": ["\x1b[31mred", "bell\x07", {"k": "x\ny"}, "c1\x9b2J"]}, dtype=object
    )
    lines = await show(frame)
    assert lines[0].strip() == "a⏎b"
    assert cells(lines[1:5]) == ["␛[31mred", "bell␇", "{'k': 'x⏎y'}", "c1\\x9b2J"]
    for line in lines:
        assert not any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in line)


def _frames() -> dict[str, pd.Series]:
    return {
        "small floats": pd.Series([0.00123, 1.5, np.nan, 12345.678]),
        "tiny floats": pd.Series([1e-9, 1.0, 2.5]),
        "ints": pd.Series([1, -20, 300]),
        "bools": pd.Series([True, False, True]),
        "nullable Int64": pd.Series([1, None, 3], dtype="Int64"),
        "strings": pd.Series(["a", None, "ccc"], dtype="string"),
        "object with None": pd.Series(["a", None, "c"], dtype=object),
        "mixed object": pd.Series(["a", 1.5, [1, 2], None], dtype=object),
        "datetimes": pd.Series(pd.date_range("2024-01-01", periods=3, freq="h")),
        "datetimes with NaT": pd.Series([pd.Timestamp("2024-05-06"), pd.NaT]),
        "tz-aware": pd.Series(pd.date_range("2024-01-01", periods=3, tz="Europe/Paris")),
        "categorical": pd.Series(["x", None, "y"], dtype="category"),
        "timedeltas": pd.Series(pd.to_timedelta([1, None, 90], unit="s")),
    }


@pytest.mark.parametrize("series", _frames().values(), ids=_frames().keys())
async def test_cells_show_what_print_shows(series: pd.Series) -> None:
    frame = series.to_frame("value")
    expected = cells(str(frame).splitlines()[1:])  # pandas' own display, less the header
    assert cells((await show(frame))[1 : len(frame) + 1]) == expected


async def test_small_numbers_keep_their_digits() -> None:
    frame = pd.DataFrame({"x": [0.00123, 4.5]})
    assert "0.00123" in str(frame)
    assert cells((await show(frame))[1:3]) == cells(str(frame).splitlines()[1:])


async def test_long_cells_are_cropped_with_an_ellipsis() -> None:
    lines = await show(pd.DataFrame({"text": ["x" * 100, "中文" * 40, "short"]}))
    assert cells(lines[1:2]) == ["x" * (MAX_CELL_WIDTH - 1) + "…"]
    assert cell_len(cells(lines[2:3])[0]) <= MAX_CELL_WIDTH
    assert cells(lines[2:3])[0].endswith("…")


async def test_multiindex_rows_and_columns() -> None:
    index = pd.MultiIndex.from_product([["a", "b"], [1, 2]], names=["key", None])
    columns = pd.MultiIndex.from_tuples([("x", 1), ("x", 2), ("y", 1)])
    lines = await show(pd.DataFrame(np.arange(12).reshape(4, 3), index=index, columns=columns))
    assert lines[0].split() == ["key", "x", "/", "1", "x", "/", "2", "y", "/", "1"]
    assert [line.split() for line in lines[1:5]] == [
        ["a", "1", "0", "1", "2"],
        ["a", "2", "3", "4", "5"],
        ["b", "1", "6", "7", "8"],
        ["b", "2", "9", "10", "11"],
    ]
    assert lines[-1] == "4 rows × 3 columns"


async def test_non_string_column_names_and_a_named_index() -> None:
    frame = pd.DataFrame({0: [1], (1, 2): [2]}, index=pd.Index(["r"], name="row"))
    lines = await show(frame)
    assert lines[0].split() == ["row", "0", "1", "/", "2"]
    assert lines[1].split() == ["r", "1", "2"]
    assert lines[-1] == "1 row × 2 columns"


async def test_one_by_one() -> None:
    lines = await show(pd.DataFrame({"a": [7]}))
    assert lines[-1] == "1 row × 1 column"
    assert lines[1].split() == ["0", "7"]


async def test_a_narrow_table_is_wide_enough_for_its_caption() -> None:
    app = TableApp(pd.DataFrame({"a": [7]}))
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(FrameTable)
        # The caption, a space and a border line at each side, and the two corners.
        assert table.region.width >= cell_len(str(table.border_subtitle)) + 6


async def test_an_empty_frame_shows_its_header_and_shape() -> None:
    lines = await show(pd.DataFrame(columns=["a", "b", "c"]))
    assert lines[0].split() == ["a", "b", "c"]
    assert lines[-1] == "0 rows × 3 columns"
    assert all(not line.strip() for line in lines[1:-1])


async def test_a_frame_with_nothing_at_all() -> None:
    assert (await show(pd.DataFrame()))[-1] == "0 rows × 0 columns"


async def test_rows_without_columns() -> None:
    lines = await show(pd.DataFrame(index=["a", "b"]))
    assert [line.strip() for line in lines[1:3]] == ["a", "b"]
    assert lines[-1] == "2 rows × 0 columns"


async def test_series_and_numpy_arrays() -> None:
    named = await show(pd.Series([1.5, 2.25], name="price"))
    assert named[0].split() == ["price"]
    assert named[-1] == "2 rows × 1 column"
    assert (await show(pd.Series(["x"])))[0].split() == ["0"]
    vector = await show(np.array([3, 4, 5]))
    assert [line.split() for line in vector[:4]] == [["0"], ["0", "3"], ["1", "4"], ["2", "5"]]
    matrix = await show(np.arange(6).reshape(2, 3))
    assert matrix[0].split() == ["0", "1", "2"]
    assert matrix[-1] == "2 rows × 3 columns"


def test_as_frame() -> None:
    frame = pd.DataFrame({"a": [1]})
    assert as_frame(frame) is frame
    assert list(as_frame(pd.Series([1], name="s")).columns) == ["s"]
    assert as_frame(np.float64(2.5)).shape == (1, 1)
    assert as_frame(pd.Index([1, 2], name="i")).columns.tolist() == ["i"]
    with pytest.raises(ValueError, match="3-D"):
        as_frame(np.zeros((2, 2, 2)))


async def test_header_and_rows_are_readable_in_dark_and_light_themes() -> None:
    app = TableApp(pd.DataFrame({"a": [1, 2]}))
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(FrameTable)
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            for y in range(3):
                for segment in table.render_line(y):
                    style = segment.style
                    assert style is not None and style.color != style.bgcolor


def test_importing_the_module_does_not_import_pandas() -> None:
    code = "import sys, tui.widgets.transcript.frame_table; print('pandas' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
