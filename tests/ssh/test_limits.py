"""The session cap, the idle timeout, and stopping the server with SIGTERM, each on a
server of its own."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path

import psutil

from tests.ssh.server_process import SSHServer, UserKeys
from tests.ssh.terminal import open_terminal
from tests.ssh.test_sessions import PROMPT_BOX, wait_gone


async def test_the_cap_holds_and_sigterm_ends_every_session(folder: Path, keys: UserKeys) -> None:
    server = SSHServer.start(folder, keys, "--max-sessions", "2")
    try:
        first_conn, first = await open_terminal(server.port, keys.alice)
        second_conn, second = await open_terminal(server.port, keys.bob)
        await first.wait_for(PROMPT_BOX)
        await second.wait_for(PROMPT_BOX)
        third_conn, third = await open_terminal(server.port, keys.carol, "carol")
        await third.closed.wait()
        assert third.exit_status == 1
        assert b"the server is full (2 sessions)" in third.stderr
        third_conn.close()
        pids = [app.pid for app in server.apps()]
        assert len(pids) == 2

        first.type("a long answer, please\r")
        await first.wait_for("You said: a long answer, please")
        server.process.send_signal(signal.SIGTERM)
        # Each client is told why, and the server exits cleanly with nothing left behind.
        await asyncio.wait_for(first.closed.wait(), 30)
        await asyncio.wait_for(second.closed.wait(), 30)
        assert await asyncio.to_thread(server.process.wait, 30) == 0
        assert not [pid for pid in pids if psutil.pid_exists(pid)]
        assert "session closed: the server is shutting down" in first.stderr.decode()
        first_conn.close()
        second_conn.close()
    finally:
        server.stop()
    assert any("stopped" in line for line in server.log)


async def test_an_idle_session_is_closed(folder: Path, keys: UserKeys) -> None:
    server = SSHServer.start(folder, keys, "--idle-timeout", "2")
    try:
        conn, term = await open_terminal(server.port, keys.alice)
        async with conn:
            await term.wait_for(PROMPT_BOX)
            pids = [app.pid for app in server.apps()]
            await asyncio.wait_for(term.closed.wait(), 60)
            assert "session closed: no input for 2 s" in term.stderr.decode()
            assert term.exit_status == 1
        await wait_gone(pids, server)
    finally:
        server.stop()


def test_a_missing_authorized_keys_file_is_one_clear_line(folder: Path) -> None:
    missing = folder / "nowhere" / "authorized_keys"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "serve",
            "ssh",
            "--port",
            "0",
            "--authorized-keys",
            str(missing),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"inkstream: error: no authorized keys at {missing}: ")
    assert done.stderr.count("\n") == 1
    assert "--authorized-keys" in done.stderr


async def test_apps_end_even_if_the_server_is_killed_outright(folder: Path, keys: UserKeys) -> None:
    server = SSHServer.start(folder, keys)
    try:
        conn, term = await open_terminal(server.port, keys.alice)
        await term.wait_for(PROMPT_BOX)
        apps = server.apps()
        server.process.kill()  # no clean-up: the PTY's master closes as the server dies
        await asyncio.to_thread(server.process.wait, 30)
        for app in apps:  # the app's controlling terminal hangs up: SIGHUP ends it
            await asyncio.to_thread(app.wait, 30)
        conn.abort()
    finally:
        server.stop()


async def test_a_new_app_launcher_replaces_one_that_died(folder: Path, keys: UserKeys) -> None:
    server = SSHServer.start(folder, keys)
    try:
        launcher = next(
            child
            for child in psutil.Process(server.process.pid).children()
            if "tui.ssh.zygote" in child.cmdline()
        )
        launcher.kill()
        await asyncio.to_thread(launcher.wait, 30)
        conn, term = await open_terminal(server.port, keys.alice)
        async with conn:
            await term.wait_for(PROMPT_BOX)
        await server.wait_log("the app launcher exited", "starting a new one")
    finally:
        server.stop()
