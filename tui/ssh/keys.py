"""The server's host key: made on the first run, saved with mode 0600, reused after that."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from asyncssh import SSHKey

__all__ = ["HostKeyError", "default_host_key_path", "load_or_create_host_key"]

KEY_TYPE = "ssh-ed25519"


class HostKeyError(Exception):
    """The host key file exists but can't be used; the message says why and what to do."""


def default_host_key_path() -> Path:
    """`ssh_host_ed25519_key` in the platform's user data directory.

    Example:
        >>> default_host_key_path().name
        'ssh_host_ed25519_key'
    """
    from platformdirs import user_data_path

    return user_data_path("inkstream") / "ssh_host_ed25519_key"


def load_or_create_host_key(path: Path) -> tuple[SSHKey, bool]:
    """Read the private host key at `path`, or generate and save one if there is none.

    A new key is written with mode 0600 (its folder made with 0700 if it is missing),
    opened with `O_EXCL` so that two servers starting at once can't both write it. An
    existing key that others can read is refused, as OpenSSH refuses it.

    Returns:
        The key, and whether it was made just now.

    Raises:
        HostKeyError: The file is readable by others, or is not a private key.
    """
    import asyncssh

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return _create(path), True
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise HostKeyError(
            f"host key {path} is open to others (mode {stat.S_IMODE(mode):04o}): "
            f"run `chmod 600 {path}`"
        )
    try:
        return asyncssh.read_private_key(path), False
    except (asyncssh.KeyImportError, ValueError) as error:
        raise HostKeyError(f"host key {path} is not a private key: {error}") from None


def _create(path: Path) -> SSHKey:
    import asyncssh

    key = asyncssh.generate_private_key(KEY_TYPE, comment="inkstream host key")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(key.export_private_key())
    return key
