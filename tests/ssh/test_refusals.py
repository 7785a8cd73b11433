"""Nothing but the chat is reachable: unknown keys, passwords, commands, shells without a
PTY, SFTP and forwarding are each refused, with a one-line message where SSH has room."""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest

from tests.ssh.server_process import SSHServer, UserKeys
from tests.ssh.terminal import connect
from tui.ssh.session import EXEC_REFUSED, NO_PTY


async def test_an_unknown_key_is_refused_and_logged_by_fingerprint(
    server: SSHServer, keys: UserKeys
) -> None:
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, keys.eve, "alice")
    fingerprint = keys.eve.get_fingerprint()
    await server.wait_log("auth refused", fingerprint)
    public = keys.eve.export_public_key().decode().split()[1]
    assert not any(public in line for line in server.log), "no key material in the log"


async def test_a_password_login_is_refused(server: SSHServer) -> None:
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, None, "alice", password="alice", preferred_auth="password")
    with pytest.raises(asyncssh.PermissionDenied):
        await connect(server.port, None, "alice", preferred_auth="keyboard-interactive")


async def test_a_command_is_refused_with_a_message(server: SSHServer, keys: UserKeys) -> None:
    async with await connect(server.port, keys.alice) as conn:
        done = await conn.run("cat /etc/passwd")
        assert done.exit_status == 1
        assert done.stderr == EXEC_REFUSED + "\n"
        assert done.stdout == ""
        with_pty = await conn.run("ls", term_type="xterm", term_size=(80, 24))
        assert with_pty.exit_status == 1
        assert EXEC_REFUSED in str(with_pty.stderr)


async def test_a_shell_without_a_pty_is_refused_with_a_message(
    server: SSHServer, keys: UserKeys
) -> None:
    async with await connect(server.port, keys.alice) as conn:
        done = await conn.run()  # `ssh -T host`: a shell, no PTY
        assert done.exit_status == 1
        assert done.stderr == NO_PTY + "\n"
    assert not server.apps()


async def test_sftp_and_every_forwarding_are_refused(
    server: SSHServer, keys: UserKeys, tmp_path: Path
) -> None:
    auth = tmp_path / "Xauthority"
    auth.write_bytes(b"")
    async with await connect(server.port, keys.alice) as conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.start_sftp_client()
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_connection("127.0.0.1", server.port)  # ssh -L
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.start_server(lambda *_: None, "127.0.0.1", 0)  # ssh -R
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_unix_connection("/tmp/.X11-unix/X0")
        with pytest.raises(asyncssh.ChannelOpenError, match="X11"):
            await conn.run(x11_forwarding=True, x11_display="127.0.0.1:0", x11_auth_path=auth)
    await server.wait_log("refused TCP/IP forwarding")
    await server.wait_log("refused subsystem 'sftp'")
