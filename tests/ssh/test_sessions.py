"""A real SSH login with a PTY runs the chat: it answers, it follows the window's size,
each user sees only their own history, and a dropped connection leaves nothing behind."""

from __future__ import annotations

import asyncio

import psutil

from tests.ssh.server_process import SSHServer, UserKeys
from tests.ssh.terminal import Terminal, open_terminal

PROMPT_BOX = "Message inkstream"
"""The prompt's placeholder: the app has drawn its first screen."""
CTRL_O = "\x0f"
CTRL_N = "\x0e"
CTRL_Q = "\x11"
ESCAPE = "\x1b"


async def search(term: Terminal, word: str) -> None:
    """Search the session list for `word`."""
    term.type("/")
    # The search box takes the focus after "/" is handled: keys sent with it would still
    # go to the table.
    await asyncio.sleep(1)
    term.type(word)


async def wait_gone(pids: list[int], server: SSHServer) -> None:
    """Wait until none of `pids` is alive (a zombie counts as alive) and no PTY is open."""
    for _ in range(500):
        alive = [pid for pid in pids if psutil.pid_exists(pid)]
        if not alive and not server.apps() and server.open_ptys() == 0:
            return
        await asyncio.sleep(0.02)
    states = {pid: psutil.Process(pid).status() for pid in pids if psutil.pid_exists(pid)}
    raise AssertionError(f"left behind: {states}, {server.open_ptys()} PTYs and pidfds open")


async def test_a_prompt_streams_the_demo_answer_and_a_resize_reaches_the_app(
    server: SSHServer, keys: UserKeys
) -> None:
    conn, term = await open_terminal(server.port, keys.alice, size=(80, 24))
    async with conn:
        await term.wait_for(PROMPT_BOX)
        assert max(len(line.rstrip()) for line in term.screen.display) <= 80
        term.type("tell me about pandas tables\r")
        # The demo quotes the prompt in a dict, and ends with its closing line.
        await term.wait_for('"prompt": "tell me about pandas tables"', "in the history.")
        term.resize(120, 36)
        # The footer, the app's last line, moves to the new last row and past column 80.
        await term.wait_until(
            lambda _: (
                "Quit" in term.screen.display[35] and len(term.screen.display[35].rstrip()) > 80
            ),
            "the footer redrawn on row 36, wider than 80 columns",
        )
        pids = [app.pid for app in server.apps()]
        term.type(CTRL_Q)  # the app quits: the session ends with its exit status
        await term.closed.wait()
        assert term.exit_status == 0
    await wait_gone(pids, server)


async def test_each_user_sees_only_their_own_sessions(server: SSHServer, keys: UserKeys) -> None:
    alice_conn, alice = await open_terminal(server.port, keys.alice, "alice")
    bob_conn, bob = await open_terminal(server.port, keys.bob, "alice")  # bob by his key
    async with alice_conn, bob_conn:
        await alice.wait_for(PROMPT_BOX)
        await bob.wait_for(PROMPT_BOX)
        alice.type("zebracorn secrets\r")
        bob.type("quokka plans\r")
        await alice.wait_for('"prompt": "zebracorn secrets"', "in the history.")
        await bob.wait_for('"prompt": "quokka plans"', "in the history.")
        titles = {alice: "zebracorn secrets", bob: "quokka plans"}
        for term, other in ((alice, bob), (bob, alice)):
            own, theirs = titles[term], titles[other]
            term.type(CTRL_N)  # a new chat, so that only the list can show a prompt's words
            await term.wait_until(lambda text, own=own: own not in text, "a new chat")
            term.type(CTRL_O)
            screen = await term.wait_for("Search all sessions", own)
            assert theirs not in screen
        # Both search every session for bob's word: alice finds nothing, bob his chat.
        await search(alice, "quokka")
        screen = await alice.wait_until(lambda text: "zebracorn" not in text, "searched")
        assert "quokka plans" not in screen
        await search(bob, "quokka")
        await bob.wait_until(  # the hit: its title, and the match in its own column
            lambda text: any(line.count("quokka plans") == 2 for line in text.splitlines()),
            "bob's hit",
        )
    assert (server.data_dir / "users" / "alice" / "history.sqlite3").is_file()
    assert (server.data_dir / "users" / "bob" / "history.sqlite3").is_file()
    await wait_gone([], server)


async def test_a_disconnect_mid_stream_leaves_no_app_and_no_pty(
    server: SSHServer, keys: UserKeys
) -> None:
    conn, term = await open_terminal(server.port, keys.alice)
    await term.wait_for(PROMPT_BOX)
    term.type("hello, stream something long\r")
    await term.wait_for("You said: hello, stream something long")
    pids = [app.pid for app in server.apps()]
    assert len(pids) == 1
    assert server.open_ptys() == 2, "the server holds the app's PTY master and pidfd"
    assert "in the history." not in term.text(), "the answer is still streaming"
    conn.abort()  # the network drops: no close message, no EOF
    await wait_gone(pids, server)
    await server.wait_log("session ended", "disconnected")
