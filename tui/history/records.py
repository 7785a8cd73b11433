"""What the history store gives back: sessions, messages and search hits.

Also the history file's default place, and the roles and statuses a message may have.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "ROLES",
    "STATUSES",
    "SearchHit",
    "SessionInfo",
    "StoredMessage",
    "check_message",
    "default_history_path",
    "utc",
]

ROLES = frozenset({"user", "assistant", "system"})
STATUSES = frozenset({"finished", "stopped", "failed", "interrupted", "streaming"})


def default_history_path() -> Path:
    """The history file, `history.sqlite3` in the platform's user data directory.

    Example:
        >>> default_history_path().name
        'history.sqlite3'
    """
    from platformdirs import user_data_path

    return user_data_path("inkstream") / "history.sqlite3"


def utc(seconds: float) -> datetime:
    """A stored time, in Unix seconds, as an aware UTC datetime.

    Example:
        >>> utc(0).isoformat()
        '1970-01-01T00:00:00+00:00'
    """
    return datetime.fromtimestamp(seconds, UTC)


def check_message(role: str, status: str) -> None:
    """Raise `ValueError` for a role or a status the store does not know.

    Example:
        >>> check_message("robot", "finished")
        Traceback (most recent call last):
        ...
        ValueError: role must be one of assistant, system, user, not 'robot'
    """
    for what, name, known in (("role", role, ROLES), ("status", status, STATUSES)):
        if name not in known:
            raise ValueError(f"{what} must be one of {', '.join(sorted(known))}, not {name!r}")


@dataclass(frozen=True)
class SessionInfo:
    """One chat, as the session list shows it. Times are UTC."""

    id: int
    title: str
    backend: str
    model: str | None
    created: datetime
    updated: datetime
    """When a message was last added or saved."""
    message_count: int


@dataclass(frozen=True)
class StoredMessage:
    """One message read back from the store."""

    id: int
    session_id: int
    role: str
    """"user" or "assistant"."""
    status: str
    """"finished", "stopped", "failed", "interrupted", or "streaming" while it is written."""
    created: datetime
    value: str | list[Any]
    """As `write_stream` returned it; for a user message, the prompt."""
    reasoning: str
    tool_calls: list[Any]
    error: str | None
    parent_id: int | None = None
    """The message this one follows; `None` for a first prompt."""
    siblings: tuple[int, ...] = ()
    """The ids of this message and its alternatives (regenerated answers, edited
    prompts), in the order they were made: the title's `‹ 2/3 ›`."""


@dataclass(frozen=True)
class SearchHit:
    """A message whose text matched a search; the words found are marked in `snippet`."""

    session_id: int
    message_id: int
    title: str
    snippet: str
