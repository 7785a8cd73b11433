"""A cap on how much text one message shows, so an absurd answer can't exhaust the app.

A model can send a 10 MB line, or loop for ever. The response (the return value of
`write_stream`) and the history keep every character; the screen shows the first
`MAX_CHARS` of a message and then one line that says how much more there is.

The cap is far above a long real answer: issue 7's benchmark streams 1 MB of Markdown,
which is shown whole.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

__all__ = ["MAX_CHARS", "DisplayBudget", "TruncationNotice", "clip"]

MAX_CHARS = 2_000_000
"""The most characters of text one message shows on screen."""


def clip(text: str, limit: int = MAX_CHARS) -> tuple[str, int]:
    """Split off what is shown of `text`.

    Example:
        >>> clip("abcdef", limit=4)
        ('abcd', 2)
        >>> clip("abc", limit=4)
        ('abc', 0)
    """
    return text[:limit], max(len(text) - limit, 0)


class TruncationNotice(Static):
    """The line under a message that was cut at the display limit."""

    def __init__(self, hidden: int, limit: int = MAX_CHARS) -> None:
        super().__init__(classes="truncation-notice")
        self.limit = limit
        self.hidden = 0
        self.count(hidden)

    def count(self, hidden: int) -> None:
        """Add `hidden` characters to the number the notice gives."""
        self.hidden += hidden
        self.update(
            Text(
                f"✂ {self.hidden:,} more characters not shown: a message shows at most "
                f"{self.limit:,}. The whole answer is kept in the history and can be exported."
            )
        )


class DisplayBudget:
    """What is left of one message's display limit while it streams.

    Args:
        limit: The most characters the message shows.

    Example:
        >>> budget = DisplayBudget(limit=5)
        >>> budget.take("abc"), budget.take("defg"), budget.hidden
        ('abc', 'de', 2)
    """

    def __init__(self, limit: int = MAX_CHARS) -> None:
        self.limit = limit
        self.left = limit
        self.hidden = 0
        """Characters that arrived after the limit was reached."""
        self.notice: TruncationNotice | None = None

    def take(self, text: str, view: Widget | None = None) -> str:
        """The part of `text` still shown; past the limit, the notice at the end of `view`
        is mounted or updated to count the rest."""
        shown, hidden = clip(text, self.left)
        self.left -= len(shown)
        if hidden:
            self.hidden += hidden
            if view is not None and self.notice is None:
                self.notice = TruncationNotice(hidden, self.limit)
                view.mount(self.notice)
            elif self.notice is not None:
                self.notice.count(hidden)
        return shown
