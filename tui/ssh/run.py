"""`inkstream serve ssh`: start the server, log to stderr, and stop cleanly on a signal.

On Ctrl+C, `SIGTERM` or `SIGHUP` (the server's terminal closed) the listener closes,
every app gets `SIGHUP` and, after a grace of one second, `SIGKILL`, each is reaped, each
client's terminal is reset (the alternate screen left, the cursor shown, mouse reports
off) and told why in one line, and every connection is closed: all within three seconds.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from tui.ssh.auth import AuthorizedKeys
from tui.ssh.hub import ServeSettings, SessionHub, sessions
from tui.ssh.keys import HostKeyError, load_or_create_host_key
from tui.ssh.quiet_import import import_asyncssh

__all__ = ["LISTENING", "serve_ssh"]

log = logging.getLogger("inkstream.ssh")

LISTENING = "listening on"
"""The log line that says where the server listens: `listening on HOST:PORT`."""


def _configure_logging() -> None:
    if log.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s inkstream ssh: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    logging.getLogger("asyncssh").setLevel(logging.WARNING)


def serve_ssh(settings: ServeSettings) -> int:
    """Run the SSH server until a signal stops it; return the exit code.

    Problems found before listening (the authorized keys, the host key, the port) are
    one line on stderr and exit code 2.
    """
    _configure_logging()
    import_asyncssh()  # first, so that no module imports it with its warnings on
    try:
        keys = AuthorizedKeys(settings.authorized_keys, warn=log.warning)
        host_key, made = load_or_create_host_key(settings.host_key)
    except FileNotFoundError:
        return _fail(
            f"no authorized keys at {settings.authorized_keys}: put one public key a line "
            "there (`ssh-ed25519 AAAA… user=alice`) or pass --authorized-keys PATH"
        )
    except (OSError, ValueError, HostKeyError) as error:
        return _fail(str(error))
    if made:
        log.info("made a new host key at %s: %s", settings.host_key, host_key.get_fingerprint())
    try:
        return asyncio.run(_serve(settings, keys, host_key))
    except OSError as error:
        return _fail(f"cannot listen on {settings.host}:{settings.port}: {error.strerror}")


def _fail(message: str) -> int:
    print(f"inkstream: error: {message}", file=sys.stderr)
    return 2


async def _serve(settings: ServeSettings, keys: AuthorizedKeys, host_key: object) -> int:
    from tui.ssh.ptyproc import AppLauncher
    from tui.ssh.server import start_server

    hub = SessionHub(settings)
    hub.launcher = await AppLauncher.start()
    try:
        acceptor = await start_server(hub, keys, host_key)  # type: ignore[arg-type]
    except BaseException:
        await hub.launcher.aclose()
        raise
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(number, stop.set)
    for sock in acceptor.sockets:
        host, port = sock.getsockname()[:2]
        log.info("%s %s:%d, %s", LISTENING, host, port, _limits(settings))
    await stop.wait()
    log.info("stopping: ending %s", sessions(len(hub.sessions)))
    acceptor.close()
    await hub.end_all()
    await hub.launcher.aclose()
    await acceptor.wait_closed()
    log.info("stopped")
    return 0


def _limits(settings: ServeSettings) -> str:
    cap = settings.max_sessions
    idle = settings.idle_timeout
    return (
        f"{'no cap on sessions' if cap is None else f'at most {sessions(cap)}'}, "
        f"{'no idle timeout' if idle is None else f'idle timeout {idle:g} s'}"
    )
