"""Who may use `serve web --login token`: one secret token per user, stored hashed.

The file is `<data_dir>/web_users.json` (mode 0600), next to the users' folders:

    {"alice": {"sha256": "…", "created": "2026-12-07T17:00:00+00:00", "last_login": null}}

A token is `secrets.token_urlsafe(32)`: 32 random bytes, 256 bits. Only its SHA-256 is
kept. A slow password hash (scrypt, argon2) exists to make guessing a *weak* secret
costly; nobody guesses 256 random bits, fast hash or not, and a slow hash would hand
anyone who can reach the port a way to spend the server's CPU and memory (scrypt's usual
settings cost 16 MB and tens of milliseconds a try) with requests that carry wrong
tokens. So a token is checked in microseconds, with `hmac.compare_digest`.

The names are the names of `users/<name>/`, the history folders `serve ssh` uses: a web
user and an SSH key with the same `user=` share one history. Writes take an exclusive
`flock` on `web_users.lock` and replace the file in one `rename`, so `inkstream users add`
and a running server that records a login never lose each other's change. The server
reads the file again whenever it changes, so adding or removing a user needs no restart.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tui.ssh.auth import KEY_PREFIX, safe_name

__all__ = ["WebUser", "WebUserError", "WebUsers"]

FILE_NAME = "web_users.json"


class WebUserError(ValueError):
    """A user name that can't be used, or a user that isn't there; the text says which."""


@dataclass(frozen=True)
class WebUser:
    """One web user, as `inkstream users list` shows them."""

    name: str
    created: datetime
    last_login: datetime | None
    """When one of their browser tabs last started an app; `None` for never."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class WebUsers:
    """The web users of one data folder.

    Example:
        >>> import tempfile
        >>> users = WebUsers(Path(tempfile.mkdtemp()))
        >>> token = users.add("alice")
        >>> users.who(token), users.who("wrong"), [user.name for user in users.users()]
        ('alice', None, ['alice'])

    Args:
        data_dir: The folder that holds `users/<name>/` and the token file.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / FILE_NAME
        self._stamp: tuple[int, int] | None = None
        self._users: dict[str, dict[str, Any]] = {}

    def _load(self) -> dict[str, dict[str, Any]]:
        """The file's users, read again only when it changed."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            self._stamp, self._users = None, {}
            return self._users
        stamp = (info.st_mtime_ns, info.st_size)
        if stamp != self._stamp:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError(f"{self.path}: not a JSON object of users")
            self._users = {
                name: entry
                for name, entry in data.items()
                if isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
            }
            self._stamp = stamp
        return self._users

    @contextlib.contextmanager
    def _changing(self) -> Iterator[dict[str, dict[str, Any]]]:
        """The users, under the lock, written back in one `rename` when the block ends."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(self.data_dir / "web_users.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            self._stamp = None
            users = dict(self._load())
            yield users
            temporary = self.path.with_suffix(".json.tmp")
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                json.dump(users, out, indent=1, sort_keys=True)
                out.write("\n")
            os.replace(temporary, self.path)
            self._stamp = None

    def add(self, name: str, *, replace: bool = False) -> str:
        """Give `name` a new token and return it; it is shown once and never stored.

        Raises:
            WebUserError: `name` is not a safe folder name, starts with `key-`, or already
                has a token and `replace` is off.
        """
        if safe_name(name) is None:
            raise WebUserError(
                f"{name!r} can't be a user name: use letters, digits, '.', '_' and '-', "
                "starting with a letter or a digit, at most 64 characters"
            )
        if name.lower().startswith(KEY_PREFIX):
            raise WebUserError(
                f"{name!r} is refused: names starting with {KEY_PREFIX!r} belong to SSH "
                "keys that name no user"
            )
        token = secrets.token_urlsafe(32)
        with self._changing() as users:
            if name in users and not replace:
                raise WebUserError(
                    f"{name} already has a token: `inkstream users add {name} --replace` "
                    "makes a new one and ends the old"
                )
            users[name] = {"sha256": _hash(token), "created": _now(), "last_login": None}
        return token

    def remove(self, name: str) -> None:
        """Take `name`'s token away; their history stays.

        Raises:
            WebUserError: There is no such user.
        """
        with self._changing() as users:
            if users.pop(name, None) is None:
                raise WebUserError(
                    f"there is no web user named {name!r}: `inkstream users list` shows them"
                )

    def users(self) -> list[WebUser]:
        """Every web user, by name."""
        return [
            WebUser(
                name,
                datetime.fromisoformat(entry.get("created") or "1970-01-01T00:00:00+00:00"),
                datetime.fromisoformat(entry["last_login"]) if entry.get("last_login") else None,
            )
            for name, entry in sorted(self._load().items())
        ]

    def who(self, token: str | None) -> str | None:
        """The user whose token `token` is, or `None`."""
        if not token:
            return None
        digest = _hash(token)
        found = None
        for name, entry in self._load().items():
            if hmac.compare_digest(digest, entry["sha256"]):
                found = name
        return found

    def record_login(self, name: str) -> None:
        """Note that `name` started an app now, for `inkstream users list`."""
        with self._changing() as users:
            if name in users:
                users[name] = {**users[name], "last_login": _now()}
