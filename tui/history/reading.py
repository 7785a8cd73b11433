"""Reading the history back: a session's messages, and full-text search.

Each function takes a connection the store holds its lock on; `read_branch` runs
inside a read transaction, so that its two queries see the same state.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from tui.history.encoded import EncodedPart
from tui.history.parts import decode
from tui.history.records import SearchHit, StoredMessage, utc
from tui.history.tree import read_tree
from tui.history.writers import is_gone

__all__ = [
    "SNIPPET_MARKS",
    "STALE_AFTER",
    "MessageRecord",
    "fts_query",
    "read_branch",
    "read_records",
    "search_text",
]

STALE_AFTER = 5.0
"""Seconds without a save after which a streaming message counts as interrupted."""
SNIPPET_MARKS = ("«", "»")
"""What a search hit's snippet puts around each word found."""


@dataclass(frozen=True)
class MessageRecord:
    """One message in its stored form, its parts not decoded: what export and import use."""

    role: str
    status: str
    created: float
    """Unix seconds."""
    shape: str
    """"str" when the value is the one text part, "list" when it is the list of parts."""
    parts: list[EncodedPart]
    tool_calls: list[EncodedPart]
    reasoning: str = ""
    error: str | None = None
    id: int = 0
    """0 for a message not stored yet."""
    parent_id: int | None = None
    """The id of the record this one follows, `None` for a first prompt: a stored id,
    or in an import the number the records give each other (see `import_session`)."""
    chosen: bool = True
    """Whether it is the one of its siblings on the active branch."""


def read_records(
    db: sqlite3.Connection,
    session_id: int,
    *,
    stale_after: float = STALE_AFTER,
    only: Collection[int] | None = None,
) -> list[MessageRecord]:
    """A session's messages in the order they were made (every branch, parents before
    their children), in their stored form; with `only`, just those ids.

    A message still "streaming" is reported "interrupted" when it was last written more
    than `stale_after` seconds ago or its writer is certainly gone.
    """
    rows = db.execute(
        "SELECT id, role, status, error, created, updated, reasoning, shape, writer, "
        "parent_id, chosen FROM messages WHERE session_id = ? ORDER BY id",
        (session_id,),
    ).fetchall()
    if only is not None:
        rows = [row for row in rows if row[0] in only]
    part_rows = db.execute(
        "SELECT p.message_id, p.section, p.kind, p.encoding, p.body, p.data, p.meta "
        "FROM parts p JOIN messages m ON m.id = p.message_id WHERE m.session_id = ? "
        "ORDER BY p.message_id, p.section, p.position",
        (session_id,),
    ).fetchall()
    grouped: dict[int, tuple[list[EncodedPart], list[EncodedPart]]] = {
        row[0]: ([], []) for row in rows
    }
    for message_id, section, kind, encoding, body, data, meta in part_rows:
        if message_id in grouped:
            part = EncodedPart(kind, body, data, encoding, meta)
            grouped[message_id][section == "tool_call"].append(part)
    now = time.time()
    records = []
    for row in rows:
        message_id, role, status, error, created, updated, reasoning, shape, writer = row[:9]
        if status == "streaming" and (now - (updated or created) > stale_after or is_gone(writer)):
            status = "interrupted"
        parts, calls = grouped[message_id]
        records.append(
            MessageRecord(
                role,
                status,
                created,
                shape,
                parts,
                calls,
                reasoning or "",
                error,
                message_id,
                parent_id=row[9],
                chosen=bool(row[10]),
            )
        )
    return records


def _item(part: EncodedPart) -> Any:
    return part.body or "" if part.kind == "text" else decode(part)


def read_branch(
    db: sqlite3.Connection,
    session_id: int,
    *,
    through: int | None = None,
    stale_after: float = STALE_AFTER,
) -> list[StoredMessage]:
    """The messages of a session's active branch (or of the branch `through` a message),
    first to last, each with its parts decoded and its siblings listed."""
    tree = read_tree(db, session_id)
    ids = tree.branch(through=through)
    records = read_records(db, session_id, stale_after=stale_after, only=set(ids))
    place = {message_id: n for n, message_id in enumerate(ids)}
    messages = []
    for record in sorted(records, key=lambda record: place[record.id]):
        items = [_item(part) for part in record.parts]
        value: str | list[Any] = (items[0] if items else "") if record.shape == "str" else items
        messages.append(
            StoredMessage(
                id=record.id,
                session_id=session_id,
                role=record.role,
                status=record.status,
                created=utc(record.created),
                value=value,
                reasoning=record.reasoning,
                tool_calls=[_item(part) for part in record.tool_calls],
                error=record.error,
                parent_id=record.parent_id,
                siblings=tuple(tree.siblings(record.id)),
            )
        )
    return messages


def recent_prompts(db: sqlite3.Connection, *, limit: int = 1000) -> list[str]:
    """The text of the last `limit` prompts of every session, oldest first, as a shell's
    history: a prompt sent twice in a row is kept once."""
    rows = db.execute(
        "SELECT p.body FROM messages m JOIN parts p ON p.message_id = m.id "
        "WHERE m.role = 'user' AND p.section = 'value' AND p.kind = 'text' "
        "AND p.position = 0 ORDER BY m.id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    prompts: list[str] = []
    for (body,) in reversed(rows):
        if body and (not prompts or prompts[-1] != body):
            prompts.append(body)
    return prompts


def fts_query(query: str) -> str:
    """User input as an FTS5 query of plain words, every one of them required.

    Example:
        >>> print(fts_query("it's (now) AND *"))
        "it's" "(now)" "AND" "*"
    """
    words = query.replace("\x00", " ").split()  # SQLite would end the query at a NUL
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def search_text(db: sqlite3.Connection, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Messages whose text has every word of `query`, newest first, one hit per message."""
    match = fts_query(query)
    if not match or limit <= 0:
        return []
    cursor = db.execute(
        "SELECT m.session_id, m.id, s.title, snippet(parts_search, 0, ?, ?, '…', 12) "
        "FROM parts_search JOIN parts p ON p.id = parts_search.rowid "
        "JOIN messages m ON m.id = p.message_id JOIN sessions s ON s.id = m.session_id "
        "WHERE parts_search MATCH ? ORDER BY m.created DESC, m.id DESC, p.position",
        (*SNIPPET_MARKS, match),
    )
    hits: dict[int, SearchHit] = {}
    try:
        for session_id, message_id, title, snippet in cursor:
            hits.setdefault(message_id, SearchHit(session_id, message_id, title, snippet))
            if len(hits) >= limit:
                break
    finally:
        cursor.close()
    return list(hits.values())
