"""Folding a long `Markdown`'s far-off blocks out of layout, and back in as they come near.

Textual lays out every displayed widget of the screen after each change of layout, on
screen or not, so while a long answer streams, each append costs more the longer the
answer already is. `refold` hides (`display: none`) each run of top-level blocks that lies
further than `NEAR` screens from what its scroll container shows, and puts one
`FoldedBlocks` in its place: a blank exactly as tall as the run was, margins and all, so
nothing on the screen moves. Layout then visits the blocks near the screen and one blank
per run, however long the document.

The blocks stay as they are, only hidden, so unfolding them shows the very same widgets.
A blank's height holds only at the width it was measured at: after a resize, `refold`
unfolds everything, and folds again once the blocks have been laid out at the new width.
The last block, the one a stream still appends to, is never folded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.errors import NoWidget
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Markdown

__all__ = ["NEAR", "FoldedBlocks", "refold", "unfold_all"]

NEAR = 1.0
"""Screens above and below the visible part within which blocks stay unfolded."""
MIN_RUN = 4
"""The fewest blocks folded together: a shorter run saves less layout than it costs."""


class FoldedBlocks(Widget):
    """A blank standing in for a run of hidden blocks, exactly as tall as they were.

    Args:
        blocks: The blocks it stands in for, in order, already hidden.
        heights: Their heights when they were shown (a hidden widget has no size).
        lines: Its height: from just below the block before the run (or the top) to just
            above the block after it, the margins between them included.
        width: The width of the `Markdown` when the blocks were measured.
    """

    DEFAULT_CSS = """
    FoldedBlocks { height: auto; margin: 0; padding: 0; border: none; }
    """

    def __init__(self, blocks: list[Widget], heights: list[int], lines: int, width: int) -> None:
        super().__init__(classes="folded-blocks")
        self.blocks = blocks
        self.heights = heights
        self.lines = lines
        self.width = width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Its height is the run's, whatever the layout asks (the stream layout sizes every
        child by its content)."""
        return self.lines


@dataclass
class _Place:
    """Where a top-level block is, or was before it was hidden, in the document's lines."""

    block: Widget
    top: int
    bottom: int


def _places(markdown: Markdown) -> list[_Place]:
    """Each top-level block's place as if none were folded, found by stacking them as the
    vertical and stream layouts do (adjacent margins collapse), up to the first block not
    laid out yet, whose height is not known."""
    places: list[_Place] = []
    y = 0
    below: int | None = None
    for child in markdown.children:
        if not child.display:  # a folded block: its blank stands before it
            continue
        if isinstance(child, FoldedBlocks):
            blocks = zip(child.blocks, child.heights, strict=True)
        elif child.size.width:
            blocks = zip([child], [child.outer_size.height], strict=True)
        else:
            return places
        for block, height in blocks:
            margin = block.styles.margin
            y += margin.top if below is None else max(below, margin.top)
            places.append(_Place(block, y, y + height))
            y += height
            below = margin.bottom
    return places


def _window(markdown: Markdown) -> tuple[float, float] | None:
    """The lines of the document from `NEAR` screens above what is shown to `NEAR` below."""
    try:
        geometry = markdown.screen.find_widget(markdown)
    except NoWidget:
        return None
    clip, region = geometry.clip, geometry.region
    top = region.y + markdown.styles.gutter.top
    return clip.y - top - NEAR * clip.height, clip.bottom - top + NEAR * clip.height


def _far_runs(places: list[_Place], top: float, bottom: float) -> list[list[_Place]]:
    """The runs of at least `MIN_RUN` blocks all outside `top`..`bottom`; the last block
    placed is left out, so that each run has a block after it to measure its blank by."""
    runs: list[list[_Place]] = []
    run: list[_Place] = []
    for place in places[:-1]:
        if place.bottom < top or place.top > bottom:
            run.append(place)
            continue
        if len(run) >= MIN_RUN:
            runs.append(run)
        run = []
    if len(run) >= MIN_RUN:
        runs.append(run)
    return runs


async def refold(markdown: Markdown) -> None:
    """Fold `markdown`'s blocks far from the screen, and unfold those near it.

    Only blocks that change side are shown or hidden (each costs a layout message), and a
    blank whose run still starts at the same block is kept and resized, so that a run
    growing as a stream scrolls on costs what it gained.
    """
    folds = list(markdown.query_children(FoldedBlocks))
    width = markdown.size.width
    if any(fold.width != width for fold in folds):
        await unfold_all(markdown)
        return
    window = _window(markdown)
    if window is None:
        return
    places = _places(markdown)
    runs = _far_runs(places, *window)
    if [[place.block for place in run] for run in runs] == [fold.blocks for fold in folds]:
        return
    index = {place.block: n for n, place in enumerate(places)}
    hidden = {block for fold in folds for block in fold.blocks}
    wanted = {place.block for run in runs for place in run}
    by_first = {fold.blocks[0]: fold for fold in folds}
    with markdown.app.batch_update():
        for block in hidden - wanted:
            block.display = True
        for block in wanted - hidden:
            block.display = False
        for run in runs:
            first, last = index[run[0].block], index[run[-1].block]
            before = places[first - 1] if first else None
            after = places[last + 1]
            start = 0 if before is None else before.bottom + before.block.styles.margin.bottom
            blocks = [place.block for place in run]
            heights = [place.bottom - place.top for place in run]
            lines = after.top - after.block.styles.margin.top - start
            fold = by_first.pop(blocks[0], None)
            if fold is None:
                await markdown.mount(FoldedBlocks(blocks, heights, lines, width), before=blocks[0])
            elif (fold.blocks, fold.lines) != (blocks, lines):
                fold.blocks, fold.heights, fold.lines = blocks, heights, lines
                fold.refresh(layout=True)
        for fold in by_first.values():
            await fold.remove()


async def _unfold(fold: FoldedBlocks) -> None:
    for block in fold.blocks:
        block.display = True
    await fold.remove()


async def unfold_all(markdown: Markdown, where: Callable[[Widget], bool] | None = None) -> None:
    """Show every folded block of `markdown` again, or only the runs holding a block for
    which `where` is true."""
    folds = [
        fold
        for fold in markdown.query_children(FoldedBlocks)
        if where is None or any(map(where, fold.blocks))
    ]
    if folds:
        with markdown.app.batch_update():
            for fold in folds:
                await _unfold(fold)
