"""`MessageLog`: the scrolling transcript, which follows new output until you scroll up."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.containers import VerticalScroll
from textual.widget import Widget

from tui.history import Turn
from tui.widgets.folded_runs import Place, dissolve, merge, places

__all__ = ["MessageLog"]

BATCH = 8
"""Turns mounted at a time when a stored session is shown: older ones are mounted a batch at
a time as the user scrolls up to them, so a session of thousands of messages opens as fast
as a short one."""
LOAD_WITHIN = 1.0
"""Screens from the top within which the next batch of older turns is mounted."""
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
        self._loading = asyncio.Lock()

    def on_mount(self) -> None:
        self.anchor()
        self.set_interval(CHECK_EVERY, self._check_refold)

    def _check_refold(self) -> None:
        if self._folded_for != self._view_key():
            self._schedule_refold()
        if self.size.height and self._near_top():
            self._load_soon()

    def _load_soon(self) -> None:
        if not self._loading.locked():
            self.run_worker(self.load_older(), group="older")

    def _view_key(self) -> tuple[float, int, int]:
        return self.scroll_y, self.virtual_size.height, self.scrollable_content_region.height

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._schedule_refold()
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
            elif near(place) and child.body is not None:
                await child.body.refold()
        await merge(self, placed, lambda place: not near(place) and _settled(place.widget))

    async def show_turns(self, turns: list[Turn]) -> None:
        """Replace the transcript with stored turns, mounting only the latest ones."""
        await self.remove_children()
        self._older = list(turns)
        await self._mount_batch()
        self.anchor()
        # Too short to scroll up into the older turns? `_check_refold` mounts more, once
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
        await dissolve(self)  # it may stand in a folded run
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
