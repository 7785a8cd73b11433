"""The app launcher: one process that imports the app once, then forks a copy of itself
for each session, so that a login doesn't pay for Python and Textual to start again and
the sessions share those pages of memory.

The server starts it with `python -m tui.ssh.zygote FD`, FD being its end of a Unix
socket pair. Each request is a JSON message, `{"args": [...], "env": {...}}`, carrying
the PTY's slave descriptor; the answer is the child's pid, carrying a pidfd for it, with
which the server watches and signals the child without a race on its pid. The launcher
reaps every child as it exits, and exits itself when the server's end of the socket
closes, whichever way the server ended.

In the child, the PTY becomes the controlling terminal of a new session (so the kernel
sends `SIGWINCH` on a resize and `SIGHUP` when the server's side closes), stdin, stdout
and stderr, and then `python -m tui` runs with the request's arguments and environment.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import importlib
import json
import os
import runpy
import signal
import socket
import sys
import termios
import traceback
from typing import Any

__all__ = ["PRELOAD", "main"]

PRELOAD = (
    "tui.cli",
    "tui.app",
    "tui.backends.demo",
    "tui.history.store",
    # What the app imports after its first screen (`tui.app.LATER`) and for its first
    # answer holding a table: imported in each child, these were most of its own memory.
    "tui.widgets.chat.chat_message",
    "tui.widgets.chat.session_list",
    "tui.widgets.transcript.render",
    "tui.widgets.transcript.frame_table",
    "pandas",
)
"""Imported once, before any fork, so that every session shares their pages."""
MAX_REQUEST = 1 << 20


def _reap(_signum: int = 0, _frame: Any = None) -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _run_child(request: dict[str, Any], slave: int) -> None:
    """In the forked child: take the PTY, then run the app; never returns."""
    code: int = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for target in (0, 1, 2):
            os.dup2(slave, target)
        os.close(slave)
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = ["inkstream", *request["args"]]
        runpy.run_module("tui", run_name="__main__")
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else int(done.code is not None)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def _fork(request: dict[str, Any], slave: int, channel: socket.socket) -> tuple[int, int]:
    """Fork a child for `request`; return its pid and a pidfd, opened before it is reaped."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    try:
        pid = os.fork()
        if pid == 0:
            channel.close()
            _run_child(request, slave)
        return pid, os.pidfd_open(pid)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})


def main() -> None:
    """Serve launch requests on the descriptor named by `sys.argv[1]` until it closes."""
    channel = socket.socket(fileno=int(sys.argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server; it stops us.
    for name in PRELOAD:
        importlib.import_module(name)
    # What is imported now lives for ever: kept out of the collector's sight, its objects'
    # headers are never written by a child's collections, so their pages stay shared.
    gc.freeze()
    signal.signal(signal.SIGCHLD, _reap)
    while True:
        data, fds, _flags, _address = socket.recv_fds(channel, MAX_REQUEST, 1)
        if not data:
            break
        slave = fds[0]
        try:
            pid, pidfd = _fork(json.loads(data), slave, channel)
        except OSError as error:
            channel.send(f"error: {error}".encode())
            continue
        finally:
            os.close(slave)
        socket.send_fds(channel, [str(pid).encode()], [pidfd])
        os.close(pidfd)


if __name__ == "__main__":
    main()
