"""`MessageLog`: the scrolling transcript, which follows new output until you scroll up."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Button

from tui.history import Turn
from tui.widgets.folded_runs import Place, dissolve, merge, places

__all__ = ["MessageLog"]

BATCH = 8
"""Turns mounted at a time when a stored session is shown: the rest wait behind a button,
so a session of thousands of messages opens as fast as a short one."""
NEAR = 1.0
"""Screens above and below the visible one within which answers are kept unfolded."""
CHECK_EVERY = 0.25
"""Seconds between checks for folding after the log grew or scrolled to follow its end
(anchored scrolling sets the offset without calling `watch_scroll_y`)."""


def _settled(widget: Widget) -> bool:
    """Whether `widget` is a message that stays as it is until it is unfolded."""
    return bool(getattr(widget, "settled", False))


class MessageLog(VerticalScroll, can_focus=False):
    """The transcript. It stays anchored to the bottom until the user scrolls up, and
    anchors again when they scroll back to the end.

    Answers further than `NEAR` screens from the visible part are folded (see
    `ChatMessage.fold`), and unfolded as they come near again, so its memory grows with
    what is on screen, not with the length of the conversation. Runs of far messages are
    hidden behind one blank each, and so are runs of Markdown blocks far from the screen
    within the answers near it (see `tui.widgets.block_fold`), so that layout, which
    visits every widget shown, costs what is near the screen.

    Args:
        render_turn: Builds the widgets (prompt and answer) that show one stored turn.
    """

    def __init__(self, render_turn: Callable[[Turn], list[Widget]], *, id: str | None = None):
        super().__init__(id=id)
        self._render_turn = render_turn
        self._older: list[Turn] = []
        self._refold_due = False
        self._refolding = asyncio.Lock()
        self._folded_for: tuple[float, int, int] | None = None
        self._width = 0

    def on_mount(self) -> None:
        self.anchor()
        self.set_interval(CHECK_EVERY, self._check_refold)

    def _check_refold(self) -> None:
        if self._folded_for != self._view_key():
            self._schedule_refold()

    def _view_key(self) -> tuple[float, int, int]:
        return self.scroll_y, self.virtual_size.height, self.scrollable_content_region.height

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._schedule_refold()

    async def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            await dissolve(self)  # hidden messages are as tall as they were at the old width
        self._schedule_refold()

    def _schedule_refold(self) -> None:
        if not self._refold_due:
            self._refold_due = True
            self.call_after_refresh(self._refold)

    async def _refold(self) -> None:
        """Fold the answers far from the screen and unfold those near it, then hide each
        run of far messages behind one blank (see `folded_runs`). One at a time: a refold
        asked for while another runs waits for it, then works from where things are."""
        async with self._refolding:
            await self._refold_now()

    async def _refold_now(self) -> None:
        self._refold_due = False
        self._folded_for = self._view_key()
        height = self.scrollable_content_region.height
        top = self.scroll_y - NEAR * height
        bottom = self.scroll_y + (1 + NEAR) * height

        def near(place: Place) -> bool:
            return place.y + place.height >= top and place.y <= bottom

        placed = places(self.children)
        for place in placed:
            child = place.widget
            if not hasattr(child, "folded"):  # not a ChatMessage
                continue
            if near(place) and child.folded:
                await child.unfold()
            elif not near(place) and not child.folded:
                await child.fold()
        await merge(self, placed, lambda place: not near(place) and _settled(place.widget))

    async def show_turns(self, turns: list[Turn]) -> None:
        """Replace the transcript with stored turns, mounting only the latest ones."""
        await self.remove_children()
        self._older = list(turns)
        await self._mount_batch()
        self.anchor()

    async def _mount_batch(self) -> None:
        batch, self._older = self._older[-BATCH:], self._older[:-BATCH]
        widgets = [widget for turn in batch for widget in self._render_turn(turn)]
        button = self.query("#earlier")
        if button:
            await self.mount_all(widgets, after=button.first())
        else:
            await self.mount_all(widgets, before=0 if self.children else None)
        await self._update_button()

    async def _update_button(self) -> None:
        buttons = self.query("#earlier")
        if not self._older:
            await buttons.remove()
            return
        label = f"↑ {len(self._older):,} earlier turns"
        if buttons:
            buttons.first(Button).label = label
        else:
            await self.mount(Button(label, id="earlier", compact=True), before=0)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "earlier":
            event.stop()
            await self._mount_batch()
