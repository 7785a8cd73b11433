"""Tables: DataFrames of 10k, 100k and 1M rows x 10 in `FrameTable`, against `DataTable`.

Each case runs in a fresh process (see `harness.in_fresh_process`), so that the memory
one case grew and freed can't hide another's. Two steps are timed, each to the settled
paint (see `benchmarks.harness`):

- *mount*: from constructing the widget to the first screen that shows it painted;
- *jump to the end*: from pressing End, with the table focused, to the last row painted.

The RSS added is the process's resident memory after the mount's paint less before it;
the frame itself is built before, so it is not counted, and is given as
`df.memory_usage(deep=True)` for comparison (the goal: at most 1.5x that).

`FrameTable` gets the whole frame. Textual's `DataTable` gets `add_columns` and
`add_rows` of the same rows as `rich.text.Text` cells (plain text, as the design
requires). Its cells are built before the clock starts, so only Textual's own work is
timed, but after the memory baseline, since the table keeps them. DataTable is measured
at 10k and 30k rows (`DATATABLE_SIZES`); its time and memory grow with the rows, so its
figures at 100k are extrapolated from those two by `benchmarks.fit` (the lower of a line
and a power law), and the report says so. (The 04:48 UTC full run of 2026-12-03 measured
it at 100k: 20.5 s and 519.5 MB; extrapolated, a loaded run gave 17.7 s and 499 MB, so the
extrapolation errs low, in DataTable's favour. A million rows would block for minutes.)
`--quick` uses 2,000 and 20,000 rows instead of 10k and 100k, measures DataTable at 2,000
and 6,000, and runs every case in one process.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.pilot import Pilot
from textual.widget import Widget

from benchmarks.fit import fit
from benchmarks.harness import FrameClock, Row, goal, in_fresh_process, rss, run_headless, settle
from tui.app import STYLES

__all__ = ["run"]

SIZES, QUICK_SIZES = (10_000, 100_000, 1_000_000), (2_000, 20_000, 1_000_000)
COLUMNS = 10
DATATABLE_SIZES, QUICK_DATATABLE_SIZES = (10_000, 30_000), (2_000, 6_000)
"""Rows DataTable is measured at; its figures at the larger `SIZES` are extrapolated."""
SHOWN_ROWS = 34
"""Rows a table shows at once: the screen's height less header, border and caption."""
GOAL_SECONDS, GOAL_MEMORY = 0.3, 1.5


class TableApp(App[None]):
    """An empty screen to mount one table into."""

    CSS_PATH = [STYLES / "frame_table.tcss"]
    CSS = "DataTable { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Vertical(id="room")


def make_frame(rows: int) -> pd.DataFrame:
    """A deterministic float frame of `rows` x 10, with columns `c0` to `c9`."""
    generator = np.random.default_rng(7)
    data = generator.standard_normal((rows, COLUMNS)) * 1000
    return pd.DataFrame(data, columns=[f"c{i}" for i in range(COLUMNS)])


async def measure(kind: str, rows: int) -> dict[str, float]:
    """Mount a table of `rows` (`kind` "frame" or "datatable"), then jump to its end.

    Returns seconds to each paint (`mount`, `jump`), the RSS `added` in bytes and the
    frame's own `frame_bytes`.
    """
    frame = make_frame(rows)
    frame_bytes = float(frame.memory_usage(deep=True).sum())

    async def steps(pilot: Pilot[Any], clock: FrameClock) -> dict[str, float]:
        await settle(pilot, clock)
        before = rss()
        if kind == "frame":
            from tui.widgets.transcript.frame_table import FrameTable

            def make() -> Widget:
                return FrameTable(frame, max_rows=SHOWN_ROWS)
        else:
            from rich.text import Text
            from textual.widgets import DataTable

            cells = [[Text(repr(value)) for value in row] for row in frame.itertuples()]

            def make() -> Widget:
                table: DataTable[Text] = DataTable()
                table.add_columns("index", *frame.columns)
                table.add_rows(cells)
                return table

        start = time.perf_counter()
        table = make()
        await pilot.app.query_one("#room").mount(table)
        mounted = await settle(pilot, clock) - start
        added = rss() - before
        table.focus()
        await settle(pilot, clock)
        frames, start = clock.frames, time.perf_counter()
        await pilot.press("end")
        jumped = await settle(pilot, clock) - start
        assert clock.frames > frames, "the jump painted nothing"
        return {"mount": mounted, "jump": jumped, "added": added, "frame_bytes": frame_bytes}

    result: dict[str, float] = await run_headless(TableApp(), steps)
    return result


