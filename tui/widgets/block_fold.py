"""Folding a long `Markdown`'s far-off blocks out of layout, and back in as they come near.

Textual lays out every displayed widget of the screen after each change of layout, on
screen or not, so while a long answer streams, each append costs more the longer the
answer already is. `refold` hides each run of top-level blocks further than `NEAR`
screens from what its scroll container shows behind one blank of the run's height
(`tui.widgets.folded_runs`, as the log does with far messages), so nothing on the
screen moves, and layout visits the blocks near the screen however long the document.

The blocks stay as they are, only hidden, so unfolding them shows the very same widgets.
A blank's height holds only at the width it was measured at: after a resize, `refold`
shows everything again, and folds once the blocks have been laid out at the new width.
The last block, the one a stream still appends to, is never folded.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from textual.errors import NoWidget
from textual.widgets import Markdown

from tui.widgets.folded_runs import dissolve, merge, places

__all__ = ["NEAR", "refold"]

NEAR = 1.0
"""Screens above and below the visible part within which blocks stay unfolded."""

_measured_at: WeakKeyDictionary[Markdown, int] = WeakKeyDictionary()
"""The width at which each Markdown's folded blocks were measured."""


def _window(markdown: Markdown) -> tuple[float, float] | None:
    """The lines of the document from `NEAR` screens above what is shown to `NEAR` below."""
    try:
        geometry = markdown.screen.find_widget(markdown)
    except NoWidget:
        return None
    clip, region = geometry.clip, geometry.region
    top = region.y + markdown.styles.gutter.top
    return clip.y - top - NEAR * clip.height, clip.bottom - top + NEAR * clip.height


async def refold(markdown: Markdown) -> None:
    """Fold `markdown`'s blocks far from the screen, and unfold those near it."""
    width = markdown.size.width
    if _measured_at.get(markdown, width) != width:
        del _measured_at[markdown]
        await dissolve(markdown)
        return
    window = _window(markdown)
    if window is None:
        return
    top, bottom = window
    placed = places(markdown.children)[:-1]
    await merge(markdown, placed, lambda place: place.y + place.height < top or place.y > bottom)
    _measured_at[markdown] = width
