"""`MessageLog`: the scrolling transcript, which follows new output until you scroll up."""

from __future__ import annotations

from textual.containers import VerticalScroll

__all__ = ["MessageLog"]


class MessageLog(VerticalScroll, can_focus=False):
    """The transcript. It stays anchored to the bottom until the user scrolls up, and
    anchors again when they scroll back to the end."""

    def on_mount(self) -> None:
        self.anchor()
