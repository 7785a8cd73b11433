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


class MessageLog(VerticalScroll, can_focus=False):
    """The transcript. It stays anchored to the bottom until the user scrolls up, and
    anchors again when they scroll back to the end.

    Each answer's text is one Line API widget (`tui.widgets.transcript.MarkdownLines`)
    that paints only its lines on screen, so far messages cost layout one widget each
    and nothing to paint: nothing is folded away.

    Args:
        render_turn: Builds the widgets (prompt and answer) that show one stored turn.
    """

    def __init__(self, render_turn: Callable[[Turn], list[Widget]], *, id: str | None = None):
        super().__init__(id=id)
        self._render_turn = render_turn
        self._older: list[Turn] = []

    def on_mount(self) -> None:
        self.anchor()

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
