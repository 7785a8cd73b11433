"""Who is writing a streaming message, and whether that writer is gone.

While a message streams, the app saves it at least once a second with status
"streaming", and its row records the writer as `host|pid-namespace|pid`. When the process
is killed, the message stays "streaming" in the file. The store reports such a message as
"interrupted" by two rules:

1. **Time.** It has not been saved for `stale_after` seconds (5). This holds across
   hosts and containers, and is applied only when reading, never written to the file, so
   a live writer that paused is not marked for good.
2. **Writer gone.** Same host, same PID namespace, and no live process has that pid (a
   zombie counts as gone). Then nothing needs waiting for, and opening a store records
   "interrupted" in the file. From another host or container, or on Windows, a writer is
   never judged gone, so two live processes sharing a file never mark each other's
   message.
"""

from __future__ import annotations

import os
import socket
import sys
from functools import cache
from pathlib import Path

__all__ = ["is_gone", "this_writer"]


@cache
def _place() -> str:
    """This host and PID namespace, which a pid is only meaningful within."""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return f"{socket.gethostname()}|{namespace}"


def this_writer() -> str:
    """This process, as recorded on a message it streams.

    Example:
        >>> this_writer().endswith(f"|{os.getpid()}")
        True
    """
    return f"{_place()}|{os.getpid()}"


def _alive(pid: int) -> bool:
    """Whether a process with `pid` runs here; True when that can't be known."""
    if sys.platform == "win32" or pid <= 0:
        return True  # os.kill on Windows would terminate the process.
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, but someone else's.
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def is_gone(writer: str | None) -> bool:
    """Whether the process recorded as `writer` has certainly stopped.

    Example:
        >>> is_gone(this_writer()), is_gone("elsewhere|pid:[1]|1"), is_gone(None)
        (False, False, False)
    """
    if not writer:
        return False
    place, _, pid = writer.rpartition("|")
    if place != _place() or not pid.isdigit():
        return False
    return not _alive(int(pid))
