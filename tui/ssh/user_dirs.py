"""Where each user of a server keeps their own things, under `<data_dir>/users/<name>/`.

`serve ssh` and `serve web` both start one app per user with these: the same name reaches
the same history over SSH and in a browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["user_app_args", "user_history_path", "user_state_env"]


def user_history_path(data_dir: Path, user: str) -> Path:
    """A user's history file: `<data_dir>/users/<user>/history.sqlite3`.

    Example:
        >>> user_history_path(Path("/srv/inkstream"), "alice").as_posix()
        '/srv/inkstream/users/alice/history.sqlite3'
    """
    return data_dir / "users" / user / "history.sqlite3"


def user_app_args(
    data_dir: Path, user: str, app_args: Sequence[str], history: bool = True
) -> list[str]:
    """The command line of `user`'s app: the server's app flags and `user`'s history file,
    whose folder is made (mode 0700) if missing; `--no-history` when `history` is off.

    Example:
        >>> import tempfile
        >>> args = user_app_args(Path(tempfile.mkdtemp()), "bob", ["--backend", "echo"])
        >>> args[:3], args[3].endswith("/users/bob/history.sqlite3")
        (['--backend', 'echo', '--db'], True)
    """
    if not history:
        return [*app_args, "--no-history"]
    path = user_history_path(data_dir, user)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return [*app_args, "--db", str(path)]


def user_state_env(data_dir: Path, user: str) -> dict[str, str]:
    """The environment that gives `user`'s app its own state folder (the theme they picked).

    Example:
        >>> user_state_env(Path("/srv/inkstream"), "alice")
        {'XDG_STATE_HOME': '/srv/inkstream/users/alice/state'}
    """
    return {"XDG_STATE_HOME": str(user_history_path(data_dir, user).parent / "state")}
