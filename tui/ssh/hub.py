"""What every session of one server shares: its settings, the count of running sessions
against the cap, each user's history file, and ending them all at shutdown."""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import asyncssh

    from tui.ssh.ptyproc import AppLauncher

from tui.ssh.user_dirs import user_app_args, user_history_path, user_state_env

__all__ = ["ServeSettings", "SessionHub", "sessions", "user_history_path"]

log = logging.getLogger("inkstream.ssh")

DROPPED_ENV = ("TERM", "COLORTERM", "COLUMNS", "LINES", "SSH_AUTH_SOCK", "TMUX", "TMUX_PANE")
"""Server environment variables a session's app must not inherit."""


class AppSession(Protocol):
    """What the hub needs of a session (`tui.ssh.session.AppSession` is one)."""

    def finish(self, reason: str) -> None:
        """Restore the client's terminal, say `reason`, and close the channel."""

    async def wait_closed(self, timeout: float) -> None:
        """Wait, at most `timeout` seconds, for the channel to close."""


CLOSE_WAIT = 1.0
"""Seconds a channel gets at shutdown to send its last bytes to a client that reads slowly."""


def sessions(count: int) -> str:
    """A count of sessions, in words.

    Example:
        >>> sessions(1), sessions(2)
        ('1 session', '2 sessions')
    """
    return f"{count} session" if count == 1 else f"{count} sessions"


@dataclass
class ServeSettings:
    """How `inkstream serve ssh` runs."""

    authorized_keys: Path
    """The `authorized_keys` file; see `tui.ssh.auth`."""
    host_key: Path
    """The private host key, made here on the first run."""
    data_dir: Path
    """Where each user's history goes, under `users/<name>/`."""
    host: str = "127.0.0.1"
    port: int = 2222
    """0 picks a free port; the log says which."""
    max_sessions: int | None = None
    """Sessions running at once; `None` for no cap."""
    idle_timeout: float | None = None
    """Seconds without input after which a session is closed; `None` for never."""
    app_args: list[str] = field(default_factory=list)
    """Passed to each session's `inkstream`: backend, display and config flags."""
    app_env: dict[str, str] = field(default_factory=dict)
    """Added to each session's environment, such as `OPENAI_API_KEY`."""
    history: bool = True
    """`False` keeps every chat in memory only (`--no-history`)."""
    grace: float = 1.0
    """Seconds an app gets to end after `SIGHUP` before it is killed."""


class SessionHub:
    """The running sessions of one server, and what each needs to start.

    Args:
        settings: The server's settings.
    """

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.sessions: set[AppSession] = set()
        self.max_sessions = settings.max_sessions
        self.idle_timeout = settings.idle_timeout
        self.grace = settings.grace
        self.connections: set[asyncssh.SSHServerConnection] = set()
        """Every open connection, authenticated or not, to close at shutdown."""
        self.launcher: AppLauncher
        """Forks each session's app; set by the server before it listens."""
        self._launching = asyncio.Lock()
        self.closing = False
        """Set at shutdown: no session may start after that."""
        self._none_left = asyncio.Event()
        self._none_left.set()

    def claim(self, session: AppSession) -> str | None:
        """Count `session` in; or, if it may not run, return the line that says why."""
        if self.closing:
            return "inkstream: the server is shutting down"
        if self.max_sessions is not None and len(self.sessions) >= self.max_sessions:
            return f"inkstream: the server is full ({sessions(self.max_sessions)}): try again later"
        self.sessions.add(session)
        self._none_left.clear()
        return None

    async def live_launcher(self) -> AppLauncher:
        """The app launcher, started again first if it has exited."""
        async with self._launching:
            code = self.launcher.process.returncode
            if code is not None:
                log.warning("the app launcher exited (code %d): starting a new one", code)
                await self.launcher.aclose()
                from tui.ssh.ptyproc import AppLauncher

                self.launcher = await AppLauncher.start()
        return self.launcher

    def release(self, session: AppSession) -> None:
        """Count `session` out once its app has ended."""
        self.sessions.discard(session)
        if not self.sessions:
            self._none_left.set()

    def app_args(self, user: str) -> list[str]:
        """The command line of `user`'s app: the server's app flags and their history file."""
        settings = self.settings
        return user_app_args(settings.data_dir, user, settings.app_args, settings.history)

    def app_env(self, term: str, user: str) -> dict[str, str]:
        """The app's environment: the server's, with the client's `TERM` and true colour,
        and `user`'s own state folder (the theme they picked) under `users/<user>/state`."""
        env = {name: value for name, value in os.environ.items() if name not in DROPPED_ENV}
        env.update(self.settings.app_env)
        env.update(TERM=term or "xterm-256color", COLORTERM="truecolor")
        env.update(user_state_env(self.settings.data_dir, user))
        env.setdefault("LANG", "C.UTF-8")
        return env

    async def end_all(self) -> None:
        """End every session, wait until each app is reaped and each channel has sent its
        client the terminal reset and the reason, then close every connection.

        Closing a connection drops what its channels have not sent yet, so closing it
        before the channel would leave the client's terminal in the app's modes.
        """
        self.closing = True
        ending = list(self.sessions)
        for session in ending:
            session.finish("the server is shutting down")
        await self._none_left.wait()
        await asyncio.gather(*(session.wait_closed(CLOSE_WAIT) for session in ending))
        for connection in list(self.connections):
            connection.close()
