"""Ctrl+Q ends the app within a second whatever a backend's own code is doing.

The real `inkstream` command runs in a real pty with backends that block the event loop
(an async generator calling `time.sleep`), block a thread for ever (a callable chunk, an
object's `repr`), or send objects that used to freeze the screen (a million columns, a
list 20,000 deep). In each, Ctrl+Q must end the process within `LIMIT` seconds of the
key, leave the terminal as it found it, and save the answer so far as stopped.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import sys
import time
from pathlib import Path

import pytest

from tests.faults.terminal import Terminal

LIMIT = 1.0
"""Seconds from Ctrl+Q to the process's end, as the README promises ("at once")."""
RESET = re.compile(rb"\x1b\[\?1049l")
"""Leaving the alternate screen: the terminal is given back."""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

CASES = {
    # backend: (what shows before Ctrl+Q, None while the loop is held; the answer's status)
    "loop_sleeper": (None, "stopped"),
    "slow_call": (rb"before", "stopped"),
    "slow_repr": (rb"took longer than 2 s", "finished"),
    "wide_frame": (rb"1,000,000 columns, 200 shown", "finished"),
    "deep_list": (rb"after", "finished"),
}


def stored_answer(db: Path) -> tuple[str, str]:
    with contextlib.closing(sqlite3.connect(db)) as connection:
        row = connection.execute(
            "SELECT m.status, COALESCE(GROUP_CONCAT(p.body, ''), '') FROM messages m "
            "LEFT JOIN parts p ON p.message_id = m.id AND p.kind = 'text' "
            "WHERE m.role = 'assistant' GROUP BY m.id"
        ).fetchone()
    return row


@pytest.mark.parametrize("backend", CASES)
def test_ctrl_q_ends_the_app_within_a_second(tmp_path: Path, backend: str) -> None:
    db = tmp_path / "history.sqlite3"
    terminal = Terminal(
        "--backend", f"tests.hostile.held_backends:{backend}", "--db", str(db), "--typewriter", "0"
    )
    try:
        terminal.wait_for(rb"Message inkstream")
        terminal.type("hold on\r")
        shown, status_after = CASES[backend]
        if shown is None:
            # The loop is held from the first chunk on, before it can paint anything.
            time.sleep(2.0)
        else:
            terminal.wait_for(shown, timeout=30)
        before = len(terminal.output)
        terminal.type("\x11")  # Ctrl+Q
        pressed = time.monotonic()
        terminal.process.wait(timeout=10)
        took = time.monotonic() - pressed
    finally:
        terminal.close()
    print(f"{backend}: Ctrl+Q -> exit in {took * 1000:.0f} ms")
    assert took < LIMIT, f"{backend}: Ctrl+Q took {took:.2f} s to end the app"
    assert terminal.process.returncode == 0
    assert RESET.search(bytes(terminal.output[before:])), "the terminal was not restored"
    status, text = stored_answer(db)
    assert status == status_after
    assert text.startswith("before")
