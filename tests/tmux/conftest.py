"""Each tmux test gets a history file, a config folder and a state folder of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tmux.session import needs_tmux

pytestmark = needs_tmux


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """The environment that keeps the app's files in `tmp_path`."""
    return {
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
