"""The history on the command line: --db, --list, --resume, --session, --no-history,
export and import, against real SQLite files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tui.app import ChatApp
from tui.cli import main
from tui.history.store import HistoryStore


@pytest.fixture
def apps(launched: list[ChatApp]) -> list[ChatApp]:
    """ChatApps that `main` would run, not run, with stdin looking like a terminal."""
    return launched


def fill(path: Path) -> tuple[int, int]:
    """Two sessions; the second, newer one has a table."""
    with HistoryStore(path) as store:
        first = store.create_session(title="first chat", backend="echo")
        store.add_message(first, "user", "hello")
        store.add_message(first, "assistant", "hello")
        second = store.create_session(title="second chat", backend="demo")
        store.add_message(second, "user", "a table please")
        store.add_message(second, "assistant", ["here:", pd.DataFrame({"n": [1, 2, 3]})])
        return first, second


def test_list_prints_each_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "h.sqlite3"
    first, second = fill(db)
    assert main(["--db", str(db), "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [str(second), str(first)]
    assert lines[0].endswith("second chat") and "2 msgs" in lines[0]


def test_resume_opens_the_latest_session_and_session_opens_a_given_one(
    tmp_path: Path, apps: list[ChatApp]
) -> None:
    db = tmp_path / "h.sqlite3"
    first, second = fill(db)
    assert main(["--db", str(db), "--resume"]) == 0
    assert main(["--db", str(db), "--session", str(first)]) == 0
    assert [app._open_on_mount for app in apps] == [second, first]
    assert all(app.history is not None for app in apps)


def test_an_unknown_session_fails_before_the_tui_starts(
    tmp_path: Path, apps: list[ChatApp], capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "h.sqlite3"
    fill(db)
    assert main(["--db", str(db), "--session", "99"]) == 2
    assert apps == []
    assert "no session 99" in capsys.readouterr().err


def test_no_history_keeps_the_chat_in_memory(tmp_path: Path, apps: list[ChatApp]) -> None:
    assert main(["--db", str(tmp_path / "h.sqlite3"), "--no-history"]) == 0
    assert apps[0].history is None
    assert not (tmp_path / "h.sqlite3").exists()
    assert main(["--no-history", "--resume"]) == 2


def test_export_markdown_and_json_then_import_round_trips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "h.sqlite3"
    _, second = fill(db)
    assert main(["--db", str(db), "export", str(second)]) == 0
    markdown = capsys.readouterr().out
    assert "second chat" in markdown and "a table please" in markdown
    out = tmp_path / "s.json"
    assert main(["--db", str(db), "export", str(second), "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["format"] == "inkstream.session"
    assert main(["--db", str(db), "import", str(out)]) == 0
    assert "Imported as session" in capsys.readouterr().out
    with HistoryStore(db) as store:
        original, copy = store.messages(second), store.messages(store.latest_session())
        assert [m.value[0] if isinstance(m.value, list) else m.value for m in copy] == [
            m.value[0] if isinstance(m.value, list) else m.value for m in original
        ]
        pd.testing.assert_frame_equal(copy[1].value[1], original[1].value[1])


@pytest.mark.parametrize(
    ("content", "expected"),
    [("{}", "format"), ("not json", "not JSON")],
)
def test_a_bad_import_file_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert main(["--db", str(tmp_path / "h.sqlite3"), "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and expected in err and len(err.strip().splitlines()) == 1


def test_exporting_an_unknown_session_says_how_to_list_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path / "h.sqlite3"), "export", "7"]) == 2
    assert "inkstream --list" in capsys.readouterr().err


def test_a_turn_in_the_app_lands_in_the_db_named_by_db(tmp_path: Path) -> Any:
    """The same store the CLI opens is the one the app writes: checked end to end."""
    import asyncio

    from tui.backends.echo import echo
    from tui.widgets.chat.prompt_input import PromptInput

    db = tmp_path / "h.sqlite3"

    async def scenario() -> None:
        with HistoryStore(db) as store:
            app = ChatApp(backend=echo, typewriter=0, history=store)
            async with app.run_test() as pilot:
                app.query_one(PromptInput).insert("persist me")
                await pilot.press("enter")
                await app.workers.wait_for_complete()

    asyncio.run(scenario())
    with HistoryStore(db) as store:
        (info,) = store.sessions()
        assert [m.value for m in store.messages(info.id)] == ["persist me", "persist me"]
