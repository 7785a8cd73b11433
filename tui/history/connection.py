"""The history file opened safely: WAL, a busy timeout, migrations, short transactions.

Opening never overwrites a file it cannot read: a file that is not an SQLite database, or
that a newer inkstream wrote, raises an error that names it and is left as it was.
Opening also records "interrupted" for the messages whose writer is certainly gone (see
`tui.history.writers`).

The file can be deleted or replaced under a running chat (`rm h.db*`, a backup moved over
it). SQLite then goes on writing, without an error, to the file it holds open, which no
path names any more. `moved` says so, by comparing the device and inode the path names
with those of the file opened, and `reopen` opens the path again: the file is made anew,
or the new file is opened. Before that, our own WAL and shared-memory files left at the
path are removed, as SQLite would replay that WAL into whatever the path names now.
"""

from __future__ import annotations

import os
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

SIDECARS = ("-wal", "-shm")
"""The files SQLite keeps beside a database in WAL mode."""

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
        self._identity: tuple[int, int] | None = None
        """The device and inode of the file opened; `None` in memory."""
        self._open()

    def _open(self) -> None:
        path = self.path
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
        self._identity = None if str(path) == ":memory:" else _identity(Path(path))

    def moved(self) -> str | None:
        """ "deleted" or "replaced" when the path no longer names the file opened, else `None`.

        Example:
            >>> HistoryFile(":memory:").moved() is None
            True
        """
        if self._identity is None:
            return None
        try:
            now = _identity(Path(self.path))
        except FileNotFoundError:
            return "deleted"
        except OSError:  # can't tell: a write will say what is wrong
            return None
        return None if now == self._identity else "replaced"

    def reopen(self) -> None:
        """Close the file and open the path again, making it anew if it is gone.

        Our own stale WAL and shared-memory files at the path are removed first. If the
        path can't be opened, the history goes on in memory, and the error is raised.

        Raises:
            HistoryError: The path can't be opened as a history.
        """
        with self._lock:
            before = _open_files()
            self._db.close()
            ours = before - _open_files()
            for suffix in SIDECARS:
                side = Path(f"{self.path}{suffix}")
                try:
                    if _identity(side) in ours:
                        side.unlink()
                except OSError:
                    continue
            try:
                self._open()
            except HistoryError:
                path, self.path = self.path, ":memory:"
                try:
                    self._open()
                finally:
                    self.path = path
                raise

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


def _identity(path: Path) -> tuple[int, int]:
    """The device and inode `path` names. Raises `OSError`."""
    info = path.stat()
    return info.st_dev, info.st_ino


def _open_files() -> set[tuple[int, int]]:
    """The device and inode of every file this process holds open, where Linux says."""
    found = set()
    try:
        descriptors = os.listdir("/proc/self/fd")
    except OSError:
        return found
    for name in descriptors:
        try:
            info = os.stat(f"/proc/self/fd/{name}")
        except OSError:
            continue
        found.add((info.st_dev, info.st_ino))
    return found
