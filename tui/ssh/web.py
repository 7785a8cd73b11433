"""`inkstream serve web`: the same app in a browser, through textual-serve.

textual-serve starts one app process per browser tab and relays its screen over a
websocket. With `--login none` (the default) every tab shares the server's history and
anyone who reaches the port gets a chat, so that is allowed on a loopback address only.
`--login token` and `--login header` give each user their own app and history
(`tui.ssh.web_login`, `tui.ssh.web_server`).
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.say import say_error

__all__ = ["WebSettings", "needs_login", "serve_web", "web_command"]


def web_command(flags: Sequence[str]) -> str:
    """The shell command textual-serve runs for each browser tab.

    Example:
        >>> web_command(["--backend", "echo"]).split()[-3:]
        ['tui', '--backend', 'echo']
    """
    return shlex.join([sys.executable, "-m", "tui", *flags])


@dataclass
class WebSettings:
    """How `inkstream serve web` runs."""

    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    login: str = "none"
    """`none`, `token` (`inkstream users add`) or `header` (a reverse proxy)."""
    data_dir: Path = Path(".")
    """Where each user's history goes, under `users/<name>/`, and the tokens file."""
    user_header: str = "X-Forwarded-User"
    trusted_proxies: list[str] = field(default_factory=lambda: ["127.0.0.1", "::1"])
    history: bool = True


def needs_login(settings: WebSettings) -> str | None:
    """Why these settings may not be served, or `None`.

    Example:
        >>> needs_login(WebSettings(host="0.0.0.0")).split(":")[0]
        'serve web on 0.0.0.0 would let anyone who reaches it read every chat'
        >>> needs_login(WebSettings(host="127.0.0.1")) is None
        True
    """
    from tui.ssh.web_login import is_loopback
    from tui.ssh.web_users import WebUsers

    if settings.login == "none" and not is_loopback(settings.host):
        return (
            f"serve web on {settings.host} would let anyone who reaches it read every chat: "
            "give it a login, --login token (after `inkstream users add NAME`) or "
            "--login header behind a proxy that logs users in"
        )
    if settings.login == "token" and not WebUsers(settings.data_dir).users():
        return (
            f"--login token: no web users in {settings.data_dir} yet: "
            "`inkstream users add NAME` makes one"
        )
    return None


def serve_web(settings: WebSettings, flags: Sequence[str], env: Mapping[str, str]) -> int:
    """Serve the app at http://HOST:PORT until Ctrl+C; return the exit code."""
    try:
        problem = needs_login(settings)
    except (OSError, ValueError) as error:
        problem = str(error)
    if problem is not None:
        say_error(problem)
        return 2
    os.environ.update(env)  # textual-serve starts each app with this process's environment.
    where = {"host": settings.host, "port": settings.port, "public_url": settings.public_url}
    if settings.login == "none":
        from textual_serve.server import Server

        Server(web_command(flags), title="inkstream", **where).serve()  # type: ignore[arg-type]
        return 0
    from tui.ssh.web_login import HeaderLogin, Login, TokenLogin
    from tui.ssh.web_server import LoginServer
    from tui.ssh.web_users import WebUsers

    secure = (settings.public_url or "").startswith("https:")
    login: Login = (
        TokenLogin(WebUsers(settings.data_dir), secure=secure)
        if settings.login == "token"
        else HeaderLogin(settings.user_header, settings.trusted_proxies)
    )
    server = LoginServer(
        login, settings.data_dir, flags, settings.history, title="inkstream", **where
    )
    server.serve()
    return 0
