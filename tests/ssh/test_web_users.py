"""`inkstream users add|list|remove` keep the web users' tokens hashed, and `serve web`
refuses to serve a shared history beyond loopback: each as a real command."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ssh.server_process import ROOT
from tests.ssh.web_process import add_user, free_port, users
from tui.ssh.web_users import WebUsers


def serve_web(*flags: str) -> subprocess.CompletedProcess[str]:
    """`inkstream serve web FLAGS`, expected to stop at once."""
    command = [sys.executable, "-m", "tui", "serve", "web", "--port", str(free_port()), *flags]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.7", "chat.example.org"])
def test_a_shared_history_beyond_loopback_is_refused_in_one_line(host: str) -> None:
    done = serve_web("--host", host)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert f"serve web on {host} would let anyone" in done.stderr
    assert "--login token" in done.stderr


def test_token_login_with_no_users_is_refused(tmp_path: Path) -> None:
    done = serve_web("--host", "0.0.0.0", "--login", "token", "--data-dir", str(tmp_path))
    assert done.returncode == 2
    assert "inkstream users add NAME" in done.stderr


def test_a_token_is_stored_only_as_its_hash_in_a_private_file(tmp_path: Path) -> None:
    token = add_user(tmp_path, "alice")
    path = tmp_path / "web_users.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert token not in path.read_text()
    assert set(json.loads(path.read_text())) == {"alice"}
    assert len(token) >= 43  # 32 random bytes, base64
    assert WebUsers(tmp_path).who(token) == "alice"


def test_add_refuses_a_taken_or_unsafe_name_and_replace_ends_the_old_token(
    tmp_path: Path,
) -> None:
    old = add_user(tmp_path, "alice")
    again = users(tmp_path, "add", "alice")
    assert again.returncode == 2 and "--replace" in again.stderr
    for name in ("../etc", ".hidden", "key-SHA256-abc", "a b"):
        refused = users(tmp_path, "add", name)
        assert refused.returncode == 2, name
        assert refused.stderr.count("\n") == 1
    new = add_user(tmp_path, "alice", "--replace")
    assert WebUsers(tmp_path).who(old) is None
    assert WebUsers(tmp_path).who(new) == "alice"


def test_add_prints_the_link_for_the_url_given(tmp_path: Path) -> None:
    done = users(tmp_path, "add", "bob", "--url", "https://chat.example.org/")
    assert done.returncode == 0
    assert done.stdout.startswith("https://chat.example.org/?token=")
    assert done.stdout.count("\n") == 1  # the link alone on stdout, the advice on stderr


def test_list_and_remove(tmp_path: Path) -> None:
    empty = users(tmp_path, "list")
    assert "No web users" in empty.stdout
    add_user(tmp_path, "bob")
    add_user(tmp_path, "alice")
    listed = users(tmp_path, "list").stdout.splitlines()
    assert [line.split()[0] for line in listed] == ["alice", "bob"]
    assert all("last login never" in line for line in listed)
    removed = users(tmp_path, "remove", "bob")
    assert removed.returncode == 0
    assert str(tmp_path / "users" / "bob") in removed.stdout  # where the history stays
    assert [line.split()[0] for line in users(tmp_path, "list").stdout.splitlines()] == ["alice"]
    missing = users(tmp_path, "remove", "bob")
    assert missing.returncode == 2 and "users list" in missing.stderr
