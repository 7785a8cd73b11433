"""`BranchStore`: reading a session's messages back, one branch at a time, and search.

`HistoryStore` adds the writing. What is read is the active branch unless asked for the
branch through a message; `set_active` moves the active branch (see `tui.history.tree`).
"""

from __future__ import annotations

import sqlite3

from tui.history.errors import MessageNotFound
from tui.history.reading import (
    STALE_AFTER,
    MessageRecord,
    read_branch,
    read_records,
    recent_prompts,
    search_text,
)
from tui.history.records import SearchHit, StoredMessage
from tui.history.sessions import SessionStore, require_session
from tui.history.tree import choose, read_tree

__all__ = ["BranchStore", "session_of"]


def session_of(db: sqlite3.Connection, message_id: int) -> int:
    """The session of a message. Raises `MessageNotFound` for an unknown id."""
    row = db.execute("SELECT session_id FROM messages WHERE id = ?", (message_id,)).fetchone()
    if row is None:
        raise MessageNotFound(f"no message {message_id} in the history")
    return int(row[0])


class BranchStore(SessionStore):
    """Sessions, and their messages read back; see `HistoryStore`."""

    stale_after: float = STALE_AFTER
    """Seconds without a save after which a streaming message counts as interrupted."""

    def branch(self, session_id: int, *, through: int | None = None) -> list[StoredMessage]:
        """The messages of a session's active branch, first to last; with `through`, of
        the branch through that message (and on down its chosen children).

        Raises `SessionNotFound` for an unknown id.
        """
        with self._transaction("BEGIN") as db:
            require_session(db, session_id)
            return read_branch(db, session_id, through=through, stale_after=self.stale_after)

    def messages(self, session_id: int) -> list[StoredMessage]:
        """The messages of a session's active branch, first to last: `branch`."""
        return self.branch(session_id)

    def siblings(self, message_id: int) -> list[int]:
        """A message and its alternatives, in the order they were made.

        Raises `MessageNotFound` for an unknown id.
        """
        with self._transaction("BEGIN") as db:
            return read_tree(db, session_of(db, message_id)).siblings(message_id)

    def set_active(self, message_id: int) -> None:
        """Make the active branch of its session run through this message (and on down
        the children last chosen below it). Raises `MessageNotFound` for an unknown id."""
        with self._transaction() as db:
            choose(db, session_of(db, message_id), message_id)

    def other_branches(self, session_id: int) -> int:
        """How many branches a session has besides the active one."""
        with self._transaction("BEGIN") as db:
            require_session(db, session_id)
            return read_tree(db, session_id).other_branches()

    def records(self, session_id: int) -> list[MessageRecord]:
        """A session's messages of every branch, parents first, in their stored form,
        parts not decoded: for export."""
        with self._transaction("BEGIN") as db:
            require_session(db, session_id)
            return read_records(db, session_id, stale_after=self.stale_after)

    def prompts(self, *, limit: int = 1000) -> list[str]:
        """The last `limit` prompts sent in any session, oldest first (repeats in a row
        kept once), for Up and Down in the prompt to recall."""
        with self._lock:
            return recent_prompts(self._db, limit=limit)

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Messages of any branch whose text has every word of `query`, newest first, one
        hit each; `branch(session_id, through=hit.message_id)` shows the branch of one.

        The query is read as plain words: quotes, parentheses, `AND`, `*` and the like are
        searched for as text, never parsed as FTS5 syntax. The words found are marked with
        `SNIPPET_MARKS` in each hit's snippet.
        """
        with self._lock:
            return search_text(self._db, query, limit=limit)
