"""What the mouse does in the transcript, done from the keyboard: open the "▶ Reasoning"
fold and scroll a tall DataFrame's own scrollbar."""

from __future__ import annotations

import re
from pathlib import Path

from tests.tmux.session import ROOT, Tmux


def test_shift_tab_reaches_the_fold_and_the_table_and_esc_goes_back_to_the_prompt(
    tmp_path: Path, home: dict[str, str]
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^\| Tab / Shift\+Tab \|.*fold.*table", readme, re.MULTILINE)
    db = tmp_path / "history.sqlite3"
    backend = "tests.tmux.backends:reasoning_and_table"
    with Tmux("--db", str(db), "--backend", backend, "--typewriter", "0", env=home) as tmux:
        tmux.wait_for("Message inkstream")
        tmux.type("go")
        tmux.keys("Enter")
        tmux.wait_for("That was all.")
        assert "pondering" not in tmux.screen()
        tmux.keys("BTab")  # the nearest focusable thing above the prompt: the fold
        tmux.keys("Enter")
        tmux.wait_for("secret pondering here")
        tmux.keys("BTab")  # the table
        assert "row-0 " in tmux.screen()
        tmux.keys("NPage", "NPage", "NPage")
        tmux.wait_until(lambda s: "row-0 " not in s and "row-3" in s, "the table scrolled")
        tmux.keys("Escape")  # back to the prompt: the footer offers Enter to send again
        tmux.wait_until(lambda s: "⏎ Send" in s.splitlines()[-1], "the prompt focused")
        tmux.type("typed after Esc")
        tmux.wait_for("typed after Esc")
