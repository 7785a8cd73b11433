"""Runs of children hidden behind one `FoldedRun` each leave every other child exactly
where it was, whatever the margins around them, as the runs grow, shrink, split and go."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Static

from tests.screen import screen_lines
from tui.widgets.folded_runs import FoldedRun, dissolve, merge, places

MARGINS = [(1, 0), (0, 2), (3, 1), (0, 0), (2, 2), (1, 3), (0, 1), (2, 0), (1, 1), (4, 0)]
"""Top and bottom margin of each child: runs start and end next to every kind of neighbour."""


class Column(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for n, (top, bottom) in enumerate(MARGINS):
                child = Static("\n".join(f"line {n}.{i}" for i in range(n % 4 + 1)), id=f"c{n}")
                child.styles.margin = (top, 0, bottom, 0)
                yield child


def regions(column: VerticalScroll) -> dict[str, Region]:
    return {c.id or "": c.virtual_region for c in column.children if not isinstance(c, FoldedRun)}


async def hide(column: VerticalScroll, hidden: set[int]) -> None:
    await merge(column, places(column.children), lambda p: int(p.widget.id[1:]) in hidden)  # type: ignore[index]


@pytest.mark.parametrize(
    "steps",
    [
        [{1, 2, 3}, {1, 2, 3, 4, 5}, {3, 4, 5}, {0, 1, 4, 5, 6, 9}, {5}, set()],
        [{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {0, 1, 2, 7, 8, 9}, {2, 3, 4, 5, 6}, {8, 9}],
    ],
)
async def test_hidden_runs_leave_every_shown_child_where_it_was(steps: list[set[int]]) -> None:
    app = Column()
    async with app.run_test(size=(40, 20)) as pilot:
        column = app.query_one(VerticalScroll)
        await pilot.pause()
        laid_out, height = regions(column), column.virtual_size.height
        for hidden in steps:
            await hide(column, hidden)
            await pilot.pause()
            shown = {c.id for c in column.children if c.display and not isinstance(c, FoldedRun)}
            assert shown == {f"c{n}" for n in range(len(MARGINS)) if n not in hidden}
            now = regions(column)
            assert {i: now[i] for i in shown} == {i: laid_out[i] for i in shown}  # type: ignore[index]
            assert column.virtual_size.height == height
            runs = [c for c in column.children if isinstance(c, FoldedRun) and c.display]
            assert sum(len(run.members) for run in runs) == len(hidden)
            assert {p.widget.id: p.y for p in places(column.children)} == {
                i: r.y for i, r in laid_out.items()
            }, "places() finds hidden children where they were laid out"
        await dissolve(column)
        await pilot.pause()
        assert regions(column) == laid_out
        assert not column.query(FoldedRun)


async def test_a_run_costs_the_layout_one_widget() -> None:
    app = Column()
    async with app.run_test(size=(40, 20)) as pilot:
        column = app.query_one(VerticalScroll)
        await pilot.pause()
        await hide(column, {1, 2, 3, 4, 5, 6, 7, 8})
        await pilot.pause()
        arranged: Any = column.arrange(column.scrollable_content_region.size)
        assert len(arranged.placements) == 3, "c0, one FoldedRun, c9"
        assert screen_lines(app)[2:5] == ["", "", ""], "a blank shows nothing, not its name"
