"""Searching sessions from the session list, as a user reads the results in tmux."""

from __future__ import annotations

from pathlib import Path

from tests.tmux.session import Tmux
from tui.history.store import HistoryStore


def two_sessions_of_one_title(db: Path) -> None:
    with HistoryStore(db) as store:
        for name in ("first", "second"):
            session_id = store.create_session(title="Same title", backend="echo")
            for index in range(20):
                word = "zanzibar" if (name, index) == ("second", 2) else "plain"
                store.add_message(session_id, "user", f"{name} question {index} {word}")
                store.add_message(session_id, "assistant", f"{name} answer {index}\n\n" * 6)


def rows(screen: str, text: str) -> list[str]:
    return [line for line in screen.splitlines() if text in line]


def test_search_shows_the_match_the_date_and_the_count_and_opens_at_the_match(
    tmp_path: Path, home: dict[str, str]
) -> None:
    db = tmp_path / "history.sqlite3"
    two_sessions_of_one_title(db)
    with Tmux("--db", str(db), "--backend", "echo", env=home) as tmux:
        tmux.wait_for("Message inkstream")
        tmux.keys("C-o")
        screen = tmux.wait_for("Same title")
        first, second = rows(screen, "Same title")
        assert first.replace("●", " ") != second.replace("●", " ")  # told apart
        tmux.keys("/")
        tmux.type("zanzibar")
        screen = tmux.wait_for("second question 2")
        heading = next(line for line in screen.splitlines() if "title" in line)
        (row,) = rows(screen, "second question 2")
        match_column = heading.index("match")
        assert row.index("zanzibar") >= match_column  # the snippet is under "match"
        updated = heading.index("updated")
        assert row[updated : updated + 4].isdigit()  # a year
        count = heading.index("messages")
        assert "40" in row[count - 2 : count + len("messages")]
        tmux.keys("Enter")  # from the search box to the results
        tmux.keys("Enter")  # open
        screen = tmux.wait_for("│ second question 2 zanzibar")
        assert "second answer 19" not in screen  # not at the bottom of the session
