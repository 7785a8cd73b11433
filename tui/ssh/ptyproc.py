"""One app process in its own PTY, forked by the app launcher (`tui.ssh.zygote`): start
it, resize it, and end it without leaving anything behind (no zombie, no open descriptor).

`AppLauncher` is the server's side of the launcher; `PtyProcess` one app. The server
holds a pidfd for each app: it is readable once the app has exited, and signals sent
through it can't reach another process that later gets the same pid.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import pty
import signal
import socket
import struct
import subprocess
import sys
import termios
from collections.abc import Mapping, Sequence

__all__ = ["ZYGOTE_MODULE", "AppLauncher", "PtyProcess", "set_window_size"]

ZYGOTE_MODULE = "tui.ssh.zygote"
"""Run with `python -m`; see `tui/ssh/zygote.py`."""


def set_window_size(descriptor: int, columns: int, rows: int) -> None:
    """Set a terminal's size in cells (`TIOCSWINSZ`)."""
    size = struct.pack("HHHH", max(1, rows), max(1, columns), 0, 0)
    fcntl.ioctl(descriptor, termios.TIOCSWINSZ, size)


class AppLauncher:
    """The server's end of the app launcher process.

    Start it with `await AppLauncher.start()`; `await launcher.aclose()` ends it.
    """

    def __init__(self, process: asyncio.subprocess.Process, channel: socket.socket) -> None:
        self.process = process
        self.channel = channel
        self._lock = asyncio.Lock()

    @classmethod
    async def start(cls) -> AppLauncher:
        """Start the launcher; it imports the app before it answers its first request."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                ZYGOTE_MODULE,
                str(theirs.fileno()),
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        ours.setblocking(False)
        return cls(process, ours)

    async def launch(
        self, args: Sequence[str], env: Mapping[str, str], slave: int
    ) -> tuple[int, int]:
        """Fork an app on the PTY slave `slave`; return its pid and a pidfd for it.

        Raises:
            OSError: The launcher could not fork, or has exited.
        """
        request = json.dumps({"args": list(args), "env": dict(env)}).encode()
        loop = asyncio.get_running_loop()
        async with self._lock:
            socket.send_fds(self.channel, [request], [slave])
            readable = loop.create_future()
            loop.add_reader(self.channel, readable.set_result, None)
            try:
                await readable
            finally:
                loop.remove_reader(self.channel)
            reply, fds, _flags, _address = socket.recv_fds(self.channel, 4096, 1)
        if not fds:
            raise OSError(reply.decode() or "the app launcher has exited")
        return int(reply), fds[0]

    async def aclose(self) -> None:
        """Close our end of the socket, which ends the launcher, and reap it."""
        self.channel.close()
        await self.process.wait()


class PtyProcess:
    """An app whose stdin, stdout and stderr are a new PTY's slave side.

    The server keeps the master side, `master`, non-blocking, to pump bytes through.
    Start one with `await PtyProcess.start(...)`.
    """

    def __init__(self, pid: int, pidfd: int, master: int) -> None:
        self.pid = pid
        self.pidfd: int | None = pidfd
        self.master: int | None = master
        """The PTY's master descriptor, `None` once closed."""
        self.exited = asyncio.Event()
        asyncio.get_running_loop().add_reader(pidfd, self._on_exit)

    def _on_exit(self) -> None:
        assert self.pidfd is not None
        asyncio.get_running_loop().remove_reader(self.pidfd)
        self.exited.set()

    @classmethod
    async def start(
        cls,
        launcher: AppLauncher,
        args: Sequence[str],
        env: Mapping[str, str],
        columns: int,
        rows: int,
    ) -> PtyProcess:
        """Start `python -m tui ARGS` in a new session on a new PTY of this size."""
        master, slave = pty.openpty()
        try:
            set_window_size(slave, columns, rows)
            pid, pidfd = await launcher.launch(args, env, slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        return cls(pid, pidfd, master)

    def resize(self, columns: int, rows: int) -> None:
        """Give the PTY a new size; the kernel tells the app with `SIGWINCH`."""
        if self.master is not None:
            set_window_size(self.master, columns, rows)

    def _signal(self, number: int) -> None:
        if self.pidfd is not None and not self.exited.is_set():
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self.pidfd, number)

    async def end(self, grace: float = 1.0) -> None:
        """End the app, wait until it has exited, then close the PTY and the pidfd.

        It gets `SIGHUP`, as from a terminal that hangs up, and `SIGKILL` if it is still
        there after `grace` seconds. The launcher reaps it.
        """
        self._signal(signal.SIGHUP)
        try:
            await asyncio.wait_for(self.exited.wait(), grace)
        except TimeoutError:
            self._signal(signal.SIGKILL)
            await self.exited.wait()
        self.close()

    def close(self) -> None:
        """Close the master descriptor and the pidfd, once."""
        if self.master is not None:
            os.close(self.master)
            self.master = None
        if self.pidfd is not None:
            if not self.exited.is_set():
                asyncio.get_running_loop().remove_reader(self.pidfd)
            os.close(self.pidfd)
            self.pidfd = None
