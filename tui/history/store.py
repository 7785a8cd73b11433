"""The chat history in one SQLite file: sessions, their messages, and each message's parts.

Schema (built by `tui.history.migrations`; times are Unix seconds, UTC):

```
sessions(id, title, backend, model, created, updated)
messages(id, session_id → sessions, role, status, error, created, updated, reasoning,
         shape 'str'|'list', writer)
parts(id, message_id → messages, section 'value'|'tool_call', position, kind, encoding,
      body, data, meta)                      unique (message_id, section, position)
parts_search                                 FTS5 over the body of text parts, by trigger
_migrations(name, applied)
```

A message's value is its `value` parts in order: the one text part's body when `shape`
is 'str' (a prompt, or an answer of pure text), else the list of the parts decoded (see
`tui.history.parts`). Its tool calls are its `tool_call` parts.

A message still "streaming" is reported "interrupted" once it has not been saved for
`stale_after` seconds, or at once when its writer is certainly gone: see
`tui.history.writers`. Writes are short `BEGIN IMMEDIATE` transactions (parts are encoded
before they start), in WAL mode with a busy timeout: see `tui.history.connection`.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tui.history.connection import HistoryFile
from tui.history.content import Content, ContentWriter
from tui.history.errors import MessageNotFound, SessionNotFound
from tui.history.parts import StoredObject, utf8_text
from tui.history.reading import (
    SNIPPET_MARKS,
    STALE_AFTER,
    MessageRecord,
    read_messages,
    read_records,
    recent_prompts,
    search_text,
)
from tui.history.records import (
    SearchHit,
    SessionInfo,
    StoredMessage,
    check_message,
    default_history_path,
    utc,
)
from tui.history.writers import this_writer

__all__ = [
    "SNIPPET_MARKS",
    "STALE_AFTER",
    "HistoryStore",
    "MessageNotFound",
    "MessageRecord",
    "SearchHit",
    "SessionInfo",
    "SessionNotFound",
    "StoredMessage",
    "StoredObject",
    "default_history_path",
]


def _require_session(db: sqlite3.Connection, session_id: int) -> None:
    if db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
        raise SessionNotFound(f"no session {session_id} in the history")


class HistoryStore(HistoryFile):
    """Sessions and messages in one SQLite file (or `":memory:"`).

    Example:
        >>> with HistoryStore(":memory:") as store:
        ...     chat = store.create_session(title="Hi", backend="echo")
        ...     _ = store.add_message(chat, "user", "Hi")
        ...     _ = store.add_message(chat, "assistant", ["Hello", {"a": 1}])
        ...     [message.value for message in store.messages(chat)]
        ['Hi', ['Hello', {'a': 1}]]

    Raises:
        HistoryUnreadable: The file is not a readable SQLite database; it is left as is.
        SchemaTooNew: A newer inkstream wrote the file.
    """

    def __init__(self, path: str | Path, *, stale_after: float = STALE_AFTER) -> None:
        super().__init__(path)
        self.stale_after = stale_after
        """Seconds without a save after which a streaming message counts as interrupted."""
        self._content = ContentWriter()

    def reopen(self) -> None:
        """`HistoryFile.reopen`, forgetting what was written to the old file: the new one
        numbers its messages afresh."""
        self._content = ContentWriter()
        super().reopen()

    # Sessions

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
        """Delete a session with its messages and their parts."""
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
        for message_id in ids:
            self._content.forget(message_id)

    # Messages

    def add_message(
        self,
        session_id: int,
        role: str,
        value: str | list[Any],
        *,
        status: str = "finished",
        reasoning: str = "",
        tool_calls: Sequence[Any] = (),
        error: str | None = None,
    ) -> int:
        """Add a message at the end of a session and return its id.

        Args:
            session_id: The session.
            role: "user" or "assistant" ("system" is accepted too).
            value: A prompt, or a response as `write_stream` returns it.
            status: "finished", "stopped", "failed", "interrupted", or "streaming" for an
                answer that `save_message` will go on writing.
            reasoning: The response's reasoning text.
            tool_calls: The response's tool calls.
            error: One line saying what went wrong, for a failed answer.

        Raises:
            SessionNotFound: No session has that id.
            ValueError: The role or the status is not one the store knows.
        """
        check_message(role, status)
        content = self._content.encode(None, value, tool_calls)
        now = time.time()
        with self._transaction() as db:
            _require_session(db, session_id)
            message_id = self._insert_message(
                db,
                session_id,
                role,
                status,
                content,
                reasoning=reasoning,
                error=error,
                created=now,
            )
        self._content.written(message_id, content, streaming=status == "streaming")
        return message_id

    def _insert_message(
        self,
        db: sqlite3.Connection,
        session_id: int,
        role: str,
        status: str,
        content: Content,
        *,
        reasoning: str,
        error: str | None,
        created: float,
    ) -> int:
        """Insert one message inside a write transaction: for `add_message` and imports."""
        writer = this_writer() if status == "streaming" else None
        reasoning, error = utf8_text(reasoning), error and utf8_text(error)
        cursor = db.execute(
            "INSERT INTO messages (session_id, role, status, error, created, updated, "
            "reasoning, shape, writer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (session_id, role, status, error, created, created, reasoning, content[0], writer),
        )
        message_id = int(cursor.lastrowid or 0)
        self._content.write(db, message_id, content[1], new=True)
        db.execute(
            "UPDATE sessions SET updated = MAX(updated, ?) WHERE id = ?", (created, session_id)
        )
        return message_id

    def save_message(
        self,
        message_id: int,
        value: str | list[Any],
        *,
        status: str,
        reasoning: str = "",
        tool_calls: Sequence[Any] = (),
        error: str | None = None,
    ) -> None:
        """Replace a message's content and status, while it streams and when it ends.

        Call it with status "streaming" at least once a second while the answer streams,
        then once with how it ended. Only the parts that changed are written, and a
        frame is encoded once per streaming message (see `tui.history.content`).

        Raises:
            MessageNotFound: No message has that id.
            ValueError: The status is not one the store knows.
        """
        check_message("assistant", status)
        content = self._content.encode(message_id, value, tool_calls)
        now = time.time()
        writer = this_writer() if status == "streaming" else None
        reasoning, error = utf8_text(reasoning), error and utf8_text(error)
        with self._transaction() as db:
            row = db.execute("SELECT session_id FROM messages WHERE id = ?", (message_id,))
            found = row.fetchone()
            if found is None:
                raise MessageNotFound(f"no message {message_id} in the history")
            db.execute(
                "UPDATE messages SET status = ?, error = ?, reasoning = ?, shape = ?, "
                "updated = ?, writer = ? WHERE id = ?",
                (status, error, reasoning, content[0], now, writer, message_id),
            )
            self._content.write(db, message_id, content[1])
            db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (now, found[0]))
        self._content.written(message_id, content, streaming=status == "streaming")

    def messages(self, session_id: int) -> list[StoredMessage]:
        """A session's messages in order. Raises `SessionNotFound` for an unknown id."""
        with self._transaction("BEGIN") as db:
            _require_session(db, session_id)
            return read_messages(db, session_id, stale_after=self.stale_after)

    def records(self, session_id: int) -> list[MessageRecord]:
        """A session's messages in their stored form, parts not decoded: for export."""
        with self._transaction("BEGIN") as db:
            _require_session(db, session_id)
            return read_records(db, session_id, stale_after=self.stale_after)

    def import_session(
        self,
        *,
        title: str,
        backend: str,
        model: str | None,
        created: float,
        updated: float,
        records: Sequence[MessageRecord],
    ) -> int:
        """Add a whole session, with its times, in one transaction; return its id.

        A message recorded as "streaming" is imported as "interrupted": no one writes it.
        """
        for record in records:
            check_message(record.role, record.status)
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO sessions (title, backend, model, created, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                (title, backend, model, created, created),
            )
            session_id = int(cursor.lastrowid or 0)
            for record in records:
                parts = {("value", n): part for n, part in enumerate(record.parts)}
                parts |= {("tool_call", n): part for n, part in enumerate(record.tool_calls)}
                status = "interrupted" if record.status == "streaming" else record.status
                self._insert_message(
                    db,
                    session_id,
                    record.role,
                    status,
                    (record.shape, parts, []),
                    reasoning=record.reasoning,
                    error=record.error,
                    created=record.created,
                )
            db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (updated, session_id))
        return session_id

    def prompts(self, *, limit: int = 1000) -> list[str]:
        """The last `limit` prompts sent in any session, oldest first (repeats in a row
        kept once), for Up and Down in the prompt to recall."""
        with self._lock:
            return recent_prompts(self._db, limit=limit)

    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """Messages whose text has every word of `query`, newest first, one hit each.

        The query is read as plain words: quotes, parentheses, `AND`, `*` and the like are
        searched for as text, never parsed as FTS5 syntax. The words found are marked with
        `SNIPPET_MARKS` in each hit's snippet.
        """
        with self._lock:
            return search_text(self._db, query, limit=limit)
