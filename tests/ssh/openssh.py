"""OpenSSH's own `ssh` client in a real pseudo-terminal, its output drawn on a pyte screen.

The asyncssh client of `terminal.py` is ours to steer; this is the client people use, with
the login name, key file and `TERM` given as a user would give them.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pyte
import pytest

from tests.ssh.terminal import BORDERS

__all__ = ["OpenSSH", "key_file"]

WAIT = 60.0
"""Seconds to wait for something on screen: generous, as the machine may be busy."""


def key_file(key: asyncssh.SSHKey, folder: Path, name: str) -> Path:
    """Write `key` as an OpenSSH private key file of mode 0600, as `ssh -i` wants it."""
    path = folder / name
    path.write_bytes(key.export_private_key("openssh"))
    path.chmod(0o600)
    return path


class OpenSSH:
    """`ssh -tt -p PORT -i KEY LOGIN@127.0.0.1` in a pty of `columns` x `rows`.

    Args:
        port: The server's port.
        key: The private key file to log in with.
        login: The login name to ask for.
        term: The `TERM` the client sends.
        columns: The pty's width.
        rows: Its height.
    """

    def __init__(
        self,
        port: int,
        key: Path,
        login: str,
        term: str = "xterm-256color",
        columns: int = 100,
        rows: int = 30,
    ) -> None:
        ssh = shutil.which("ssh")
        if ssh is None:
            pytest.skip("OpenSSH's ssh client is not installed")
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self._lock = threading.Lock()
        command = [
            ssh, "-F", "/dev/null", "-tt", "-p", str(port), "-i", str(key),
            "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
            f"{login}@127.0.0.1",
        ]  # fmt: skip
        path = os.environ.get("PATH", "/usr/bin:/bin")
        env = {"PATH": path, "TERM": term, "HOME": str(key.parent)}
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):
            while chunk := os.read(self.master, 65536):
                with self._lock:
                    self.raw += chunk
                    self.stream.feed(chunk)

    def text(self) -> str:
        """The screen as lines of text."""
        with self._lock:
            return "\n".join(self.screen.display)

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = WAIT) -> str:
        """Wait until `check(screen text)` holds; return that text.

        Raises:
            AssertionError: It did not hold within `timeout`, or `ssh` exited first.
        """
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if check(text):
                return text
            if self.process.poll() is not None or time.monotonic() > deadline:
                why = "ssh exited" if self.process.poll() is not None else "timed out"
                raise AssertionError(f"{what}: {why}; the screen shows:\n{text}")
            time.sleep(0.05)

    def wait_for(self, *texts: str, timeout: float = WAIT) -> str:
        """Wait until every one of `texts` is on screen; return the screen's text.

        A text may be wrapped over lines inside a box, as in `terminal.Terminal.wait_for`.
        """

        def found(screen: str) -> bool:
            flat = " ".join(BORDERS.sub(" ", screen).split())
            return all(text in screen or text in flat for text in texts)

        return self.wait_until(found, f"waiting for {texts}", timeout)

    def type(self, keys: str) -> None:
        """Send keystrokes, as typed: "\\r" is Enter, "\\x0f" is Ctrl+O."""
        os.write(self.master, keys.encode())

    def close(self) -> None:
        """End `ssh` (killed if it has not exited) and close the pty."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self.master)
        self._reader.join(timeout=5)
