"""The history schema, built by numbered migrations recorded in `_migrations`.

As in simonw/llm, each migration is a function named `mNNN_what`, listed in `MIGRATIONS`
in the order it runs. `migrate` runs the ones not yet recorded, each in its own
`BEGIN IMMEDIATE` transaction together with the row that records it, so two processes
opening a new file at once apply each migration once. A file recording a migration this
version does not know was written by a newer inkstream, and is refused.

Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from tui.history.errors import SchemaTooNew

__all__ = ["MIGRATIONS", "applied", "migrate"]

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(function: Migration) -> Migration:
    """Register `function` as the next migration."""
    MIGRATIONS.append(function)
    return function


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    """Sessions, their messages, and the parts of each message."""
    db.execute(
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            backend TEXT NOT NULL,
            model TEXT,
            created REAL NOT NULL,
            updated REAL NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            status TEXT NOT NULL,
            error TEXT,
            created REAL NOT NULL,
            reasoning TEXT NOT NULL DEFAULT '',
            shape TEXT NOT NULL DEFAULT 'str'
        )"""
    )
    db.execute("CREATE INDEX messages_by_session ON messages(session_id, id)")
    db.execute(
        """CREATE TABLE parts (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            section TEXT NOT NULL,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            encoding TEXT,
            body TEXT,
            data BLOB,
            meta TEXT,
            UNIQUE (message_id, section, position)
        )"""
    )


@migration
def m002_message_updated(db: sqlite3.Connection) -> None:
    """When each message was last written, and by which process while it streams."""
    db.execute("ALTER TABLE messages ADD COLUMN updated REAL")
    db.execute("UPDATE messages SET updated = created")
    db.execute("ALTER TABLE messages ADD COLUMN writer TEXT")
    db.execute("CREATE INDEX messages_streaming ON messages(status) WHERE status = 'streaming'")


_SEARCHED = "{row}.kind = 'text' AND {row}.section = 'value'"


@migration
def m003_search(db: sqlite3.Connection) -> None:
    """An FTS5 index over the text parts (answers and prompts), kept in step by triggers."""
    db.execute(
        "CREATE VIRTUAL TABLE parts_search USING fts5("
        "body, content='parts', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    new, old = _SEARCHED.format(row="new"), _SEARCHED.format(row="old")
    add = "INSERT INTO parts_search(rowid, body) SELECT new.id, new.body WHERE " + new
    remove = (
        "INSERT INTO parts_search(parts_search, rowid, body) "
        "SELECT 'delete', old.id, old.body WHERE " + old
    )
    db.execute(f"CREATE TRIGGER parts_search_insert AFTER INSERT ON parts BEGIN {add}; END")
    db.execute(f"CREATE TRIGGER parts_search_delete AFTER DELETE ON parts BEGIN {remove}; END")
    # One trigger, so that the old text leaves the index before the new text enters it.
    db.execute(
        f"CREATE TRIGGER parts_search_update AFTER UPDATE ON parts BEGIN {remove}; {add}; END"
    )
    db.execute(
        "INSERT INTO parts_search(rowid, body) SELECT id, body FROM parts WHERE "
        + _SEARCHED.format(row="parts")
    )


@migration
def m004_branches(db: sqlite3.Connection) -> None:
    """Messages form a tree (see `tui.history.tree`): each has a parent, and `chosen`
    marks the one of its siblings on the active branch. A session stored before this
    becomes one branch, unchanged: each message's parent is the one before it."""
    db.execute("ALTER TABLE messages ADD COLUMN parent_id INTEGER")
    db.execute("ALTER TABLE messages ADD COLUMN chosen INTEGER NOT NULL DEFAULT 1")
    db.execute(
        "UPDATE messages SET parent_id = (SELECT MAX(p.id) FROM messages p "
        "WHERE p.session_id = messages.session_id AND p.id < messages.id)"
    )
    db.execute("CREATE INDEX messages_by_parent ON messages(session_id, parent_id)")


def applied(db: sqlite3.Connection) -> list[str]:
    """The names of the migrations recorded in `db`, in the order they ran."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied REAL)")
    return [name for (name,) in db.execute("SELECT name FROM _migrations ORDER BY rowid")]


def migrate(db: sqlite3.Connection, *, stop_after: str | None = None) -> list[str]:
    """Run the migrations `db` has not had yet, in order; return the names of those run.

    Args:
        db: A connection in autocommit mode (`isolation_level=None`).
        stop_after: Stop once this migration is in place, as for testing an old schema.

    Raises:
        SchemaTooNew: `db` records a migration not in `MIGRATIONS`.

    Example:
        >>> db = sqlite3.connect(":memory:", isolation_level=None)
        >>> migrate(db, stop_after="m001_initial")
        ['m001_initial']
        >>> migrate(db)
        ['m002_message_updated', 'm003_search', 'm004_branches']
    """
    known = [function.__name__ for function in MIGRATIONS]
    done = set(applied(db))
    unknown = sorted(done - set(known))
    if unknown:
        raise SchemaTooNew(
            f"the history was written by a newer inkstream (it has {', '.join(unknown)}; "
            f"this version knows up to {known[-1]})"
        )
    ran: list[str] = []
    for function in MIGRATIONS:
        name = function.__name__
        if name not in done and _apply(db, function):
            ran.append(name)
        if name == stop_after:
            break
    return ran


def _apply(db: sqlite3.Connection, function: Migration) -> bool:
    """Run one migration and record it, unless another process has just done so."""
    name = function.__name__
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
            db.execute("ROLLBACK")
            return False
        function(db)
        db.execute("INSERT INTO _migrations VALUES (?, ?)", (name, time.time()))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return True
