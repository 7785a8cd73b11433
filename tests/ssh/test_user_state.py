"""Each SSH user's app remembers its own things (the theme picked in the palette) under
their own folder, never in one state file that every login shares."""

from __future__ import annotations

from pathlib import Path

from tui.ssh.hub import ServeSettings, SessionHub


def test_each_users_app_keeps_its_state_in_its_own_folder(tmp_path: Path) -> None:
    hub = SessionHub(ServeSettings(tmp_path / "keys", tmp_path / "host_key", tmp_path))
    alice = Path(hub.app_env("xterm-256color", "alice")["XDG_STATE_HOME"])
    bob = Path(hub.app_env("xterm-256color", "bob")["XDG_STATE_HOME"])
    assert alice != bob
    assert alice.is_relative_to(tmp_path / "users" / "alice")
    assert bob.is_relative_to(tmp_path / "users" / "bob")
