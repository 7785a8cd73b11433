"""`MessageLog`: the scrolling transcript, which follows new output until you scroll up."""

from __future__ import annotations

from collections.abc import Callable

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Button

from tui.history import Turn

__all__ = ["MessageLog"]

BATCH = 8
"""Turns mounted at a time when a stored session is shown: the rest wait behind a button,
so a session of thousands of messages opens as fast as a short one."""
NEAR = 1.0
"""Screens above and below the visible one within which answers are kept unfolded."""
CHECK_EVERY = 0.25
"""Seconds between checks for folding after the log grew or scrolled to follow its end
(anchored scrolling sets the offset without calling `watch_scroll_y`)."""


class MessageLog(VerticalScroll, can_focus=False):
    """The transcript. It stays anchored to the bottom until the user scrolls up, and
    anchors again when they scroll back to the end.

    Answers further than `NEAR` screens from the visible part are folded (see
    `ChatMessage.fold`), and unfolded as they come near again, so its memory grows with
    what is on screen, not with the length of the conversation. Within the answers near
    it, so are the Markdown blocks far from it (see `tui.widgets.block_fold`), so that
    layout, which visits every widget shown, costs what is near the screen.

    Args:
        render_turn: Builds the widgets (prompt and answer) that show one stored turn.
    """

    def __init__(self, render_turn: Callable[[Turn], list[Widget]], *, id: str | None = None):
        super().__init__(id=id)
        self._render_turn = render_turn
        self._older: list[Turn] = []
        self._refold_due = False
        self._folded_for: tuple[float, int, int] | None = None

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

    def on_resize(self) -> None:
        self._schedule_refold()

    def _schedule_refold(self) -> None:
        if not self._refold_due:
            self._refold_due = True
            self.call_after_refresh(self._refold)

    async def _refold(self) -> None:
        """Fold the answers far from the screen and unfold those near it."""
        self._refold_due = False
        self._folded_for = self._view_key()
        height = self.scrollable_content_region.height
        top = self.scroll_y - NEAR * height
        bottom = self.scroll_y + (1 + NEAR) * height
        for child, y, height in self._places():
            if not hasattr(child, "folded"):  # not a ChatMessage
                continue
            near = y + height >= top and y <= bottom
            if near and child.folded:
                await child.unfold()
            elif not near and not child.folded:
                await child.fold()
            elif near and child.body is not None:
                await child.body.refold()

    def _places(self) -> list[tuple[Widget, int, int]]:
        """Each child with its top and height in the log's scrolled space, as of the last
        layout: the vertical layout stacks them, adjacent margins collapsing. This spares
        `virtual_region`, which maps every widget of the screen after each layout."""
        places = []
        y = below = 0
        for child in self.children:
            if not child.display:
                continue
            margin = child.styles.margin
            y += max(below, margin.top)
            places.append((child, y, child.outer_size.height))
            y += child.outer_size.height
            below = margin.bottom
        return places

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
