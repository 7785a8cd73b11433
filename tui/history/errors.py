"""What the history store raises.

```
HistoryError                  any failure of the history store
├── HistoryUnreadable         the file is not a readable SQLite database (it is left as it is)
├── SchemaTooNew              the file was written by a newer inkstream
├── SessionNotFound(KeyError) no session has that id
└── MessageNotFound(KeyError) no message has that id
```

Every message names the file or the id, and fits on one line.
"""

from __future__ import annotations

__all__ = [
    "HistoryError",
    "HistoryUnreadable",
    "MessageNotFound",
    "SchemaTooNew",
    "SessionNotFound",
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
