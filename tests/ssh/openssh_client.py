"""OpenSSH's own `ssh`, run in a real pseudo-terminal as a user runs it, with every byte it
writes to that terminal kept: to check what state a session leaves the terminal in."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import struct
import subprocess
import termios
import threading
import time
from pathlib import Path

import asyncssh

__all__ = ["OpenSSH", "terminal_left_clean"]

MODES = {
    "the alternate screen": b"1049",
    "the cursor hidden": b"25",
    "mouse clicks reported": b"1000",
    "mouse drags reported": b"1002",
    "all mouse motion reported": b"1003",
    "SGR mouse reports": b"1006",
}


def terminal_left_clean(output: bytes) -> list[str]:
    """What the last bytes written to a terminal left switched on (empty when nothing):
    each private mode's last "set" must be followed by a "reset"."""
    left = []
    for what, number in MODES.items():
        on = output.rfind(b"\x1b[?" + number + b"h")
        off = output.rfind(b"\x1b[?" + number + b"l")
        if number == b"25":  # for the cursor, "l" hides and "h" shows
            on, off = off, on
        if on > off:
            left.append(what)
    return left


class OpenSSH:
    """`ssh -p PORT user@127.0.0.1` with `key`, in a 100 x 30 pty; no config, no agent."""

    def __init__(self, port: int, key: asyncssh.SSHKey, folder: Path, user: str = "alice"):
        key_file = folder / f"{user}_id"
        key_file.write_bytes(key.export_private_key())
        key_file.chmod(0o600)
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        command = [
            "ssh", "-F", "/dev/null", "-i", str(key_file), "-p", str(port),
            "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "-o", "BatchMode=yes",
            f"{user}@127.0.0.1",
        ]  # fmt: skip
        env = {**os.environ, "TERM": "xterm-256color"}
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):
            while chunk := os.read(self.master, 65536):
                self.output += chunk

    def wait_for(self, pattern: bytes, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.output):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"never saw {pattern!r}: {bytes(self.output[-2000:])!r}")
            time.sleep(0.05)

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def wait(self, timeout: float = 30) -> int:
        """Wait for `ssh` to exit and for all it wrote to be read; return its exit code."""
        code = self.process.wait(timeout)
        self._reader.join(timeout=5)
        return code

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        with contextlib.suppress(OSError):
            os.close(self.master)
        self._reader.join(timeout=5)
