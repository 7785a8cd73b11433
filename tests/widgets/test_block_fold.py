"""A long Markdown folds its far-off blocks out of layout, and the screen stays the same.

Each screen is compared cell by cell, styles included, with the same document, scrolled to
the same line, in an app that never folds.
"""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Markdown

from benchmarks.llm_text import llm_markdown
from tests.widgets.test_markdown_flow import Cells, cells, tree
from tui.app import STYLES
from tui.widgets.block_fold import FoldedBlocks, refold
from tui.widgets.markdown_flow import MarkdownFlow
from tui.widgets.stream_view import StreamView

TEXT = llm_markdown(12_000, seed=11)
SIZE = (90, 24)
SCROLL_TO = (0, 40, 170, 400)
"""Lines the log is scrolled to: the top, a screen down, the middle, near the end."""


class Log(App[None]):
    """A short log of one answer's body, with the app's CSS."""

    CSS_PATH = [STYLES / "app.tcss"]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="log"):
            yield StreamView(typewriter=0)


async def screen_at(pilot: Pilot[Any], markdown: Markdown, y: int, fold: bool) -> Cells:
    log = pilot.app.query_one("#log", VerticalScroll)
    log.scroll_to(y=y, animate=False)
    await pilot.pause()
    if fold:
        await refold(markdown)
        await pilot.pause()
    return cells(pilot.app)


async def screens(fold: bool) -> tuple[list[Cells], list[int], int]:
    """The screen at each of `SCROLL_TO`, how many blocks were hidden there, and the
    log's virtual height."""
    async with Log().run_test(size=SIZE) as pilot:
        markdown = Markdown(TEXT, classes="streamed")
        await pilot.app.query_one(StreamView).mount(markdown)
        await pilot.pause()
        shown, hidden = [], []
        for y in SCROLL_TO:
            shown.append(await screen_at(pilot, markdown, y, fold))
            hidden.append(sum(len(f.blocks) for f in markdown.query_children(FoldedBlocks)))
        return shown, hidden, pilot.app.query_one("#log").virtual_size.height


async def test_folding_far_blocks_keeps_every_screen_the_same() -> None:
    kept, never, height = await screens(fold=False)
    folded, hidden, folded_height = await screens(fold=True)
    assert not any(never)
    assert all(hidden), "every scroll position folds the blocks far from it"
    assert folded_height == height
    for y, expected, shown in zip(SCROLL_TO, kept, folded, strict=True):
        assert shown == expected, f"the screen differs scrolled to line {y}"


async def test_blocks_fold_while_streaming_and_the_finished_tree_is_whole() -> None:
    async with Log().run_test(size=SIZE) as pilot:
        pilot.app.query_one("#log", VerticalScroll).anchor()
        view = pilot.app.query_one(StreamView)
        flow = MarkdownFlow(classes="streamed")
        await view.mount(flow)
        stream = MarkdownFlow.get_stream(flow)
        most_hidden = 0
        for at in range(0, len(TEXT), 400):
            await stream.write(TEXT[at : at + 400])
            await pilot.pause()
            hidden = sum(len(f.blocks) for f in flow.query_children(FoldedBlocks))
            most_hidden = max(most_hidden, hidden)
        await stream.stop()
        await pilot.pause()
        streamed, streamed_tree = cells(pilot.app), tree(flow)
        assert most_hidden > 20, "the blocks scrolled far up were folded as the text came"
        expected = Markdown(TEXT, classes="streamed")
        await view.mount(expected)
        await flow.remove()
        await pilot.pause()
        assert cells(pilot.app) == streamed, "the end of the answer shows as a one-shot render"
        assert tree(expected) == streamed_tree


async def test_a_resize_unfolds_and_folds_again_at_the_new_width() -> None:
    async with Log().run_test(size=SIZE) as pilot:
        markdown = Markdown(TEXT, classes="streamed")
        await pilot.app.query_one(StreamView).mount(markdown)
        await pilot.pause()
        await screen_at(pilot, markdown, 170, fold=True)
        assert markdown.query_children(FoldedBlocks)
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        await refold(markdown)
        assert not markdown.query_children(FoldedBlocks), "blanks measured at 90 columns go"
        await pilot.pause()
        narrow = await screen_at(pilot, markdown, 170, fold=True)
        assert all(fold.width == markdown.size.width for fold in markdown.query(FoldedBlocks))
    async with Log().run_test(size=(60, 24)) as pilot:
        markdown = Markdown(TEXT, classes="streamed")
        await pilot.app.query_one(StreamView).mount(markdown)
        await pilot.pause()
        assert await screen_at(pilot, markdown, 170, fold=False) == narrow
