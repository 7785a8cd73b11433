"""Sessions as a user meets them in tmux: deleting the open one, titles in the header."""

from __future__ import annotations

from pathlib import Path

from tests.tmux.session import Tmux
from tui.history.store import HistoryStore


def echo_app(tmp_path: Path, home: dict[str, str], *more: str) -> Tmux:
    db = tmp_path / "history.sqlite3"
    return Tmux("--db", str(db), "--backend", "echo", "--typewriter", "0", *more, env=home)


def test_deleting_the_open_session_starts_a_new_chat_that_is_saved(
    tmp_path: Path, home: dict[str, str]
) -> None:
    with echo_app(tmp_path, home) as tmux:
        tmux.wait_for("Message inkstream")
        tmux.type("alpha question")
        tmux.keys("Enter")
        tmux.wait_until(lambda s: s.count("alpha question") >= 2, "the echoed answer")
        tmux.keys("C-o")
        tmux.wait_for("● alpha question")
        tmux.keys("d", "d")
        tmux.wait_for("Session deleted")
        tmux.keys("Escape")
        screen = tmux.wait_for("new chat")
        assert "alpha question" not in screen.split("Session deleted")[0]
        tmux.type("beta question")
        tmux.keys("Enter")
        tmux.wait_until(lambda s: s.count("beta question") >= 2, "the second answer")
        assert "not being saved" not in tmux.screen()
        tmux.keys("C-q")
        tmux.wait_until(lambda s: "Message inkstream" not in s, "the app to quit")
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        titles = [info.title for info in store.sessions()]
    assert titles == ["beta question"]


def test_a_new_chat_while_an_answer_streams_says_it_stopped_the_answer(
    tmp_path: Path, home: dict[str, str]
) -> None:
    db = tmp_path / "history.sqlite3"
    backend = "tests.faults.slow_backend:endless"
    with Tmux("--db", str(db), "--backend", backend, env=home) as tmux:
        tmux.wait_for("Message inkstream")
        tmux.type("count for ever")
        tmux.keys("Enter")
        tmux.wait_for("word3")
        tmux.keys("C-n")
        screen = tmux.wait_for("Stopped the answer: new chat")
        assert "word3" not in screen
        tmux.keys("C-q")
        tmux.wait_until(lambda s: "Message inkstream" not in s, "the app to quit")
    with HistoryStore(db) as store:
        (info,) = store.sessions()
        answer = store.messages(info.id)[-1]
    assert answer.status == "stopped"
    assert "word3" in answer.value


def header(screen: str) -> str:
    return screen.splitlines()[0]


def test_the_header_shows_a_new_chats_title_and_a_rename(
    tmp_path: Path, home: dict[str, str]
) -> None:
    with echo_app(tmp_path, home) as tmux:
        tmux.wait_for("Message inkstream")
        tmux.type("gardening tips")
        tmux.keys("Enter")
        tmux.wait_until(lambda s: "gardening tips" in header(s), "the title in the header")
        tmux.keys("C-o")
        tmux.wait_for("● gardening tips")
        tmux.keys("r")
        tmux.wait_for("New title")
        tmux.keys("C-u")
        tmux.type("Roses and tulips")
        tmux.keys("Enter")
        tmux.wait_for("● Roses and tulips")
        tmux.keys("Escape")
        screen = tmux.wait_until(lambda s: "Roses and tulips" in header(s), "the new title")
        assert "gardening tips" not in header(screen)
        tmux.keys("C-n")
        tmux.wait_until(lambda s: "Roses" not in header(s), "a new chat's header")


def test_the_model_is_named_wherever_the_backend_is(tmp_path: Path, home: dict[str, str]) -> None:
    with echo_app(tmp_path, home, "--model", "tiny-model-7b") as tmux:
        screen = tmux.wait_for("Message inkstream")
        assert "model: tiny-model-7b" in header(screen)
        tmux.type("which model")
        tmux.keys("Enter")
        tmux.wait_for("╭─ echo · tiny-model-7b")
        tmux.keys("C-o")
        screen = tmux.wait_for("● which model")
        row = next(line for line in screen.splitlines() if "● which model" in line)
        assert "echo · tiny-model-7b" in row
