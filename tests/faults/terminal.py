"""The real `inkstream` command in a real pseudo-terminal, for the fault tests."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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

    def hang_up(self) -> None:
        """Close the terminal's side, as a closed window does; the app's writes then fail."""
        os.close(self.master)
        self.master = -1

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        for fd in (self.slave, self.master):
            if fd >= 0:
                os.close(fd)
        self._reader.join(timeout=5)
