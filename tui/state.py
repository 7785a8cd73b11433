"""What the app remembers between starts that is not a setting: the theme picked in the
command palette. A small JSON file in the platform's state directory, so the user's
`config.toml` is never rewritten.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["AppState", "default_state_path"]


def default_state_path() -> Path:
    """`state.json` in the platform's user state directory.

    Example:
        >>> default_state_path().name
        'state.json'
    """
    from platformdirs import user_state_path

    return user_state_path("inkstream") / "state.json"


class AppState:
    """A JSON object in one file; a missing or unreadable file reads as empty.

    Example:
        >>> import tempfile, pathlib
        >>> state = AppState(pathlib.Path(tempfile.mkdtemp()) / "state.json")
        >>> state.theme is None
        True
        >>> state.remember_theme("textual-light")
        >>> AppState(state.path).theme
        'textual-light'

    Args:
        path: The file; `default_state_path()` when `None`.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_state_path()

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @property
    def theme(self) -> str | None:
        """The theme last picked, if any."""
        theme = self._read().get("theme")
        return theme if isinstance(theme, str) else None

    def remember_theme(self, name: str) -> None:
        """Store `name` as the theme to start with; a file that can't be written is
        ignored (the theme is a nicety, not worth a warning)."""
        data = {**self._read(), "theme": name}
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".tmp")
            partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
            os.replace(partial, self.path)
