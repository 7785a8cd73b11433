"""Every key that the start screen, the footer or the README advertises does what it says
in tmux with TERM=xterm-256color (the bytes an ssh client passes on are the same)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.tmux.session import ROOT, Tmux

ENDLESS = "tests.faults.slow_backend:endless"


def chat(tmp_path: Path, home: dict[str, str], backend: str = "echo") -> Tmux:
    db = tmp_path / "history.sqlite3"
    return Tmux("--db", str(db), "--backend", backend, "--typewriter", "0", env=home)


def readme_keys() -> list[str]:
    """The keys in the README's "Using the chat" table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Using the chat", 1)[1].split("\n\n", 2)[1]
    return [row.split("|")[1].strip() for row in table.splitlines()[2:]]


def test_no_key_is_advertised_that_tmux_sends_as_another(
    tmp_path: Path, home: dict[str, str]
) -> None:
    # tmux, xterm and ssh send Alt+Enter as ESC Enter and Shift+Enter as Enter: the app
    # can't tell them from Enter, so nothing may promise that they start a new line.
    with chat(tmp_path, home) as tmux:
        screen = tmux.wait_for("Message inkstream")
    for where in (screen, " ".join(readme_keys())):
        assert not re.search(r"(Alt|Shift)\+Enter", where), where
    assert "Ctrl+J" in screen


def test_ctrl_j_starts_a_new_line_and_enter_sends(tmp_path: Path, home: dict[str, str]) -> None:
    with chat(tmp_path, home) as tmux:
        tmux.wait_for("Message inkstream")
        tmux.type("first line")
        tmux.keys("C-j")
        tmux.type("second line")
        screen = tmux.screen()
        assert "╭─ you" not in screen  # not sent yet
        tmux.keys("Enter")
        screen = tmux.wait_until(lambda s: s.count("second line") >= 2, "the echo")
    prompt = screen.split("╭─ you", 1)[1].split("╰", 1)[0]  # the prompt as sent
    lines = [line.strip(" │") for line in prompt.splitlines()[1:]]
    assert [line for line in lines if line] == ["first line", "second line"]


def test_up_recalls_the_last_prompt_esc_stops_and_ctrl_p_opens_the_palette(
    tmp_path: Path, home: dict[str, str]
) -> None:
    with chat(tmp_path, home, ENDLESS) as tmux:
        tmux.wait_for("Message inkstream")
        tmux.type("count please")
        tmux.keys("Enter")
        tmux.wait_for("word3")
        tmux.keys("Escape")
        tmux.wait_for("■ stopped")
        tmux.keys("Up")
        tmux.wait_until(
            lambda s: s.count("count please") >= 2 and "Message inkstream" not in s,
            "the prompt recalled into the input",
        )
        tmux.keys("C-u")  # clear it (TextArea: delete to the line's start)
        tmux.keys("C-p")
        tmux.wait_for("Search for commands")
        tmux.keys("Escape")
        tmux.wait_until(lambda s: "Search for commands" not in s, "the palette to close")
        tmux.keys("C-q")
        tmux.wait_until(lambda s: "Message inkstream" not in s, "Ctrl+Q to quit")


def test_page_up_and_page_down_scroll_the_chat_from_the_prompt(
    tmp_path: Path, home: dict[str, str]
) -> None:
    with chat(tmp_path, home) as tmux:
        tmux.wait_for("Message inkstream")
        for index in range(8):
            tmux.type(f"prompt number {index}")
            tmux.keys("Enter")
            tmux.wait_until(lambda s, i=index: s.count(f"prompt number {i}") >= 2, "the echo")
        first = "│ prompt number 0"  # in its message box (the header names the session)
        assert first not in tmux.screen()
        tmux.keys("PPage", "PPage", "PPage")
        tmux.wait_for(first)
        tmux.keys("NPage", "NPage", "NPage")
        tmux.wait_until(lambda s: first not in s, "Page Down to scroll back")


def test_esc_closes_the_keys_panel(tmp_path: Path, home: dict[str, str]) -> None:
    with chat(tmp_path, home) as tmux:
        tmux.wait_for("Message inkstream")
        tmux.keys("C-p")
        tmux.wait_for("Search for commands")
        tmux.type("keys")
        tmux.wait_for("Show help for the focused widget")
        tmux.keys("Enter")
        tmux.wait_for("Earlier prompt")
        tmux.keys("Escape")
        tmux.wait_until(lambda s: "Earlier prompt" not in s, "Esc to close the Keys panel")


def prompt_box(screen: str) -> str:
    """The text in the prompt box at the bottom of the screen."""
    box = screen.rsplit("╭", 1)[1].split("╰", 1)[0]
    return " ".join(line.strip(" │─╮") for line in box.splitlines()).strip()


def test_up_recalls_prompts_of_earlier_runs_with_and_without_resume(
    tmp_path: Path, home: dict[str, str]
) -> None:
    with chat(tmp_path, home) as tmux:
        tmux.wait_for("Message inkstream")
        for prompt in ("the older prompt", "the newer prompt"):
            tmux.type(prompt)
            tmux.keys("Enter")
            tmux.wait_until(lambda s, p=prompt: s.count(p) >= 2, "the echo")
        tmux.keys("C-q")
        tmux.wait_until(lambda s: "Message inkstream" not in s, "the app to quit")
    db = tmp_path / "history.sqlite3"
    for more in ((), ("--resume",)):
        with Tmux("--db", str(db), "--backend", "echo", *more, env=home) as tmux:
            tmux.wait_for("Message inkstream")
            tmux.keys("Up")
            tmux.wait_until(lambda s: prompt_box(s) == "the newer prompt", "the last prompt")
            tmux.keys("Up")
            tmux.wait_until(lambda s: prompt_box(s) == "the older prompt", "the one before")
            tmux.keys("Down", "Down")
            tmux.wait_until(lambda s: "Message inkstream" in prompt_box(s), "the empty draft")
