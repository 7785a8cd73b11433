"""`MessageLog`: the scrolling transcript, which follows new output until you scroll up."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.containers import VerticalScroll
from textual.widget import Widget

from tui.history import Turn

__all__ = ["MessageLog"]

BATCH = 8
"""Turns mounted at a time when a stored session is shown: older ones are mounted a batch at
a time as the user scrolls up to them, so a session of thousands of messages opens as fast
as a short one."""
LOAD_WITHIN = 1.0
"""Screens from the top within which the next batch of older turns is mounted."""
CHECK_EVERY = 0.25
"""Seconds between checks for whether older turns are needed (a log too short to scroll,
or anchored scrolling, which sets the offset without calling `watch_scroll_y`)."""


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
        self._loading = asyncio.Lock()

    def on_mount(self) -> None:
        self.anchor()
        self.set_interval(CHECK_EVERY, self._check_older)

    def _check_older(self) -> None:
        if self.size.height and self._near_top():
            self._load_soon()

    def _load_soon(self) -> None:
        if not self._loading.locked():
            self.run_worker(self.load_older(), group="older")

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value < old_value and self._near_top():
            self._load_soon()

    def _near_top(self) -> bool:
        """Whether older turns should be mounted: the log is too short to scroll up into
        them, or the user is within `LOAD_WITHIN` screens of its top (and not at its end,
        where a log that follows a growing answer may not yet have its new offset)."""
        if not self._older:
            return False
        screen = self.size.height
        if self.virtual_size.height <= (1 + LOAD_WITHIN) * screen:
            return True
        return self.scroll_y <= LOAD_WITHIN * screen and not self.is_vertical_scroll_end

    @property
    def older_turns(self) -> int:
        """How many turns of the session shown are not mounted yet (above the first)."""
        return len(self._older)

    async def show_turns(self, turns: list[Turn]) -> None:
        """Replace the transcript with stored turns, mounting only the latest ones."""
        await self.remove_children()
        self._older = list(turns)
        await self._mount_batch()
        self.anchor()
        # Too short to scroll up into the older turns? `_check_older` mounts more, once
        # the log has been laid out.

    async def _mount_batch(self) -> None:
        batch, self._older = self._older[-BATCH:], self._older[:-BATCH]
        widgets = [widget for turn in batch for widget in self._render_turn(turn)]
        await self.mount_all(widgets, before=0 if self.children else None)

    async def load_older(self, turns: int = BATCH) -> None:
        """Mount about `turns` more of the older turns above the first, keeping what is on
        screen where it is (the log grows above it)."""
        grown = 0
        async with self._loading:
            while self._older and turns > 0:
                height = self.virtual_size.height
                y = self.scroll_y
                await self._mount_batch()
                turns -= BATCH
                await self._after_layout()
                grown = self.virtual_size.height - height
                if grown > 0 and not self.is_vertical_scroll_end:
                    self.scroll_to(y=y + grown, animate=False, immediate=True)
        if grown > 0 and self._near_top():  # a fast Page Up already needs the next batch
            await self.load_older()

    async def _after_layout(self) -> None:
        """Wait until the log has been laid out again."""
        done = asyncio.Event()
        self.call_after_refresh(done.set)
        await done.wait()

    async def scroll_to_first(self) -> None:
        """Mount every older turn, then show the first (Home, Ctrl+Home)."""
        await self.load_older(len(self._older))
        self.scroll_home(animate=False, immediate=True)

    async def scroll_to_turn(self, index: int) -> Widget | None:
        """Mount older turns down to the `index`th turn of the session (0 the first) and
        scroll its prompt to the top of the screen; return that prompt's widget."""
        missing = len(self._older) - index
        if missing > 0:
            await self.load_older(missing)
        first = index - len(self._older)  # its place among the mounted turns
        prompts = [child for child in self.query_children() if _is_prompt(child)]
        if not 0 <= first < len(prompts):
            return None
        target = prompts[first]
        self.release_anchor()
        for _ in range(20):  # until the layout that places it has happened (a busy app)
            await self._after_layout()
            self.scroll_to_widget(target, animate=False, top=True, immediate=True)
            await self._after_layout()
            if self.can_view_partial(target):
                break
            await asyncio.sleep(0.05)
        return target


def _is_prompt(widget: Widget) -> bool:
    return getattr(widget, "role", None) == "user"
