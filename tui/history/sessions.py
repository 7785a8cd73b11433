"""`SessionStore`: the sessions of the history file, made, listed, renamed and deleted.

`HistoryStore` adds their messages; deleting a session deletes every message of every
branch of it, with their parts.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from typing import Any

from tui.history.connection import HistoryFile
from tui.history.errors import SessionNotFound
from tui.history.records import SessionInfo, utc

__all__ = ["SessionStore", "require_session"]


def require_session(db: sqlite3.Connection, session_id: int) -> None:
    """Raise `SessionNotFound` unless the session exists."""
    if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
        raise SessionNotFound(f"no session {session_id} in the history")


class SessionStore(HistoryFile):
    """The sessions of one history file; see `HistoryStore` for their messages."""

    def create_session(self, *, title: str, backend: str, model: str | None = None) -> int:
        """Start a session and return its id."""
        now = time.time()
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO sessions (title, backend, model, created, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                (title, backend, model, now, now),
            )
        return int(cursor.lastrowid or 0)

    def _session_rows(self, where: str = "", args: tuple[Any, ...] = ()) -> list[SessionInfo]:
        with self._lock:
            rows = self._db.execute(
                "SELECT s.id, s.title, s.backend, s.model, s.created, s.updated, "
                "(SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) "
                f"FROM sessions s {where} ORDER BY s.updated DESC, s.id DESC",
                args,
            ).fetchall()
        return [
            SessionInfo(row[0], row[1], row[2], row[3], utc(row[4]), utc(row[5]), row[6])
            for row in rows
        ]

    def sessions(self) -> list[SessionInfo]:
        """Every session, the most recently updated first."""
        return self._session_rows()

    def session(self, session_id: int) -> SessionInfo:
        """One session. Raises `SessionNotFound` for an unknown id."""
        found = self._session_rows("WHERE s.id = ?", (session_id,))
        if not found:
            raise SessionNotFound(f"no session {session_id} in the history")
        return found[0]

    def latest_session(self) -> int | None:
        """The id of the most recently updated session, or None when there is none."""
        with self._lock:
            row = self._db.execute(
                "SELECT id FROM sessions ORDER BY updated DESC, id DESC LIMIT 1"
            ).fetchone()
        return None if row is None else int(row[0])

    def rename_session(self, session_id: int, title: str) -> None:
        """Give a session a new title; it keeps its place in the list."""
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE sessions SET title = ? WHERE id = ?", (title, session_id)
            ).rowcount
        if not changed:
            raise SessionNotFound(f"no session {session_id} in the history")

    def delete_session(self, session_id: int) -> None:
        """Delete a session with the messages of all its branches and their parts."""
        with self._transaction() as db:
            ids = [
                row[0]
                for row in db.execute("SELECT id FROM messages WHERE session_id = ?", (session_id,))
            ]
            db.execute(
                "DELETE FROM parts WHERE message_id IN "
                "(SELECT id FROM messages WHERE session_id = ?)",
                (session_id,),
            )
            db.execute("DELETE FROM messages WHERE session_id = ?", (session_id,))
            if not db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount:
                raise SessionNotFound(f"no session {session_id} in the history")
        self._deleted(ids)

    def _deleted(self, message_ids: Iterable[int]) -> None:
        """Called with the ids of a deleted session's messages; for the store to forget."""
