"""A resumed long chat read back from the keyboard: Page Up and Home reach the first turn,
mounting older turns as the user scrolls into them."""

from __future__ import annotations

from pathlib import Path

from tests.tmux.session import Tmux
from tui.history.store import HistoryStore

TURNS = 20


def long_session(db: Path) -> int:
    with HistoryStore(db) as store:
        session_id = store.create_session(title="a long chat", backend="echo")
        for index in range(TURNS):
            store.add_message(session_id, "user", f"question number {index}")
            paragraph = " ".join(f"answer {index} line {line}." for line in range(12))
            store.add_message(session_id, "assistant", paragraph)
    return session_id


def test_page_up_reaches_the_first_turn_of_a_resumed_long_chat(
    tmp_path: Path, home: dict[str, str]
) -> None:
    db = tmp_path / "history.sqlite3"
    long_session(db)
    with Tmux("--db", str(db), "--backend", "echo", "--resume", env=home) as tmux:
        tmux.wait_for(f"question number {TURNS - 1}")
        for _ in range(80):
            if "│ question number 0 " in tmux.screen():
                break
            tmux.keys("PPage", pause=0.3)
        screen = tmux.wait_for("│ question number 0 ")
        assert "earlier turns" not in screen
        tmux.keys("End")  # an empty prompt: the last turn
        tmux.wait_for(f"│ question number {TURNS - 1} ")


def test_home_in_an_empty_prompt_and_ctrl_home_show_the_first_turn(
    tmp_path: Path, home: dict[str, str]
) -> None:
    db = tmp_path / "history.sqlite3"
    long_session(db)
    with Tmux("--db", str(db), "--backend", "echo", "--resume", env=home) as tmux:
        tmux.wait_for(f"question number {TURNS - 1}")
        tmux.keys("Home")
        tmux.wait_for("│ question number 0 ")
        tmux.keys("C-End")
        tmux.wait_until(lambda s: "│ question number 0 " not in s, "Ctrl+End to the end")
        tmux.keys("C-Home")
        tmux.wait_for("│ question number 0 ")
