"""The host key is made once with mode 0600 and reused; authorized keys name a history
namespace that is always a safe folder name, and never the one the client's login asks."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import asyncssh
import pytest

from tui.ssh.auth import AuthorizedKeys, safe_name
from tui.ssh.keys import HostKeyError, load_or_create_host_key


def test_the_host_key_is_made_once_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "new" / "host_key"
    key, made = load_or_create_host_key(path)
    assert made
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again, made_again = load_or_create_host_key(path)
    assert not made_again
    assert again.export_public_key() == key.export_public_key()


def test_a_host_key_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "host_key"
    load_or_create_host_key(path)
    path.chmod(0o644)
    with pytest.raises(HostKeyError, match="chmod 600"):
        load_or_create_host_key(path)


def test_a_host_key_that_is_not_a_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "host_key"
    path.write_text("not a key\n")
    path.chmod(0o600)
    with pytest.raises(HostKeyError, match="not a private key"):
        load_or_create_host_key(path)


def public(key: asyncssh.SSHKey) -> str:
    return key.export_public_key().decode().strip()


@pytest.fixture
def four() -> list[asyncssh.SSHKey]:
    """Four public keys, as a client offers them."""
    return [
        asyncssh.import_public_key(asyncssh.generate_private_key("ssh-ed25519").export_public_key())
        for _ in range(4)
    ]


def fingerprint_folder(key: asyncssh.SSHKey, folder: Path) -> str:
    """The folder name a key with no `user=` should get, from OpenSSH's own fingerprint."""
    pub = folder / f"{id(key)}.pub"
    pub.write_text(public(key) + "\n")
    shown = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(pub)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    assert shown.startswith("SHA256:")
    return "key-SHA256-" + shown[len("SHA256:") :].replace("+", "-").replace("/", "_")


def test_a_key_names_its_namespace_by_option_by_comment_or_by_its_fingerprint(
    tmp_path: Path, four: list[asyncssh.SSHKey]
) -> None:
    option, comment, neither, stranger = four
    path = tmp_path / "authorized_keys"
    path.write_text(
        f'user="ann",no-pty {public(option)} ann@laptop\n'
        f"{public(comment)} user=ben\n"
        f"{public(neither)} someone@somewhere\n"
    )
    keys = AuthorizedKeys(path)
    assert keys.namespace(option, "h", "127.0.0.1") == "ann"
    assert keys.namespace(comment, "h", "127.0.0.1") == "ben"
    own = keys.namespace(neither, "h", "127.0.0.1")
    assert own == fingerprint_folder(neither, tmp_path)
    assert own is not None and safe_name(own) == own
    assert keys.namespace(stranger, "h", "127.0.0.1") is None


def test_keys_that_name_no_user_each_get_their_own_history(
    tmp_path: Path, four: list[asyncssh.SSHKey]
) -> None:
    path = tmp_path / "authorized_keys"
    path.write_text("".join(f"{public(key)}\n" for key in four))
    keys = AuthorizedKeys(path)
    names = [keys.namespace(key, "h", "127.0.0.1") for key in four]
    assert names == [fingerprint_folder(key, tmp_path) for key in four]
    assert len(set(names)) == 4


def test_a_user_name_that_looks_like_a_key_folder_is_refused(
    tmp_path: Path, four: list[asyncssh.SSHKey]
) -> None:
    """Else a `user=` line could be written to reach an unnamed key's history."""
    named, unnamed, upper, _ = four
    path = tmp_path / "authorized_keys"
    path.write_text(
        f"user={fingerprint_folder(unnamed, tmp_path)} {public(named)}\n"
        f"{public(unnamed)}\n"
        f"{public(upper)} user=KEY-x\n"
    )
    warnings: list[str] = []
    keys = AuthorizedKeys(path, warn=warnings.append)
    assert keys.namespace(named, "h", "127.0.0.1") is None
    assert keys.namespace(upper, "h", "127.0.0.1") is None
    assert keys.namespace(unnamed, "h", "127.0.0.1") == fingerprint_folder(unnamed, tmp_path)
    assert sum("belong to keys that name no user" in warning for warning in warnings) == 2


def test_unsafe_names_and_bad_lines_are_skipped_with_a_warning(
    tmp_path: Path, four: list[asyncssh.SSHKey]
) -> None:
    dots, slash, good, _ = four
    path = tmp_path / "authorized_keys"
    path.write_text(
        f"user=.. {public(dots)}\n"
        f"{public(slash)} user=a/b\n"
        "ssh-ed25519 not-base64!\n"
        f"{public(good)}\n"
    )
    warnings: list[str] = []
    keys = AuthorizedKeys(path, warn=warnings.append)
    assert keys.namespace(dots, "h", "127.0.0.1") is None
    assert keys.namespace(slash, "h", "127.0.0.1") is None
    assert keys.namespace(good, "h", "127.0.0.1") == fingerprint_folder(good, tmp_path)
    assert any(":3: skipped" in warning for warning in warnings)
    assert any("'..' is not a safe name" in warning for warning in warnings)
    assert any("'a/b' is not a safe name" in warning for warning in warnings)


def test_from_patterns_apply_and_changes_are_read_without_a_restart(
    tmp_path: Path, four: list[asyncssh.SSHKey]
) -> None:
    local, added, _, _ = four
    path = tmp_path / "authorized_keys"
    path.write_text(f'from="127.0.0.1",user=lou {public(local)}\n')
    keys = AuthorizedKeys(path)
    assert keys.namespace(local, "h", "127.0.0.1") == "lou"
    assert keys.namespace(local, "h", "10.1.2.3") is None
    assert keys.namespace(added, "h", "127.0.0.1") is None
    path.write_text(path.read_text() + f"{public(added)} user=ada\n")
    assert keys.namespace(added, "h", "127.0.0.1") == "ada"


def test_a_file_with_no_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "authorized_keys"
    path.write_text("# nobody yet\n")
    with pytest.raises(ValueError, match="holds no public key"):
        AuthorizedKeys(path)
