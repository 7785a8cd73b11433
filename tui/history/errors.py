"""What the history store raises.

```
HistoryError                  any failure of the history store
├── HistoryUnreadable         the file is not a readable SQLite database (it is left as it is)
├── SchemaTooNew              the file was written by a newer inkstream
├── SessionNotFound(KeyError) no session has that id
└── MessageNotFound(KeyError) no message has that id
```

Every message names the file or the id, and fits on one line. `storage_problem` says in
plain words why SQLite could not write the file: a full disk, a read-only file, a lock.
"""

from __future__ import annotations

import sqlite3

__all__ = [
    "HistoryError",
    "HistoryUnreadable",
    "MessageNotFound",
    "SchemaTooNew",
    "SessionNotFound",
    "storage_problem",
]


class HistoryError(Exception):
    """Any failure of the history store."""

    def __str__(self) -> str:
        # KeyError's own __str__ would quote the message.
        return str(self.args[0]) if self.args else type(self).__name__


class HistoryUnreadable(HistoryError):
    """The history file cannot be opened as an inkstream history; it is never overwritten.

    Example:
        >>> str(HistoryUnreadable("/tmp/h.sqlite3: file is not a database"))
        '/tmp/h.sqlite3: file is not a database'
    """


class SchemaTooNew(HistoryError):
    """The file has migrations this version does not know: a newer inkstream wrote it."""


class SessionNotFound(HistoryError, KeyError):
    """No session has the id asked for.

    Example:
        >>> str(SessionNotFound("no session 7"))
        'no session 7'
    """


class MessageNotFound(HistoryError, KeyError):
    """No message has the id asked for."""


_PROBLEMS = {
    "SQLITE_READONLY": "the history file is read-only",
    "SQLITE_FULL": "the disk is full",
    "SQLITE_IOERR": "the disk failed to read or write",
    "SQLITE_BUSY": "another program holds the history file locked",
    "SQLITE_LOCKED": "another program holds the history file locked",
    "SQLITE_CANTOPEN": "the history file can't be opened for writing",
    "SQLITE_CORRUPT": "the history file is damaged",
    "SQLITE_NOTADB": "the history file is no longer a database",
}


def storage_problem(error: sqlite3.Error) -> str | None:
    """Why the file could not be written, in plain words; `None` for a bug, not a fault.

    Example:
        >>> error = sqlite3.OperationalError("database or disk is full")
        >>> error.sqlite_errorname = "SQLITE_FULL"
        >>> storage_problem(error)
        'the disk is full'
    """
    if not isinstance(error, sqlite3.OperationalError) and type(error) is not sqlite3.DatabaseError:
        return None  # IntegrityError, ProgrammingError and the like are bugs
    name = getattr(error, "sqlite_errorname", "") or ""
    for prefix, problem in _PROBLEMS.items():
        if name.startswith(prefix):
            return problem
    return str(error) or type(error).__name__
