"""Who may connect: the keys of an `authorized_keys` file, each naming a history namespace.

A line is an OpenSSH `authorized_keys` line. Its key's namespace, the folder its user's
history lives in, is, first found:

1. a `user=NAME` option (`user=alice ssh-ed25519 AAAA…`), which asyncssh reads and keeps;
2. a comment of the form `user=NAME` (`ssh-ed25519 AAAA… user=alice`), which leaves the
   file readable by OpenSSH too;
3. for a key that names no user, its own: `key-SHA256-<fingerprint>`, the key's SHA256
   fingerprint with `+` and `/` written `-` and `_` (`key_namespace`).

The login name the client gives never picks a namespace: were it to, a key with no
`user=` could log in as `alice` and read alice's history. So each key reaches exactly one
history, the one the file's owner gave it, and names starting with `key-` are refused in
`user=`, as they belong to unnamed keys.

A name must be a safe path component: letters, digits, `.`, `_` and `-`, starting with a
letter or a digit, at most 64 characters. The file is read again whenever it changes, so
adding a key needs no restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from asyncssh import SSHAuthorizedKeys, SSHKey

__all__ = ["AuthorizedKeys", "default_authorized_keys_path", "key_namespace", "safe_name"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
KEY_PREFIX = "key-"
"""How the namespaces of keys that name no user begin; refused in `user=`."""
_KEY = re.compile(r"(?:^|\s)((?:ssh|ecdsa|sk)-\S+)\s+([A-Za-z0-9+/=]+)(?:\s+(.*))?$")


def default_authorized_keys_path() -> Path:
    """`authorized_keys` in the platform's user config directory.

    Example:
        >>> default_authorized_keys_path().name
        'authorized_keys'
    """
    from platformdirs import user_config_path

    return user_config_path("inkstream") / "authorized_keys"


def safe_name(name: str) -> str | None:
    """`name` if it can be a folder name on its own, else `None`.

    Example:
        >>> safe_name("alice"), safe_name("../bob"), safe_name(".hidden"), safe_name("a b")
        ('alice', None, None, None)
    """
    return name if _NAME.fullmatch(name) else None


def key_namespace(key: SSHKey) -> str:
    """The namespace of a key that names no user: its SHA256 fingerprint, as a folder name.

    Example:
        >>> import asyncssh
        >>> key = asyncssh.import_public_key(
        ...     "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEdSzX3ekk7h1+7nI0ipHyL+AX8lPkDQN6hLa+Rlt5nI"
        ... )
        >>> key_namespace(key)
        'key-SHA256-2jJoG60PAx58jN6RgMR0XgVrUZ3_if4J_ZRPHklKFT0'
    """
    fingerprint = key.get_fingerprint("sha256").replace(":", "-", 1)
    return KEY_PREFIX + fingerprint.replace("+", "-").replace("/", "_")


@dataclass(frozen=True)
class _Entry:
    key: SSHKey
    check: SSHAuthorizedKeys
    """The line alone, so that asyncssh applies its `from=` and other options."""
    comment_name: str | None
    """The NAME of a `user=NAME` comment."""
    line: int


class AuthorizedKeys:
    """The keys of an `authorized_keys` file, re-read when the file changes.

    Args:
        path: The file.
        warn: Called with one line for each entry that is skipped, and why.
    """

    def __init__(self, path: Path, warn: Any = print) -> None:
        self.path = path
        self._warn = warn
        self._stamp: tuple[int, int] | None = None
        self._entries: list[_Entry] = []
        self.reload()

    def reload(self) -> None:
        """Read the file again if it changed since it was last read.

        Raises:
            OSError: The file can't be read.
            ValueError: It holds no usable key.
        """
        info = self.path.stat()
        stamp = (info.st_mtime_ns, info.st_size)
        if stamp == self._stamp:
            return
        text = self.path.read_text(encoding="utf-8")
        entries = [
            entry
            for number, line in enumerate(text.splitlines(), 1)
            if (entry := self._parse(line.strip(), number)) is not None
        ]
        if not entries:
            raise ValueError(
                f"{self.path} holds no public key: add one a line, such as "
                "`ssh-ed25519 AAAA… user=alice`"
            )
        self._entries, self._stamp = entries, stamp

    def _parse(self, line: str, number: int) -> _Entry | None:
        import asyncssh

        if not line or line.startswith("#"):
            return None
        found = _KEY.search(line)
        try:
            if found is None:
                raise ValueError("no key found")
            key = asyncssh.import_public_key(f"{found[1]} {found[2]}")
            check = asyncssh.import_authorized_keys(line)
        except (asyncssh.KeyImportError, ValueError) as error:
            self._warn(f"{self.path}:{number}: skipped: {error}")
            return None
        named = re.findall(r"\buser=(\S+)", found[3] or "")
        return _Entry(key, check, named[-1] if named else None, number)

    def namespace(self, key: SSHKey, host: str, address: str) -> str | None:
        """The history namespace of a client offering `key`, or `None` if it may not log in.

        The name the client logs in with is not asked for: it never picks a namespace
        (see the module's docstring).

        Args:
            key: The public key the client offers.
            host: The client's host name, for `from=` patterns.
            address: The client's IP address, for `from=` patterns.
        """
        self.reload()
        for entry in self._entries:
            if entry.key != key:
                continue
            options = entry.check.validate(key, host, address)
            if options is None:
                continue
            option = options.get("user")
            name = option[-1] if isinstance(option, list) else entry.comment_name
            if name is None:
                return key_namespace(key)
            if safe_name(name) is None:
                self._warn(f"{self.path}:{entry.line}: user={name!r} is not a safe name")
                return None
            if name.lower().startswith(KEY_PREFIX):
                self._warn(
                    f"{self.path}:{entry.line}: user={name!r} is refused: names starting "
                    f"with {KEY_PREFIX!r} belong to keys that name no user"
                )
                return None
            return name
        return None
