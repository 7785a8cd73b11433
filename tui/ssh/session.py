"""One SSH session channel: the app in its PTY on one side, the client on the other.

The session accepts a shell with a PTY and nothing else: an exec request or a shell
without a PTY gets a one-line message on stderr and exit status 1, and a subsystem
(SFTP among them) is refused outright. Bytes are pumped both ways without a thread: the
PTY's master is read when the event loop says it is readable, and paused while the SSH
channel's send buffer is full.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
from typing import TYPE_CHECKING

import asyncssh

from tui.ssh.ptyproc import PtyProcess
from tui.text import printable

if TYPE_CHECKING:
    from tui.ssh.hub import SessionHub

__all__ = ["EXEC_REFUSED", "NO_PTY", "AppSession"]

log = logging.getLogger("inkstream.ssh")

NO_PTY = "inkstream needs an interactive terminal: connect with ssh -t"
EXEC_REFUSED = "inkstream runs no commands: connect with ssh -t and no command"
RESET_TERMINAL = (
    b"\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[0m"
)
"""Leave the alternate screen, show the cursor, stop mouse reports and bracketed paste:
what the app would undo itself had it quit on its own."""
READ_SIZE = 65536
DEFAULT_TERM = "xterm-256color"
TERM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
"""What a terminal type looks like; any other `TERM` a client sends is replaced."""
MAX_PENDING = 65536
"""Bytes of keystrokes held for an app that is not reading before the client is paused."""


class AppSession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """The server side of one session channel, running one app process.

    Args:
        hub: Counts the sessions, builds the app's command line, and ends them at shutdown.
        user: The history namespace of the client's key.
    """

    def __init__(self, hub: SessionHub, user: str) -> None:
        self.hub = hub
        self.user = user
        self.child: PtyProcess | None = None
        self._chan: asyncssh.SSHServerChannel | None = None  # type: ignore[type-arg]
        self._term: str | None = None
        self._size = (80, 24)
        self._refusal: str | None = None
        self._pending = bytearray()
        """Keystrokes not yet written to the PTY."""
        self._last_input = 0.0
        self._idle: asyncio.TimerHandle | None = None
        self._done: asyncio.Future[str] | None = None
        """Set with the reason the session ends."""
        self._open = False
        self._task: asyncio.Task[None] | None = None
        self._reading_paused = False
        """Runs the app; kept here, as the event loop holds tasks only weakly."""

    # The requests a client may make, in the order it makes them.

    def connection_made(self, chan: asyncssh.SSHServerChannel) -> None:  # type: ignore[type-arg]
        self._chan = chan
        self._open = True
        # Made now, not when the app starts, so that a disconnect before then is not lost.
        self._done = asyncio.get_running_loop().create_future()

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], _modes: object
    ) -> bool:
        self._term = term_type or DEFAULT_TERM
        if not TERM_NAME.fullmatch(self._term):
            # The log's formatter neutralises it; the app gets a plain terminal type.
            log.info(
                "TERM %s from %s is no terminal name: using %s", term_type, self.user, DEFAULT_TERM
            )
            self._term = DEFAULT_TERM
        self._size = (term_size[0] or 80, term_size[1] or 24)
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        log.info("refused exec for %s", self.user)
        self._refusal = EXEC_REFUSED
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        log.info("refused subsystem %r for %s", subsystem, self.user)
        return False

    def session_started(self) -> None:
        if self._refusal is None and self._term is None:
            log.info("refused a session without a PTY for %s", self.user)
            self._refusal = NO_PTY
        if self._refusal is not None:
            self._say(self._refusal)
            self._exit(1)
            return
        self._task = asyncio.get_running_loop().create_task(self._run())

    def terminal_size_changed(self, width: int, height: int, _pw: int, _ph: int) -> None:
        self._size = (width or self._size[0], height or self._size[1])
        if self.child is not None:
            self.child.resize(*self._size)

    def data_received(self, data: bytes, _datatype: object) -> None:
        self._last_input = asyncio.get_running_loop().time()
        self._pending += data
        if len(self._pending) > MAX_PENDING and self._chan is not None:
            self._chan.pause_reading()  # SSH flow control holds the rest at the client
            self._reading_paused = True
        self._write_input()

    def eof_received(self) -> bool:
        self.finish("end of input")
        return False

    def pause_writing(self) -> None:
        if self.child is not None and self.child.master is not None:
            asyncio.get_running_loop().remove_reader(self.child.master)

    def resume_writing(self) -> None:
        ending = self._done is None or self._done.done()
        if not ending and self.child is not None and self.child.master is not None:
            asyncio.get_running_loop().add_reader(self.child.master, self._read_output)

    def connection_lost(self, exc: Exception | None) -> None:
        self._open = False
        self.finish("disconnected")

    async def wait_closed(self, timeout: float) -> None:
        """Wait until the channel is closed, so that what was written to it (the terminal
        reset, the reason) has reached the client, or until `timeout` seconds pass."""
        if self._chan is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._chan.wait_closed(), timeout)

    # Running the app.

    def finish(self, reason: str) -> None:
        """End the session, first reason wins: the app is ended and the channel closed."""
        if self._done is not None and not self._done.done():
            self._done.set_result(reason)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        assert self._done is not None
        refusal = self.hub.claim(self)
        if refusal is not None:
            self._say(refusal)
            self._exit(1)
            return
        try:
            self.child = await PtyProcess.start(
                await self.hub.live_launcher(),
                self.hub.app_args(self.user),
                self.hub.app_env(self._term or "", self.user),
                *self._size,
            )
        except OSError as error:
            self.hub.release(self)
            log.error("could not start the app for %s: %s", self.user, error)
            self._say(f"inkstream: the app could not start: {error}")
            self._exit(1)
            return
        log.info(
            "session started for %s: pid %d, %dx%d %s",
            self.user,
            self.child.pid,
            *self._size,
            self._term,
        )
        assert self.child.master is not None
        loop.add_reader(self.child.master, self._read_output)
        self._write_input()
        self._last_input = loop.time()
        self._watch_idle()
        reason = await self._done
        await self._end(reason)

    async def _end(self, reason: str) -> None:
        loop = asyncio.get_running_loop()
        child = self.child
        assert child is not None and child.master is not None
        loop.remove_reader(child.master)
        loop.remove_writer(child.master)
        if self._idle is not None:
            self._idle.cancel()
        await child.end(self.hub.grace)
        self.hub.release(self)
        log.info("session ended for %s: pid %d, %s", self.user, child.pid, reason)
        if reason not in {"app exited", "disconnected"}:
            self._write(RESET_TERMINAL)
            self._say(f"inkstream: session closed: {reason}")
        self._exit(0 if reason == "app exited" else 1)

    def _read_output(self) -> None:
        assert self.child is not None and self.child.master is not None
        try:
            data = os.read(self.child.master, READ_SIZE)
        except BlockingIOError:
            return
        except OSError:  # EIO: the app closed its side of the PTY.
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self.child.master)
            self.finish("app exited")
            return
        self._write(data)

    def _write_input(self) -> None:
        child = self.child
        if child is None or child.master is None:
            return
        loop = asyncio.get_running_loop()
        while self._pending:
            try:
                written = os.write(child.master, self._pending)
            except BlockingIOError:
                loop.add_writer(child.master, self._write_input)
                return
            except OSError:  # The app is gone; its end is seen on the reading side.
                self._pending.clear()
                break
            del self._pending[:written]
        loop.remove_writer(child.master)
        if self._reading_paused and self._open and self._chan is not None:
            self._chan.resume_reading()
            self._reading_paused = False

    def _watch_idle(self) -> None:
        timeout = self.hub.idle_timeout
        if timeout is None:
            return
        loop = asyncio.get_running_loop()
        left = self._last_input + timeout - loop.time()
        if left <= 0:
            self.finish(f"no input for {timeout:g} s")
        else:
            self._idle = loop.call_later(left, self._watch_idle)

    # Talking to the client.

    def _sendable(self) -> bool:
        """Whether the channel still takes data: once it is closing, a write would raise."""
        return self._open and self._chan is not None and not self._chan.is_closing()

    def _write(self, data: bytes) -> None:
        if self._sendable():
            assert self._chan is not None
            self._chan.write(data)

    def _say(self, line: str) -> None:
        if self._sendable():
            assert self._chan is not None
            end = "\r\n" if self._term is not None else "\n"
            self._chan.write_stderr((printable(line) + end).encode())

    def _exit(self, status: int) -> None:
        if self._sendable():
            assert self._chan is not None
            self._chan.exit(status)
