"""The app's own commands in the command palette: new chat, stop, sessions, export."""

from __future__ import annotations

from pathlib import Path

from tests.tmux.session import Tmux


def run_command(tmux: Tmux, words: str, shown: str) -> None:
    tmux.keys("C-p")
    tmux.wait_for("Search for commands")
    tmux.type(words)
    tmux.wait_for(shown)
    tmux.keys("Enter")


def test_new_chat_stop_sessions_and_export_are_in_the_palette(
    tmp_path: Path, home: dict[str, str]
) -> None:
    db = tmp_path / "history.sqlite3"
    backend = "tests.faults.slow_backend:endless"
    with Tmux("--db", str(db), "--backend", backend, env=home, cwd=tmp_path) as tmux:
        tmux.wait_for("Message inkstream")
        tmux.type("count on")
        tmux.keys("Enter")
        tmux.wait_for("word3")
        run_command(tmux, "stop", "Stop the answer")
        tmux.wait_for("■ stopped")
        run_command(tmux, "export", "Export this chat as Markdown")
        tmux.wait_for("Exported to")
        (exported,) = tmp_path.glob("inkstream-session-*.md")
        assert "count on" in exported.read_text(encoding="utf-8")
        run_command(tmux, "sessions", "Open, search, rename")
        tmux.wait_for("● count on")
        tmux.keys("Escape")
        tmux.wait_until(lambda s: "● count on" not in s, "the list to close")
        run_command(tmux, "new chat", "Start a new chat")
        tmux.wait_until(lambda s: "■ stopped" not in s, "a new chat")
