"""What an SSH client sends (its `TERM`, login name, subsystem name) is logged, and the
log goes to the administrator's terminal (`journalctl -f`): every byte of it is checked
with the server's stderr on a real pty (issue 20, class 2)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import asyncssh

from tests.hostile.pty_capture import HOSTILE_TEXT, leaks
from tests.ssh.openssh import OpenSSH, key_file
from tests.ssh.server_process import SSHServer, UserKeys
from tests.ssh.terminal import Terminal, connect

PROMPT_BOX = "Message inkstream"
HOSTILE_ASCII = "".join(char for char in HOSTILE_TEXT if char.isascii())
ISSUE_TERM = "xterm\x1b]0;PWN\x07\x1b]52;c;UFdO\x07"
"""The `TERM` of the issue's attack."""


async def test_a_hostile_term_login_and_subsystem_are_logged_neutralised(
    tmp_path: Path, keys: UserKeys
) -> None:
    server = SSHServer.start(tmp_path, keys, log_pty=True)
    term = None
    try:
        # The issue's attack, through OpenSSH: TERM from the client's environment.
        term = OpenSSH(server.port, key_file(keys.alice, tmp_path, "alice"), "alice", ISSUE_TERM)
        term.wait_for(PROMPT_BOX)
        await server.wait_log("TERM xterm␛]0;PWN␇␛]52;c;UFdO␇ from alice", "xterm-256color")
        await server.wait_log("session started for alice", "xterm-256color")
        term.type("\x11")
        term.process.wait(timeout=30)

        # Variants through asyncssh, which sends whatever it is given.
        conn = await connect(server.port, keys.alice, username="alice")
        async with conn:
            _chan, session = await conn.create_session(
                lambda: Terminal(80, 24),
                # asyncssh takes a terminal type in ASCII only: all of its controls.
                term_type="vt100" + "".join(map(chr, [*range(0x20), 0x7F])) + HOSTILE_ASCII,
                term_size=(80, 24),
                encoding=None,
            )
            await session.wait_for(PROMPT_BOX)
            with contextlib.suppress(asyncssh.Error):
                await conn.create_session(
                    asyncssh.SSHClientSession, subsystem="sftp" + HOSTILE_ASCII, encoding=None
                )
            await server.wait_log("refused subsystem")
        # (A login name can't carry controls: OpenSSH refuses to send one, and asyncssh's
        # SASLprep too.)
        await server.wait_log("TERM vt100␀␁␂", "␛]52;c;UFdO␇")
        await server.wait_log("session ended", "disconnected")
    finally:
        if term is not None:
            term.close()
        server.stop()
    assert leaks(bytes(server.raw_log)) == []
    payload = [line for line in server.log if "csi" in line or "PWN" in line]
    assert len(payload) == 3, "the two TERMs and the subsystem, each on one line"
    assert all(" inkstream ssh: " in line for line in payload)
    assert not any("Traceback" in line for line in server.log)
