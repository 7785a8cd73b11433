"""The history file opened safely: WAL, a busy timeout, migrations, short transactions.

Opening never overwrites a file it cannot read: a file that is not an SQLite database, or
that a newer inkstream wrote, raises an error that names it and is left as it was.
Opening also records "interrupted" for the messages whose writer is certainly gone (see
`tui.history.writers`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from tui.history.errors import HistoryError, HistoryUnreadable, storage_problem
from tui.history.migrations import migrate
from tui.history.writers import is_gone

__all__ = ["BUSY_TIMEOUT_MS", "HistoryFile"]

BUSY_TIMEOUT_MS = 5000
"""How long a write waits for another process's write to finish."""
_UNWRITABLE = ("SQLITE_READONLY", "SQLITE_FULL", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_BUSY")


def _cannot_open(path: str | Path, error: sqlite3.Error) -> str:
    """Why opening failed: the file is not a history, or it can't be written where it is."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(_UNWRITABLE):
        return f"{path}: {storage_problem(error)} (--no-history chats without saving)"
    return f"{path}: not a readable history ({error})"


class HistoryFile:
    """One connection to the history file, shared by threads under a lock.

    Args:
        path: The file, made with its folders when missing; or `":memory:"`.

    Raises:
        HistoryUnreadable: The file cannot be opened as an SQLite database.
        SchemaTooNew: A newer inkstream wrote the file.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            if str(path) != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as error:
            raise HistoryUnreadable(f"{path}: {error}") from error
        try:
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            migrate(self._db)
            self._mark_gone_writers()
        except HistoryError as error:
            self._db.close()
            raise type(error)(f"{path}: {error}") from error
        except sqlite3.Error as error:
            self._db.close()
            raise HistoryUnreadable(_cannot_open(path, error)) from error

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, begin: str = "BEGIN IMMEDIATE") -> Iterator[sqlite3.Connection]:
        """Hold the lock and a transaction: `BEGIN IMMEDIATE` to write, `BEGIN` to read."""
        with self._lock:
            self._db.execute(begin)
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                # SQLite may have rolled back already (a full disk at COMMIT does); a
                # COMMIT that failed otherwise must not leave the transaction open.
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _mark_gone_writers(self) -> None:
        rows = self._db.execute(
            "SELECT id, writer FROM messages WHERE status = 'streaming'"
        ).fetchall()
        gone = [(message_id,) for message_id, writer in rows if is_gone(writer)]
        if gone:
            with self._transaction() as db:
                db.executemany(
                    "UPDATE messages SET status = 'interrupted', writer = NULL "
                    "WHERE id = ? AND status = 'streaming'",
                    gone,
                )
