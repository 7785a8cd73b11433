"""The footer's indicator as a user reads it while an answer streams."""

from __future__ import annotations

import re
from pathlib import Path

from tests.tmux.session import Tmux


def test_a_stalled_stream_says_how_long_it_has_waited_instead_of_a_speed(
    tmp_path: Path, home: dict[str, str]
) -> None:
    db = tmp_path / "history.sqlite3"
    with Tmux("--db", str(db), "--backend", "tests.tmux.backends:stall", env=home) as tmux:
        tmux.wait_for("Message inkstream")
        tmux.type("go")
        tmux.keys("Enter")
        tmux.wait_for("word19")
        screen = tmux.wait_until(
            lambda s: re.search(r"waiting [2-9] ?s", s) is not None, "'waiting Ns' in the footer"
        )
        assert "chars/s" not in screen
        tmux.wait_for("after the stall", timeout=30)
