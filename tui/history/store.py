"""The chat history in one SQLite file: sessions, their messages, and each message's parts.

Schema (built by `tui.history.migrations`; times are Unix seconds, UTC):

```
sessions(id, title, backend, model, created, updated)
messages(id, session_id → sessions, role, status, error, created, updated, reasoning,
         shape 'str'|'list', writer, parent_id → messages (NULL: a first prompt),
         chosen 0|1 (on the active branch among its siblings: see `tui.history.tree`))
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
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tui.history.branches import BranchStore, session_of
from tui.history.content import Content, ContentWriter
from tui.history.errors import MessageNotFound, SessionNotFound
from tui.history.parts import StoredObject, utf8_text
from tui.history.reading import (
    SNIPPET_MARKS,
    STALE_AFTER,
    MessageRecord,
)
from tui.history.records import (
    SearchHit,
    SessionInfo,
    StoredMessage,
    check_message,
    default_history_path,
)
from tui.history.sessions import require_session
from tui.history.tree import ROOT, choose, read_tree
from tui.history.writers import this_writer

__all__ = [
    "ROOT",
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


class HistoryStore(BranchStore):
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

    def _deleted(self, message_ids: Iterable[int]) -> None:
        for message_id in message_ids:
            self._content.forget(message_id)

    # Messages

    def add_message(
        self,
        session_id: int,
        role: str,
        value: str | list[Any],
        *,
        parent: int | None = None,
        status: str = "finished",
        reasoning: str = "",
        tool_calls: Sequence[Any] = (),
        error: str | None = None,
    ) -> int:
        """Add a message to a session, on its active branch, and return its id.

        Args:
            session_id: The session.
            role: "user" or "assistant" ("system" is accepted too).
            value: A prompt, or a response as `write_stream` returns it.
            parent: The message it follows: `None` for the last of the active branch,
                `ROOT` for none (a first prompt). A parent with children already gets
                one more, and the new message becomes the chosen one: a regenerated
                answer, or an edited prompt.
            status: "finished", "stopped", "failed", "interrupted", or "streaming" for an
                answer that `save_message` will go on writing.
            reasoning: The response's reasoning text.
            tool_calls: The response's tool calls.
            error: One line saying what went wrong, for a failed answer.

        Raises:
            SessionNotFound: No session has that id.
            MessageNotFound: `parent` is not a message of that session.
            ValueError: The role or the status is not one the store knows.
        """
        check_message(role, status)
        content = self._content.encode(None, value, tool_calls)
        now = time.time()
        with self._transaction() as db:
            require_session(db, session_id)
            tree = read_tree(db, session_id)
            if parent is None:
                parent = (tree.branch() or [ROOT])[-1]
            elif parent != ROOT and parent not in tree.nodes:
                raise MessageNotFound(f"no message {parent} in session {session_id}")
            message_id = self._insert_message(
                db,
                session_id,
                role,
                status,
                content,
                reasoning=reasoning,
                error=error,
                created=now,
                parent_id=parent or None,
            )
            choose(db, session_id, message_id)
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
        parent_id: int | None,
        chosen: bool = True,
    ) -> int:
        """Insert one message inside a write transaction: for `add_message` and imports."""
        writer = this_writer() if status == "streaming" else None
        reasoning, error = utf8_text(reasoning), error and utf8_text(error)
        cursor = db.execute(
            "INSERT INTO messages (session_id, role, status, error, created, updated, "
            "reasoning, shape, writer, parent_id, chosen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session_id,
                role,
                status,
                error,
                created,
                created,
                reasoning,
                content[0],
                writer,
                parent_id,
                int(chosen),
            ),
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
            session_id = session_of(db, message_id)
            db.execute(
                "UPDATE messages SET status = ?, error = ?, reasoning = ?, shape = ?, "
                "updated = ?, writer = ? WHERE id = ?",
                (status, error, reasoning, content[0], now, writer, message_id),
            )
            self._content.write(db, message_id, content[1])
            db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (now, session_id))
        self._content.written(message_id, content, streaming=status == "streaming")

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
        """Add a whole session, with its times and its tree, in one transaction; return
        its id.

        Each record's `parent_id` names the `id` of an earlier record (`None` for a first
        prompt): the ids are the records' own, renumbered as they are stored. A message
        recorded as "streaming" is imported as "interrupted": no one writes it.

        Raises:
            ValueError: A record's parent is not an earlier record.
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
            stored: dict[int, int] = {}
            for number, record in enumerate(records):
                if record.parent_id is not None and record.parent_id not in stored:
                    raise ValueError(f"message {number}: its parent is not an earlier message")
                parts = {("value", n): part for n, part in enumerate(record.parts)}
                parts |= {("tool_call", n): part for n, part in enumerate(record.tool_calls)}
                status = "interrupted" if record.status == "streaming" else record.status
                stored[record.id] = self._insert_message(
                    db,
                    session_id,
                    record.role,
                    status,
                    (record.shape, parts, []),
                    reasoning=record.reasoning,
                    error=record.error,
                    created=record.created,
                    parent_id=None if record.parent_id is None else stored[record.parent_id],
                    chosen=record.chosen,
                )
            db.execute("UPDATE sessions SET updated = ? WHERE id = ?", (updated, session_id))
        return session_id
