"""textual-serve's `Server` with a login in front of the page, the websocket and downloads.

textual-serve has no hook for a login, so this subclass overrides three of its public
request handlers and nothing private: the page (`handle_index`) and the downloads
(`handle_download`) check the login, then do what textual-serve does; the websocket
(`handle_websocket`) checks it before the websocket is accepted, so a refused request
starts no app, then runs the user's own app command through textual-serve's public
`AppService`. Each app gets `--db <data_dir>/users/<name>/history.sqlite3` and its own
state folder (`tui.ssh.user_dirs`, the code `serve ssh` uses).

`initialize_logging`, which textual-serve documents as made to be overridden, adds a
filter that blots out any `token=` in a log line, so that the access log's request line
of a login link never shows the token. A websocket whose user's token was removed or
replaced is closed within `RECHECK` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tui.ssh.user_dirs import user_app_args, user_state_env
from tui.ssh.web_login import Login

__all__ = ["LoginServer", "RedactTokens", "user_command"]

log = logging.getLogger("inkstream.web")

RECHECK = 2.0
"""Seconds between checks that an open websocket's login still holds."""
_TOKEN = re.compile(r"(token=)[^&\s\"']*", re.IGNORECASE)


class RedactTokens(logging.Filter):
    """Writes every `token=…` in a log record as `token=[hidden]`.

    Example:
        >>> record = logging.makeLogRecord({"msg": 'GET /?token=%s HTTP/1.1', "args": ("s3",)})
        >>> RedactTokens().filter(record), record.getMessage()
        (True, 'GET /?token=[hidden] HTTP/1.1')
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "token=" in message.lower():
            record.msg, record.args = _TOKEN.sub(r"\1[hidden]", message), ()
        return True


def user_command(data_dir: Path, user: str, flags: Sequence[str], history: bool = True) -> str:
    """The shell command that runs `user`'s app, with their history and state folder.

    Example:
        >>> import tempfile
        >>> command = user_command(Path(tempfile.mkdtemp()), "alice", ["--backend", "echo"])
        >>> "/users/alice/state" in command, "/users/alice/history.sqlite3" in command
        (True, True)
    """
    env = [f"{name}={value}" for name, value in user_state_env(data_dir, user).items()]
    args = user_app_args(data_dir, user, flags, history)
    return shlex.join(["env", *env, sys.executable, "-m", "tui", *args])


class LoginServer(Server):
    """A textual-serve `Server` whose every page and app needs a login.

    Args:
        login: Tells who a request comes from.
        data_dir: The folder of `users/<name>/`.
        flags: The app's flags, before the user's history is added.
        history: `False` runs every user's app with `--no-history`.
        **kwargs: For textual-serve's `Server`: `host`, `port`, `title`, `public_url`.
    """

    def __init__(
        self,
        login: Login,
        data_dir: Path,
        flags: Sequence[str],
        history: bool = True,
        **kwargs: Any,
    ) -> None:
        shown = shlex.join([sys.executable, "-m", "tui", *flags])
        super().__init__(shown, **kwargs)
        self.login = login
        self.data_dir = data_dir
        self.flags = list(flags)
        self.history = history

    def initialize_logging(self) -> None:
        """textual-serve's logging, with tokens blotted out of every line."""
        super().initialize_logging()
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactTokens())

    def _check_origin(self, request: web.Request) -> None:
        """Refuse a websocket opened by another site's page (it would carry the cookie)."""
        origin = request.headers.get("Origin")
        if origin is None:
            return
        allowed = {request.host, urlsplit(self.public_url).netloc}
        if urlsplit(origin).netloc not in allowed:
            raise web.HTTPForbidden(text="inkstream: the websocket is for this site's page\n")

    async def handle_index(self, request: web.Request) -> Any:
        """The page, once the request's user is known."""
        landing = self.login.landing(request)
        if landing is not None:
            return landing
        self.login.user(request)
        return await super().handle_index(request)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file an app offers, to a logged-in user only."""
        self.login.user(request)
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """The websocket that runs the user's own app; refused before any app starts."""
        user = self.login.user(request)
        self._check_origin(request)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        await websocket.prepare(request)
        self.login.logged_in(user)
        log.info("app started for %s", user)
        service = AppService(
            user_command(self.data_dir, user, self.flags, self.history),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        watch = asyncio.get_running_loop().create_task(self._watch(request, user, websocket))
        try:
            await service.start(width, height)
            await _relay(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            watch.cancel()
            await service.stop()
            log.info("app ended for %s", user)
        return websocket

    async def _watch(self, request: web.Request, user: str, websocket: Any) -> None:
        """Close the websocket once its user's login no longer holds."""
        while not websocket.closed:
            await asyncio.sleep(RECHECK)
            try:
                still = self.login.user(request) == user
            except web.HTTPException:
                still = False
            if not still:
                log.info("login of %s ended: closing their app", user)
                await websocket.close(message=b"login ended")
                return


async def _relay(websocket: web.WebSocketResponse, service: AppService) -> None:
    """Pass the browser's messages to the app, as textual-serve's own handler does."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        envelope = message.json()
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await service.send_bytes(data.encode("utf-8"))
        elif kind == "resize" and isinstance(data, dict):
            await service.set_terminal_size(
                to_int(str(data.get("width")), 80), to_int(str(data.get("height")), 24)
            )
        elif kind == "ping":
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()
