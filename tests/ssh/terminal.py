"""An SSH client with a PTY whose output is drawn on a `pyte` screen, as a terminal would.

Used by the tests and by `benchmarks/ssh_load.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable

import asyncssh
import pyte

__all__ = ["Terminal", "connect", "open_terminal"]

BORDERS = re.compile(r"[│╭╮╰╯─▁▂▃▄▅▆▇█]")
"""Box and scrollbar characters, taken out to read text wrapped inside a box."""
WAIT = 60.0
"""Seconds to wait for something on screen: generous, as the machine may be busy."""


class Terminal(asyncssh.SSHClientSession):  # type: ignore[type-arg]
    """A client session drawing what it receives on a pyte screen.

    Args:
        columns: The screen's width in cells.
        rows: Its height.
    """

    def __init__(self, columns: int, rows: int) -> None:
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.stderr = bytearray()
        self.exit_status: int | None = None
        self.received = 0
        """Bytes of output so far."""
        self.first_output: float | None = None
        """`time.perf_counter()` when the first byte of output arrived."""
        self.closed = asyncio.Event()
        self._changed = asyncio.Event()
        self.chan: asyncssh.SSHClientChannel | None = None  # type: ignore[type-arg]

    def connection_made(self, chan: asyncssh.SSHClientChannel) -> None:  # type: ignore[type-arg]
        self.chan = chan

    def data_received(self, data: bytes, datatype: int | None) -> None:
        if datatype == asyncssh.EXTENDED_DATA_STDERR:
            self.stderr += data
        else:
            if self.first_output is None:
                self.first_output = time.perf_counter()
            self.received += len(data)
            self.stream.feed(data)
        self._changed.set()

    def exit_status_received(self, status: int) -> None:
        self.exit_status = status

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        self._changed.set()

    def text(self) -> str:
        """The screen as lines of text."""
        return "\n".join(self.screen.display)

    async def wait_until(
        self, check: Callable[[str], bool], what: str, timeout: float = WAIT
    ) -> str:
        """Wait until `check(screen text)` holds; return that text.

        Raises:
            AssertionError: It did not hold within `timeout`, or the session closed first;
                the message shows the screen.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            text = self.text()
            if check(text):
                return text
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0 or self.closed.is_set():
                why = "closed" if self.closed.is_set() else f"not within {timeout:g} s"
                raise AssertionError(f"{what}: {why}; the screen shows:\n{text}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)

    async def wait_for(self, *texts: str, timeout: float = WAIT) -> str:
        """Wait until every one of `texts` is on screen; return the screen's text.

        A text may be wrapped over lines inside a box: it is also looked for with the
        box's borders taken out and the spaces between words made one.
        """

        def found(screen: str) -> bool:
            flat = " ".join(BORDERS.sub(" ", screen).split())
            return all(text in screen or text in flat for text in texts)

        return await self.wait_until(found, f"waiting for {texts}", timeout)

    def type(self, keys: str) -> None:
        """Send keystrokes, as typed: "\\r" is Enter, "\\x0f" is Ctrl+O."""
        assert self.chan is not None
        self.chan.write(keys.encode())

    def resize(self, columns: int, rows: int) -> None:
        """Resize the screen and tell the server, as a terminal window does."""
        assert self.chan is not None
        self.screen.resize(rows, columns)
        self.chan.change_terminal_size(columns, rows)


async def connect(
    port: int, key: asyncssh.SSHKey | None, username: str = "guest", **options: object
) -> asyncssh.SSHClientConnection:
    """Log in to 127.0.0.1:`port` with `key`; no agent, no config files, no known hosts."""
    return await asyncssh.connect(
        "127.0.0.1",
        port,
        username=username,
        client_keys=[key] if key is not None else None,
        known_hosts=None,
        agent_path=None,
        config=None,
        **options,  # type: ignore[arg-type]
    )


async def open_terminal(
    port: int, key: asyncssh.SSHKey, username: str = "guest", size: tuple[int, int] = (100, 30)
) -> tuple[asyncssh.SSHClientConnection, Terminal]:
    """Log in and start a shell with a PTY of `size` (columns, rows)."""
    conn = await connect(port, key, username)
    _chan, terminal = await conn.create_session(
        lambda: Terminal(*size), term_type="xterm-256color", term_size=size, encoding=None
    )
    return conn, terminal
