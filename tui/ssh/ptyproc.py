"""One app process in its own PTY: start it, resize it, and end it without leaving
anything behind (no zombie, no open descriptor)."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pty
import signal
import struct
import sys
import termios
from collections.abc import Mapping, Sequence

__all__ = ["CHILD_MODULE", "PtyProcess", "set_window_size"]

CHILD_MODULE = "tui.ssh.child"
"""Run with `python -m` in each PTY; see `tui/ssh/child.py`."""


def set_window_size(descriptor: int, columns: int, rows: int) -> None:
    """Set a terminal's size in cells (`TIOCSWINSZ`)."""
    size = struct.pack("HHHH", max(1, rows), max(1, columns), 0, 0)
    fcntl.ioctl(descriptor, termios.TIOCSWINSZ, size)


class PtyProcess:
    """A child process whose stdin, stdout and stderr are a new PTY's slave side.

    The server keeps the master side, `master`, non-blocking, to pump bytes through.
    Start one with `await PtyProcess.start(...)`.
    """

    def __init__(self, process: asyncio.subprocess.Process, master: int) -> None:
        self.process = process
        self.master: int | None = master
        """The PTY's master descriptor, `None` once closed."""

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self.process.pid

    @classmethod
    async def start(
        cls, args: Sequence[str], env: Mapping[str, str], columns: int, rows: int
    ) -> PtyProcess:
        """Start `python -m tui.ssh.child ARGS` in a new session on a new PTY of this size."""
        master, slave = pty.openpty()
        try:
            set_window_size(slave, columns, rows)
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                CHILD_MODULE,
                *args,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(env),
                start_new_session=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        return cls(process, master)

    def resize(self, columns: int, rows: int) -> None:
        """Give the PTY a new size and tell the app (`TIOCSWINSZ`, then `SIGWINCH`)."""
        if self.master is None:
            return
        set_window_size(self.master, columns, rows)
        self._signal(signal.SIGWINCH)

    def _signal(self, number: int, group: bool = False) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                if group:
                    os.killpg(self.pid, number)
                else:
                    self.process.send_signal(number)

    async def end(self, grace: float = 1.0) -> int:
        """End the child and reap it, then close the PTY.

        The child's process group gets `SIGHUP`, as a terminal that hangs up sends it, and
        `SIGKILL` if it is still there after `grace` seconds.

        Returns:
            The child's exit code (negative: the signal that ended it).
        """
        if self.process.returncode is None:
            self._signal(signal.SIGHUP, group=True)
            try:
                await asyncio.wait_for(self.process.wait(), grace)
            except TimeoutError:
                self._signal(signal.SIGKILL, group=True)
        code = await self.process.wait()
        self.close()
        return code

    def close(self) -> None:
        """Close the master descriptor, once."""
        if self.master is not None:
            os.close(self.master)
            self.master = None
