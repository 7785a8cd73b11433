"""What `serve ssh` says: a start with no warnings, and counts in good English
(issue 15, item 20: five `CryptographyDeprecationWarning: DSA is deprecated` lines at
start, and "the server is full (1 sessions)")."""

from __future__ import annotations

from pathlib import Path

from tests.ssh.server_process import SSHServer, UserKeys
from tests.ssh.terminal import open_terminal
from tests.ssh.test_sessions import PROMPT_BOX


async def test_the_log_has_no_warning_and_a_cap_of_one_says_one_session(
    folder: Path, keys: UserKeys
) -> None:
    server = SSHServer.start(folder, keys, "--max-sessions", "1")
    try:
        first_conn, first = await open_terminal(server.port, keys.alice)
        await first.wait_for(PROMPT_BOX)
        second_conn, second = await open_terminal(server.port, keys.bob)
        await second.closed.wait()
        second_conn.close()
        first_conn.close()
    finally:
        server.stop()
    log = "".join(server.log)
    assert "Warning" not in log and "DSA" not in log, log
    assert second.exit_status == 1
    full = "inkstream: the server is full (1 session): try again later\r\n"
    assert second.stderr.decode() == full
    assert "listening on" in log and "at most 1 session," in log
    assert "stopping: ending 1 session\n" in log or "stopping: ending 0 sessions\n" in log
