"""Tables: a 1,000,000 x 10 float DataFrame in `FrameTable` against Textual's `DataTable`.

Two steps are timed, each to the settled paint (see `benchmarks.harness`):

- *mount*: from constructing the widget to the first screen that shows it painted;
- *jump to the end*: from pressing End, with the table focused, to the last row painted.

`FrameTable` gets the whole frame. `DataTable` gets `add_columns` and `add_rows` of the
same frame's first rows as `rich.text.Text` cells (plain text, as the design requires).
Its cells are built before the clock starts, so only Textual's own work is timed. Its
row count is capped to keep it to seconds, and its mount time is extrapolated linearly
to the full frame: the time with no rows, plus the time per row measured at the cap
times a million. That is a lower bound if `add_rows` is worse than linear.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable

from benchmarks.harness import FrameClock, Row, run_headless, settle
from tui.app import STYLES
from tui.widgets.frame_table import FrameTable

__all__ = ["run"]

ROWS = 1_000_000
COLUMNS = 10
DATATABLE_ROWS = 50_000
"""Rows given to `DataTable` in full mode; `--quick` gives it 2,000."""
QUICK_DATATABLE_ROWS = 2_000
SHOWN_ROWS = 34
"""Rows a table shows at once: the screen's height less header, border and caption."""


class TableApp(App[None]):
    """An empty screen to mount one table into."""

    CSS_PATH = [STYLES / "frame_table.tcss"]
    CSS = "DataTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Vertical(id="room")


def make_frame(rows: int = ROWS) -> pd.DataFrame:
    """A deterministic float frame of `rows` x 10, with columns `c0` to `c9`."""
    generator = np.random.default_rng(7)
    data = generator.standard_normal((rows, COLUMNS)) * 1000
    return pd.DataFrame(data, columns=[f"c{i}" for i in range(COLUMNS)])


async def _time_table(make: Any, jump: bool = True) -> tuple[float, float]:
    """Mount the widget `make()` returns, then jump to its end; seconds to each paint."""

    async def steps(pilot: Pilot[Any], clock: FrameClock) -> tuple[float, float]:
        await settle(pilot, clock)
        start = time.perf_counter()
        table: Widget = make()
        await pilot.app.query_one("#room").mount(table)
        mounted = await settle(pilot, clock) - start
        if not jump:
            return mounted, 0.0
        table.focus()
        await settle(pilot, clock)
        frames, start = clock.frames, time.perf_counter()
        await pilot.press("end")
        jumped = await settle(pilot, clock) - start
        assert clock.frames > frames, "the jump painted nothing"
        return mounted, jumped

    return await run_headless(TableApp(), steps)


async def run(quick: bool) -> list[Row]:
    """Time both tables; return the report's rows."""
    frame = make_frame()
    frame_mount, frame_jump = await _time_table(lambda: FrameTable(frame, max_rows=SHOWN_ROWS))
    capped = QUICK_DATATABLE_ROWS if quick else DATATABLE_ROWS
    cells = [[Text(repr(value)) for value in row] for row in frame.head(capped).itertuples()]
    columns = ["index", *frame.columns]

    def data_table(rows: list[list[Text]]) -> DataTable[Text]:
        table: DataTable[Text] = DataTable()
        table.add_columns(*columns)
        table.add_rows(rows)
        return table

    empty_mount, _ = await _time_table(lambda: data_table([]), jump=False)
    table_mount, table_jump = await _time_table(lambda: data_table(cells))
    per_row = (table_mount - empty_mount) / capped
    return [
        Row(
            "tables",
            f"{ROWS:,} x {COLUMNS} floats: mount to painted screen",
            frame_mount,
            f"DataTable.add_rows, extrapolated from {capped:,} rows",
            empty_mount + per_row * ROWS,
            f"DataTable measured {table_mount:.2f} s at {capped:,} rows, {empty_mount:.2f} s "
            f"at 0; extrapolated linearly",
        ),
        Row(
            "tables",
            "jump to the last row (End) and paint",
            frame_jump,
            f"DataTable, End at {capped:,} rows (not extrapolated)",
            table_jump,
            "cursor or scroll moves to the last row",
        ),
    ]
