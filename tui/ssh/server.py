"""The SSH side: who may log in, what they may ask for, and starting the listener.

Public keys only; passwords, keyboard-interactive, host-based and GSS logins are off.
Every forwarding (TCP/IP, Unix sockets, the agent, X11, tun/tap) is refused, SFTP and
SCP are off, and each session channel is an `AppSession`. The log says who connected,
who was refused and who left, naming keys by their SHA256 fingerprint, never their bits.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import asyncssh

from tui.ssh.session import AppSession

if TYPE_CHECKING:
    from tui.ssh.auth import AuthorizedKeys
    from tui.ssh.hub import SessionHub

__all__ = ["InkServer", "start_server"]

log = logging.getLogger("inkstream.ssh")

KEEPALIVE_INTERVAL = 30.0
"""Seconds between keepalives, so that a dropped network ends its session in minutes."""
KEEPALIVE_COUNT = 3


class InkServer(asyncssh.SSHServer):
    """One connection's server: authenticates its key and opens its sessions.

    Args:
        hub: The sessions of the whole server.
        keys: The authorized keys.
    """

    def __init__(self, hub: SessionHub, keys: AuthorizedKeys) -> None:
        self.hub = hub
        self.keys = keys
        self.conn: asyncssh.SSHServerConnection | None = None
        self.peer = "?"
        self.user: str | None = None
        """The history namespace, once the client has logged in."""
        self._accepted = ("", "", "")

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        host, port = conn.get_extra_info("peername")[:2]
        self.peer = f"{host}:{port}"
        self.hub.connections.add(conn)
        log.info("connect from %s", self.peer)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.conn is not None:
            self.hub.connections.discard(self.conn)
        why = f" ({exc})" if exc else ""
        log.info("disconnect %s %s%s", self.user or "(not logged in)", self.peer, why)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        assert self.conn is not None
        host, address = self.conn.get_extra_info("peername")[:2]
        fingerprint = key.get_fingerprint()
        try:
            name = self.keys.namespace(key, host, address)
        except (OSError, ValueError) as error:
            log.error("cannot read the authorized keys: %s", error)
            name = None
        if name is None:
            log.warning("auth refused for %r from %s: key %s", username, self.peer, fingerprint)
            return False
        self._accepted = (username, name, fingerprint)
        return True

    def auth_completed(self) -> None:
        username, name, fingerprint = self._accepted
        self.user = name
        log.info("login %r from %s as %s: key %s", username, self.peer, name, fingerprint)

    def session_requested(self) -> AppSession | bool:
        if self.user is None:
            return False
        return AppSession(self.hub, self.user)

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        return self._refuse("TCP/IP forwarding")

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return self._refuse("remote TCP/IP forwarding")

    def unix_connection_requested(self, dest_path: str) -> bool:
        return self._refuse("Unix socket forwarding")

    def unix_server_requested(self, listen_path: str) -> bool:
        return self._refuse("remote Unix socket forwarding")

    def tun_requested(self, unit: int | None) -> bool:
        return self._refuse("tun forwarding")

    def tap_requested(self, unit: int | None) -> bool:
        return self._refuse("tap forwarding")

    def _refuse(self, what: str) -> bool:
        log.info("refused %s for %s from %s", what, self.user, self.peer)
        return False


async def start_server(
    hub: SessionHub, keys: AuthorizedKeys, host_key: asyncssh.SSHKey
) -> asyncssh.SSHAcceptor:
    """Listen on the hub's host and port; return the listener (`.close()` to stop)."""
    settings = hub.settings
    return await asyncssh.create_server(
        lambda: InkServer(hub, keys),
        settings.host,
        settings.port,
        server_host_keys=[host_key],
        encoding=None,
        line_editor=False,
        agent_forwarding=False,
        x11_forwarding=False,
        allow_scp=False,
        sftp_factory=None,
        gss_host=None,
        keepalive_interval=KEEPALIVE_INTERVAL,
        keepalive_count_max=KEEPALIVE_COUNT,
    )
