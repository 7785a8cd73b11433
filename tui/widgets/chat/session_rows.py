"""The rows of the session list: every session, or the sessions a search found, each
told apart by its number, with its date and message count."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text

from tui.history.records import SearchHit, SessionInfo
from tui.history.store import SNIPPET_MARKS
from tui.labels import backend_label
from tui.text import printable

__all__ = ["LIST_COLUMNS", "SEARCH_COLUMNS", "Chosen", "hit_row", "marked", "session_row"]

LIST_COLUMNS = ("#", "updated", "messages", "backend · model", "title")
SEARCH_COLUMNS = ("#", "updated", "messages", "title", "match")
"""The columns of fixed width first, so that a long title or match never pushes the date
and the count off a narrow screen."""
SEARCH_TITLE = 30
"""Characters of a title shown beside a match."""


class Chosen(NamedTuple):
    """What the session list was closed with: a session, and the message to show."""

    session_id: int
    message_id: int | None = None
    """A search hit's message, to scroll to; `None` to show the session's end."""

    @property
    def key(self) -> str:
        """The row key that stands for it."""
        return f"{self.session_id}/{self.message_id or ''}"

    @classmethod
    def from_key(cls, key: str) -> Chosen:
        """The choice a row key stands for."""
        session, _, message = key.partition("/")
        return cls(int(session), int(message) if message else None)


def marked(snippet: str) -> Text:
    """A hit's snippet with the words found in bold, instead of between the marks.

    Example:
        >>> marked("a «b» c").spans[0].style
        'bold reverse'
    """
    start, end = SNIPPET_MARKS
    text = Text()
    rest = printable(snippet)
    while start in rest:
        before, _, rest = rest.partition(start)
        found, _, rest = rest.partition(end)
        text.append(before)
        text.append(found, style="bold reverse")
    text.append(rest)
    return text


def _info_cells(info: SessionInfo) -> tuple[Text, Text]:
    return (
        Text(info.updated.astimezone().strftime("%Y-%m-%d %H:%M")),
        Text(f"{info.message_count:,}", justify="right"),
    )


def session_row(info: SessionInfo, current: int | None) -> tuple[Text, ...]:
    """A session's cells under `LIST_COLUMNS`; the open one is marked with ●."""
    marker = "● " if info.id == current else ""
    return (
        Text(str(info.id), justify="right"),
        *_info_cells(info),
        Text(printable(backend_label(info.backend, info.model))),
        Text(marker + printable(info.title)),
    )


def hit_row(hit: SearchHit, info: SessionInfo, current: int | None) -> tuple[Text, ...]:
    """A search hit's cells under `SEARCH_COLUMNS`."""
    marker = "● " if info.id == current else ""
    title = printable(hit.title)
    if len(title) > SEARCH_TITLE:
        title = title[: SEARCH_TITLE - 1] + "…"
    return (
        Text(str(info.id), justify="right"),
        *_info_cells(info),
        Text(marker + title),
        marked(hit.snippet),
    )
