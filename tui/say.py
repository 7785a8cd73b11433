"""Lines for the terminal outside the chat: errors, listings, exports and the server's log.

The chat screen neutralises what it shows (`tui.text`). Everything else that leaves for
stdout or stderr goes through here, so the same holds there: an exception message from a
backend, a session title from an imported file, a plugin's docstring, or the `TERM` and
login name an SSH client sends, each reach the terminal with every control character,
escape sequence, bidirectional override and lone surrogate made visible. A line stays one
line: a newline in what it holds shows as "⏎", so it can't forge a second log line.

No Textual or Rich imports here: any module may use this one.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from tui.text import printable, printable_json, printable_markdown

__all__ = ["SafeFormatter", "say", "say_document", "say_error"]


def say(line: str, file: TextIO | None = None) -> None:
    """Write `line`, neutralised, as one line, to `file` (stdout by default).

    Example:
        >>> say("title: \\x1b]0;PWN\\x07 \\u202eevil")
        title: ␛]0;PWN␇ \\u202eevil
    """
    out = sys.stdout if file is None else file
    out.write(printable(line) + "\n")
    out.flush()


def say_error(message: str, file: TextIO | None = None) -> None:
    """Write `inkstream: error: MESSAGE`, neutralised, as one line to `file` (stderr).

    Example:
        >>> say_error("bad \\x1b[2J", sys.stdout)
        inkstream: error: bad ␛[2J
    """
    say(f"inkstream: error: {message}", sys.stderr if file is None else file)


def say_document(text: str, file: TextIO | None = None, *, json: bool = False) -> None:
    """Write a document (an export) to `file` (stdout): as it is to a pipe or a file, and
    neutralised, its lines kept, when `file` is a terminal.

    JSON to a terminal keeps its meaning: its strings' escapes stay JSON escapes.

    Example:
        >>> import io
        >>> pipe = io.StringIO()
        >>> say_document("# a\\n\\x1b[2J\\n", pipe)
        >>> pipe.getvalue()
        '# a\\n\\x1b[2J\\n'
    """
    out = sys.stdout if file is None else file
    if out.isatty():
        text = printable_json(text) if json else printable_markdown(text)
    out.write(text)
    out.flush()


class SafeFormatter(logging.Formatter):
    """A log formatter whose every record is one neutralised line, traceback included.

    What a client controls (its `TERM`, login name, subsystem name) is logged through it,
    so an administrator's `journalctl -f` shows those bytes and never acts on them.

    Example:
        >>> record = logging.makeLogRecord({"msg": "term %s", "args": ("x\\x1b]0;PWN\\x07",)})
        >>> SafeFormatter("%(message)s").format(record)
        'term x␛]0;PWN␇'
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as `logging.Formatter` formats it, neutralised on one line."""
        return printable(super().format(record))
