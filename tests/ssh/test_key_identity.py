"""A key with no `user=` never reaches a history that a `user=` key claims, whatever login
name the client asks for: the attack of issue 20, through OpenSSH's own `ssh`.

`authorized_keys` holds `user=alice KEY_A`, `KEY_B user=bob` and a bare `KEY_C` (carol's).
Carol logs in as `alice@host`, then as `bob@host`: both times she gets the history named
after her key's fingerprint, and Ctrl+O and search show only her own sessions. The app's
open files show the one history file it reads and writes: the same file is all that
`--session`, export and import inside that app could ever reach.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import psutil

from tests.ssh.openssh import OpenSSH, key_file
from tests.ssh.server_process import SSHServer, UserKeys
from tests.ssh.test_keys_and_auth import fingerprint_folder

PROMPT_BOX = "Message inkstream"
CTRL_O = "\x0f"
CTRL_Q = "\x11"


def everything_in(path: Path) -> str:
    """Every row of a history file, as SQL text, whatever its schema."""
    with sqlite3.connect(path) as db:
        return "\n".join(db.iterdump())


def history_files_open(server: SSHServer) -> set[Path]:
    """The history files the server's running apps hold open."""
    found: set[Path] = set()
    for app in server.apps():
        try:
            found.update(Path(file.path) for file in app.open_files())
        except psutil.Error:
            continue
    return {path for path in found if path.name == "history.sqlite3"}


def chat(term: OpenSSH, prompt: str) -> None:
    """Send `prompt` and wait for the demo's whole answer."""
    term.wait_for(PROMPT_BOX)
    term.type(prompt + "\r")
    term.wait_for(f'"prompt": "{prompt}"', "in the history.")


def quit_app(term: OpenSSH) -> None:
    term.type(CTRL_Q)
    term.process.wait(timeout=30)


def search_list(term: OpenSSH, word: str, expect: str) -> str:
    """Open Ctrl+O, search every session for `word`, wait for `expect`; return the screen."""
    term.type(CTRL_O)
    term.wait_for("Search all sessions")
    term.type("/")
    time.sleep(1)  # the search box takes the focus once "/" is handled
    term.type(word)
    return term.wait_for(expect)


def test_a_key_with_no_user_logging_in_as_alice_gets_only_its_own_history(
    tmp_path: Path, keys: UserKeys
) -> None:
    server = SSHServer.start(tmp_path, keys)
    alice_key = key_file(keys.alice, tmp_path, "alice")
    carol_key = key_file(keys.carol, tmp_path, "carol")
    users = server.data_dir / "users"
    carols = users / fingerprint_folder(keys.carol, tmp_path) / "history.sqlite3"
    terms: list[OpenSSH] = []
    try:
        alice = OpenSSH(server.port, alice_key, "alice")
        terms.append(alice)
        chat(alice, "zebracorn secrets")
        quit_app(alice)

        # The attack: carol's bare key, logging in as alice.
        carol = OpenSSH(server.port, carol_key, "alice")
        terms.append(carol)
        chat(carol, "platypus secrets")
        assert history_files_open(server) == {carols}
        screen = search_list(carol, "secrets", "match")  # the hits column: it searched
        assert "platypus" in screen
        assert "zebracorn" not in screen
        quit_app(carol)

        # Logging in as bob changes nothing: the same history, hers.
        again = OpenSSH(server.port, carol_key, "bob")
        terms.append(again)
        again.wait_for(PROMPT_BOX)
        assert history_files_open(server) == {carols}
        again.type(CTRL_O)
        screen = again.wait_for("Search all sessions", "platypus secrets")
        assert "zebracorn" not in screen
        quit_app(again)
    finally:
        for term in terms:
            term.close()
        server.stop()
    assert "zebracorn" in everything_in(users / "alice" / "history.sqlite3")
    assert "platypus" not in everything_in(users / "alice" / "history.sqlite3")
    assert "platypus" in everything_in(carols)
    assert "zebracorn" not in everything_in(carols)
    assert sorted(path.name for path in users.iterdir()) == sorted(["alice", carols.parent.name])
    logins = [line for line in server.log if "login " in line]
    assert any("'alice'" in line and f"as {carols.parent.name}" in line for line in logins)
    assert any("'bob'" in line and f"as {carols.parent.name}" in line for line in logins)
