"""The theme picked in the command palette is the theme of the next start."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.tmux.session import Tmux

BACKGROUND = re.compile(r"\x1b\[48;2;(\d+);(\d+);(\d+)m")


def header_is_light(tmux: Tmux) -> bool | None:
    """Whether the header's background is light; `None` before it is drawn."""
    found = BACKGROUND.search(tmux.colours().splitlines()[0] if tmux.colours() else "")
    if found is None:
        return None
    return sum(int(value) for value in found.groups()) / 3 > 128


def start(tmp_path: Path, home: dict[str, str], *more: str) -> Tmux:
    db = tmp_path / "history.sqlite3"
    tmux = Tmux("--db", str(db), "--backend", "echo", *more, env=home)
    tmux.wait_for("Message inkstream")
    return tmux


def quit_app(tmux: Tmux) -> None:
    tmux.keys("C-q")
    tmux.wait_until(lambda s: "Message inkstream" not in s, "the app to quit")


def test_the_theme_picked_in_the_palette_is_used_at_the_next_start(
    tmp_path: Path, home: dict[str, str]
) -> None:
    config = Path(home["XDG_CONFIG_HOME"]) / "inkstream" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('theme = "textual-dark"\n', encoding="utf-8")
    with start(tmp_path, home) as tmux:
        tmux.wait_until(lambda _: header_is_light(tmux) is False, "the dark header")
        tmux.keys("C-p")
        tmux.wait_for("Search for commands")
        tmux.type("theme")
        tmux.wait_for("Change the current theme")
        tmux.keys("Enter")
        tmux.wait_for("Search for themes")
        tmux.type("textual-light")
        tmux.keys("Enter")
        tmux.wait_until(lambda s: "Search for themes" not in s, "the picker to close")
        tmux.wait_until(lambda _: header_is_light(tmux) is True, "the light header")
        quit_app(tmux)
    assert config.read_text(encoding="utf-8") == 'theme = "textual-dark"\n'  # not rewritten
    state = json.loads((Path(home["XDG_STATE_HOME"]) / "inkstream" / "state.json").read_text())
    assert state["theme"] == "textual-light"
    with start(tmp_path, home) as tmux:
        tmux.wait_until(lambda _: header_is_light(tmux) is True, "the light header")
        quit_app(tmux)
    with start(tmp_path, home, "--theme", "textual-dark") as tmux:  # a flag still wins
        tmux.wait_until(lambda _: header_is_light(tmux) is False, "the dark header")
        quit_app(tmux)
    state = json.loads((Path(home["XDG_STATE_HOME"]) / "inkstream" / "state.json").read_text())
    assert state["theme"] == "textual-light"  # a flag is for one run, not a pick
