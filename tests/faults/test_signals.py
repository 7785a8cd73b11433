"""SIGTERM and SIGHUP while an answer streams: it is saved, and the terminal is restored.

The real `inkstream` command runs in a real pseudo-terminal with a backend that streams
for ever. Once words are on the screen, the test sends the signal and checks that the
process exits with 128 + the signal, that the history file holds the answer so far
marked "interrupted" (written by the app itself, not inferred later from a dead writer),
and that the last thing written to the terminal restores it: the alternate screen left,
the cursor shown, mouse reporting off, and the terminal's own modes (echo, line
editing) back as they were.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest

from tui.history.store import HistoryStore

ROOT = Path(__file__).resolve().parents[2]
SIGNALS = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
EXIT_CODES = {signal.SIGINT: 130} | {number: 128 + number for number in SIGNALS}
RESTORE = re.compile(rb"(\x1b\[[?<]?[0-9;]*[a-zA-Z])*")
"""Nothing but mode-setting escape sequences: what may follow leaving the alt screen."""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def inkstream() -> list[str]:
    """The installed `inkstream` script beside this Python, else `python -m tui`."""
    script = Path(sys.executable).with_name("inkstream")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


class Terminal:
    """The inkstream command in a pty of 100 x 30, its output collected by a thread."""

    def __init__(self, *arguments: str) -> None:
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.modes = termios.tcgetattr(self.slave)
        env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            [*inkstream(), "--backend", "tests.faults.slow_backend:endless", *arguments],
            cwd=ROOT,
            env=env,
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            start_new_session=True,
        )
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):
            while chunk := os.read(self.master, 65536):
                self.output += chunk

    def wait_for(self, pattern: bytes, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.output):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"never saw {pattern!r}: {bytes(self.output[-2000:])!r}")
            time.sleep(0.05)

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        os.close(self.slave)
        os.close(self.master)
        self._reader.join(timeout=5)


def raw_answer(db: Path) -> tuple[str, str | None]:
    """The answer's status and writer as the app left them, before any reader marks it."""
    with contextlib.closing(sqlite3.connect(db)) as connection:
        return connection.execute(
            "SELECT status, writer FROM messages WHERE role = 'assistant'"
        ).fetchone()


@pytest.mark.parametrize("number", SIGNALS, ids=lambda number: signal.Signals(number).name)
def test_a_signal_mid_answer_saves_it_and_restores_the_terminal(
    tmp_path: Path, number: int
) -> None:
    db = tmp_path / "history.sqlite3"
    terminal = Terminal("--db", str(db))
    try:
        terminal.wait_for(rb"Message inkstream")  # the prompt is on the screen
        terminal.type("tell me everything\r")
        terminal.wait_for(rb"word5 ")
        terminal.process.send_signal(number)
        code = terminal.process.wait(timeout=15)
        modes = termios.tcgetattr(terminal.slave)
    finally:
        terminal.close()
    output = bytes(terminal.output)
    assert code == 128 + number, output[-2000:]
    assert raw_answer(db) == ("interrupted", None), "saved by the app as it ended"
    with HistoryStore(db) as store:
        (info,) = store.sessions()
        prompt, answer = store.messages(info.id)
    assert prompt.value == "tell me everything"
    assert answer.value.startswith("word0 word1 word2 word3 word4 word5 ")
    words = answer.value.split()
    assert words == [f"word{index}" for index in range(len(words))], "nothing lost or mixed"
    # Leaving the alt screen is the last drawing; only mode resets may follow it.
    left = output.rfind(b"\x1b[?1049l")
    assert left > output.rfind(b"\x1b[?1049h") >= 0
    assert RESTORE.fullmatch(output[left:]), output[left:]
    assert output.rfind(b"\x1b[?25h") > output.rfind(b"\x1b[?25l")
    assert output.rfind(b"\x1b[?1000l") > output.rfind(b"\x1b[?1000h") >= 0
    assert output.rfind(b"\x1b[?1003l") > output.rfind(b"\x1b[?1003h")
    assert modes == terminal.modes, "echo and line editing are back"


@pytest.mark.parametrize(
    "number", [*SIGNALS, signal.SIGINT], ids=lambda number: signal.Signals(number).name
)
def test_a_signal_mid_print_keeps_what_arrived_and_shows_the_cursor(number: int) -> None:
    """Print mode on a terminal draws with Rich Live, which hides the cursor meanwhile."""
    terminal = Terminal("--no-history", "-p", "tell me everything")
    try:
        terminal.wait_for(rb"word5 ")
        terminal.process.send_signal(number)
        code = terminal.process.wait(timeout=15)
        modes = termios.tcgetattr(terminal.slave)
    finally:
        terminal.close()
    output = bytes(terminal.output)
    assert code == EXIT_CODES[number], output[-2000:]
    assert output.rfind(b"\x1b[?25h") > output.rfind(b"\x1b[?25l") >= 0, output[-500:]
    printed = re.sub(rb"\x1b\[[0-9;?]*[a-zA-Z]|[\r\n]", b"", output).decode()
    assert "word0 word1 word2 word3 word4 word5" in printed, "what arrived stays printed"
    assert "Traceback" not in printed
    assert modes == terminal.modes