async def _ready(value: Any) -> Any:
    return value


def _datatable_at(tables: dict[int, dict[str, float]], rows: int) -> tuple[dict[str, Any], str]:
    """DataTable's figures at `rows`: measured, or extrapolated from `tables`; and their label."""
    label = f"DataTable.add_rows, {rows:,} rows"
    if rows in tables:
        return tables[rows], label
    sizes = " and ".join(f"{size:,}" for size in tables)
    figures: dict[str, Any] = {}
    for key in ("mount", "added"):
        points = [(size, figures_[key]) for size, figures_ in tables.items()]
        # --quick runs every case in one process, where the RSS added can be negative.
        positive = min(value for _, value in points) > 0
        figures[key] = fit(points).total([rows]) if positive else None
    return figures, f"{label}, extrapolated from {sizes} rows (the lower of a line and a power law)"


def _measured(tables: dict[int, dict[str, float]], key: str) -> str:
    """DataTable's `key` figure ("mount" or "added") at each size measured, for a note."""
    shown = {"mount": lambda v: f"{v:.2f} s", "added": lambda v: f"{v / 1e6:,.1f} MB"}[key]
    return "DataTable measured: " + ", ".join(
        f"{size:,} rows {shown(figures[key])}" for size, figures in tables.items()
    )


async def run(quick: bool) -> list[Row]:
    """Time both tables at each size, each in its own process; the report's rows."""

    async def here(*args: Any) -> dict[str, float]:
        return await measure(*args)

    def case(kind: str, rows: int) -> Any:
        return here(kind, rows) if quick else _ready(in_fresh_process(measure, kind, rows))

    frames = {rows: await case("frame", rows) for rows in (QUICK_SIZES if quick else SIZES)}
    sizes = QUICK_DATATABLE_SIZES if quick else DATATABLE_SIZES
    tables = {rows: await case("datatable", rows) for rows in sizes}
    result = []
    for rows, ours in frames.items():
        big = rows == max(frames)
        theirs, baseline = _datatable_at(tables, rows) if not big else (None, "")
        baseline = baseline or "none (DataTable: minutes)"
        fitted = bool(theirs) and rows not in tables
        memory_ratio = ours["added"] / ours["frame_bytes"]
        result += [
            Row(
                "tables",
                f"{rows:,} x {COLUMNS} floats: mount to painted screen",
                ours["mount"],
                baseline,
                theirs["mount"] if theirs else None,
                _measured(tables, "mount") if fitted else "",
                goal=goal(ours["mount"] <= GOAL_SECONDS, "1M rows <= 0.3 s") if big else "",
            ),
            Row(
                "tables",
                f"{rows:,} rows: RSS added by the mount",
                ours["added"],
                baseline,
                theirs["added"] if theirs else None,
                f"the frame itself: {ours['frame_bytes'] / 1e6:,.1f} MB; added/frame = "
                f"{memory_ratio:.2f}" + (f"; {_measured(tables, 'added')}" if fitted else ""),
                unit="B",
                goal=goal(memory_ratio <= GOAL_MEMORY, "added <= 1.5x the frame's memory")
                if big
                else "",
            ),
        ]
    top, compare = max(frames), max(tables)
    # The jump is compared at the largest size DataTable was measured at.
    result.append(
        Row(
            "tables",
            f"jump to the last row (End) and paint, {top:,} rows",
            frames[top]["jump"],
            f"DataTable, End at {compare:,} rows",
            tables[compare]["jump"],
            "cursor or scroll moves to the last row",
        )
    )
    return result
