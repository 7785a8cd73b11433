"""`inkstream serve web`: the same app in a browser, through textual-serve.

textual-serve starts one app process per browser tab and relays its screen over a
websocket. It binds to 127.0.0.1 unless `--host` says otherwise: anyone who can reach
the port gets a chat, with the server's history and backend, and no login.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping, Sequence

__all__ = ["serve_web", "web_command"]


def web_command(flags: Sequence[str]) -> str:
    """The shell command textual-serve runs for each browser tab.

    Example:
        >>> web_command(["--backend", "echo"]).split()[-3:]
        ['tui', '--backend', 'echo']
    """
    return shlex.join([sys.executable, "-m", "tui", *flags])


def serve_web(
    host: str, port: int, flags: Sequence[str], env: Mapping[str, str], public_url: str | None
) -> int:
    """Serve the app at http://HOST:PORT until Ctrl+C; return the exit code."""
    from textual_serve.server import Server

    os.environ.update(env)  # textual-serve starts each app with this process's environment.
    server = Server(
        web_command(flags), host=host, port=port, title="inkstream", public_url=public_url
    )
    server.serve()
    return 0
